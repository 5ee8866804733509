// The preload's copy of the IPC channel names (it may not import main); main's ipc/channels.ts holds the
// same names and ipc/channels.test.ts pins the two together.
import type { CommandName, EventName } from '../shared/contract';

export const READY_CHANNEL = 'renderer-ready';

export const commandChannel = <K extends CommandName>(name: K): `cmd:${K}` => `cmd:${name}`;

export const eventChannel = <E extends EventName>(name: E): `evt:${E}` => `evt:${name}`;
