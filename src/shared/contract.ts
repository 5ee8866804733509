// The one contract between the main process (or headless server) and any UI or script, split by
// direction: commands (request -> response, validated in main) and events (main -> UI).
import { z } from 'zod';
import {
  minerConfigObject,
  minerStartSchema,
  minerTypeSchema,
  throttleSchema,
  type MinerConfig,
  type MinerType,
} from './schemas';
import type { HashratePoint, LogLine, MinerSnapshot, MinerStats, ThrottleApply, ThrottleMode } from './model';

// ---------- persisted shapes ----------

export const profileIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Profile id may contain letters, digits, _ and -');
export const minerIdSchema = z.string().min(1).max(64);

export const profileInputSchema = z.object({
  id: profileIdSchema.optional(),
  name: z.string().trim().min(1, 'Name is required').max(64, 'Name is at most 64 characters'),
  minerType: minerTypeSchema,
  config: minerConfigObject.default({} as never),
});
export type ProfileInput = z.input<typeof profileInputSchema>;

export interface Profile {
  id: string;
  name: string;
  minerType: MinerType;
  config: MinerConfig;
  createdAt: number;
  updatedAt: number;
}

export const settingsSchema = z.object({
  statsIntervalMs: z
    .number()
    .int()
    .min(250, 'Stats interval must be at least 250 ms')
    .max(60_000, 'Stats interval must be at most 60 s')
    .default(1000),
  closeToTray: z.boolean().default(true),
  startMinimized: z.boolean().default(false),
  lastProfileId: profileIdSchema.nullable().default(null),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
});
export type Settings = z.infer<typeof settingsSchema>;
/** Settings plus facts the user can see but not change here. */
export type SettingsView = Settings & { dataDir: string };

export interface Snapshot {
  miners: MinerSnapshot[];
  profiles: Profile[];
  settings: SettingsView;
}

export interface InstallationCheck {
  minerType: MinerType;
  found: boolean;
  path: string | null;
  version: string | null;
  message: string;
}

// ---------- commands ----------

const empty = z.object({}).strict().default({});
const byId = z.object({ id: minerIdSchema }).strict();

export const startMinerSchema = z.union([
  z.object({ profileId: profileIdSchema, name: z.string().optional() }).strict(),
  minerStartSchema,
]);

export const commandSchemas = {
  getSnapshot: empty,
  listProfiles: empty,
  saveProfile: profileInputSchema,
  deleteProfile: z.object({ id: profileIdSchema }).strict(),
  startMiner: startMinerSchema,
  stopMiner: byId,
  restartMiner: byId,
  pauseMiner: byId,
  resumeMiner: byId,
  removeMiner: byId,
  setThrottle: z.intersection(
    byId.extend({
      /** true: also save the change to the miner's profile; false/absent: only for this run. */
      persist: z.boolean().optional(),
    }),
    throttleSchema,
  ),
  getHistory: z
    .object({ id: minerIdSchema, from: z.number().optional(), to: z.number().optional() })
    .strict(),
  getLogs: z
    .object({
      id: minerIdSchema,
      afterSeq: z.number().int().min(-1).optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    })
    .strict(),
  sendConsole: z
    .object({
      id: minerIdSchema,
      input: z
        .string()
        .min(1, 'Type a command')
        .max(256, 'Console input is at most 256 characters')
        // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
        .refine((v) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(v), 'Console input must be printable text'),
    })
    .strict(),
  getSettings: empty,
  saveSettings: settingsSchema.partial().strict(),
  checkInstallation: z
    .object({ minerType: minerTypeSchema, binaryPath: z.string().max(4096).optional() })
    .strict(),
} as const;

export interface CommandResults {
  getSnapshot: Snapshot;
  listProfiles: Profile[];
  saveProfile: Profile;
  deleteProfile: { ok: true };
  startMiner: MinerSnapshot;
  stopMiner: MinerSnapshot;
  restartMiner: MinerSnapshot;
  pauseMiner: MinerSnapshot;
  resumeMiner: MinerSnapshot;
  removeMiner: { ok: true };
  setThrottle: {
    mode: ThrottleMode;
    miner: MinerSnapshot;
    /** The live change: 'applied' once the miner confirmed it, 'failed' with the reason after a bounded wait. */
    apply?: ThrottleApply | null;
    /** With persist: the profile it was saved to; null when the miner was not started from a profile. */
    savedToProfile?: string | null;
    /** Anything the user should know (a hint replacing a fixed thread count, why it was not saved). */
    message?: string | null;
  };
  getHistory: {
    id: string;
    from: number;
    to: number;
    /** Hashrate, H/s. */
    points: HashratePoint[];
    /** Measured CPU of the miner's process tree, % of the whole machine (100 = every logical core). */
    cpu?: HashratePoint[];
  };
  getLogs: { id: string; lines: LogLine[] };
  sendConsole: { ok: true };
  getSettings: SettingsView;
  saveSettings: SettingsView;
  checkInstallation: InstallationCheck;
}

export type CommandName = keyof typeof commandSchemas;
export type CommandInput<K extends CommandName> = z.input<(typeof commandSchemas)[K]>;
export type CommandParsed<K extends CommandName> = z.output<(typeof commandSchemas)[K]>;
export type CommandOutput<K extends CommandName> = CommandResults[K];

export function isCommandName(value: string): value is CommandName {
  return Object.prototype.hasOwnProperty.call(commandSchemas, value);
}

// ---------- events ----------

export interface StatsBatch {
  at: number;
  miners: { id: string; generation: number; stats: MinerStats }[];
}

export interface LogBatch {
  id: string;
  lines: LogLine[];
}

export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
}

export interface EventPayloads {
  minerState: MinerSnapshot;
  stats: StatsBatch;
  log: LogBatch;
  profiles: Profile[];
  settings: SettingsView;
  notice: Notice;
}

export type EventName = keyof EventPayloads;

// ---------- the client every UI talks to ----------

export type CommandClient = {
  [K in CommandName]: (input: CommandInput<K>) => Promise<CommandOutput<K>>;
};

export interface MiningClient extends CommandClient {
  on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void;
}

/** Wire shape of a command result over IPC (HTTP uses status codes instead). */
export type WireResult<T> =
  { ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: unknown } };

export { COMMAND_NAMES, EVENT_NAMES } from './names';
