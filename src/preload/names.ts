// The command and event names the preload exposes, listed here because importing the contract at
// runtime would bundle zod into the sandboxed preload. tsc and names.test.ts keep the lists exact.
import type { CommandName, EventName } from '../shared/contract';

export const COMMANDS = [
  'getSnapshot',
  'listProfiles',
  'saveProfile',
  'deleteProfile',
  'startMiner',
  'stopMiner',
  'restartMiner',
  'pauseMiner',
  'resumeMiner',
  'removeMiner',
  'setThrottle',
  'getHistory',
  'getLogs',
  'sendConsole',
  'getSettings',
  'saveSettings',
  'checkInstallation',
] as const satisfies readonly CommandName[];

export const EVENTS = [
  'minerState',
  'stats',
  'log',
  'profiles',
  'settings',
  'notice',
] as const satisfies readonly EventName[];

// A name added to the contract but not listed above fails type checking here, before any test runs.
type MissingCommand = Exclude<CommandName, (typeof COMMANDS)[number]>;
type MissingEvent = Exclude<EventName, (typeof EVENTS)[number]>;
const _everyCommandListed: [MissingCommand] extends [never] ? true : MissingCommand = true;
const _everyEventListed: [MissingEvent] extends [never] ? true : MissingEvent = true;

const eventSet: ReadonlySet<string> = new Set(EVENTS);

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && eventSet.has(value);
}
