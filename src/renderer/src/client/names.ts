// The command and event names both transports wire up, as plain lists: importing them from
// shared/contract would evaluate its zod schemas and pull zod into the dashboard's entry chunk.
// The type checks below fail the build if a list drifts from the contract.
import type { CommandName, EventName } from '../../../shared/contract';

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
] as const satisfies readonly CommandName[];

export const EVENT_NAMES = [
  'minerState',
  'stats',
  'log',
  'profiles',
  'settings',
  'notice',
] as const satisfies readonly EventName[];

/** Resolves to `true` only when every member of `All` is listed; otherwise to the missing names. */
type Covers<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
type Assert<T extends true> = T;
export type NamesCoverContract = [
  Assert<Covers<CommandName, (typeof COMMAND_NAMES)[number]>>,
  Assert<Covers<EventName, (typeof EVENT_NAMES)[number]>>,
];
