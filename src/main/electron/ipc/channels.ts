// Channel names of the Electron IPC transport: `cmd:<name>` per command, `evt:<name>` per event and the
// renderer's ready signal. The preload keeps its own copy (it may not import main); a test pins both.
import type { CommandName, EventName } from '../../../shared/contract';

export const READY_CHANNEL = 'renderer-ready';

export const commandChannel = <K extends CommandName>(name: K): `cmd:${K}` => `cmd:${name}`;

export const eventChannel = <E extends EventName>(name: E): `evt:${E}` => `evt:${name}`;
