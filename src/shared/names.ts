// The contract's command and event names as plain lists, with no runtime dependency: the sandboxed
// preload and the dashboard's entry chunk import these instead of contract.ts, which would pull in zod.
import type { CommandName, EventName } from './contract';

export const COMMAND_NAMES = [
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
  'listTrustedBinaries',
  'pickBinary',
  'removeTrustedBinary',
  'installMiner',
  'cancelInstall',
  'listInstalled',
  'checkMinerUpdate',
  'uninstallMiner',
] as const satisfies readonly CommandName[];

export const EVENT_NAMES = [
  'minerState',
  'stats',
  'log',
  'profiles',
  'settings',
  'notice',
  'binaries',
  'installProgress',
  'installs',
] as const satisfies readonly EventName[];

/** Resolves to `true` only when every member of `All` is listed; otherwise to the missing names. */
type Covers<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
type Assert<T extends true> = T;
// A command or event added to the contract but not listed above fails type checking here.
export type NamesCoverContract = [
  Assert<Covers<CommandName, (typeof COMMAND_NAMES)[number]>>,
  Assert<Covers<EventName, (typeof EVENT_NAMES)[number]>>,
];

const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && eventSet.has(value);
}
