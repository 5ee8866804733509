// The one contract between the main process (or headless server) and any UI or script, split by
// direction: commands (request -> response, validated in main) and events (main -> UI).
import { z } from 'zod';
import {
  binaryIdSchema,
  minerConfigObject,
  minerStartSchema,
  minerTypeSchema,
  refineCliArgs,
  throttleSchema,
  type MinerConfig,
  type MinerType,
} from './schemas';
import type {
  HashratePoint,
  LogLine,
  MinerSnapshot,
  MinerStats,
  PauseRuleId,
  ThrottleApply,
  ThrottleMode,
} from './model';
import {
  cancelInstallSchema,
  checkMinerUpdateSchema,
  installMinerSchema,
  listInstalledSchema,
  uninstallMinerSchema,
  type InstallStatus,
  type InstalledMiners,
  type UpdateCheck,
} from './installs';

// ---------- persisted shapes ----------

export const profileIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Profile id may contain letters, digits, _ and -');
export const minerIdSchema = z.string().min(1).max(64);

export const profileInputSchema = z
  .object({
    id: profileIdSchema.optional(),
    name: z
      .string()
      .trim()
      .min(1, 'Name is required')
      .max(64, 'Name is at most 64 characters')
      // eslint-disable-next-line no-control-regex -- refusing control characters is the point
      .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'Name must not contain control characters'),
    minerType: minerTypeSchema,
    config: minerConfigObject.default({} as never),
  })
  .superRefine((v, ctx) => refineCliArgs(v.minerType, v.config, ctx));
export type ProfileInput = z.input<typeof profileInputSchema>;

export interface Profile {
  id: string;
  name: string;
  minerType: MinerType;
  config: MinerConfig;
  createdAt: number;
  updatedAt: number;
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Time is HH:MM (24-hour)');

// The nested settings below have no defaults inside (input = output, so a client sends each one whole);
// a settings file without them gets DEFAULT_CPU_BUDGET / DEFAULT_PAUSE_RULES in every SettingsView.

/** "Miners may use at most N % of this computer": all running miners together, held live. */
export const cpuBudgetSettingsSchema = z.object({
  enabled: z.boolean(),
  machinePercent: z
    .number()
    .int('CPU budget must be a whole number')
    .min(5, 'CPU budget must be between 5 and 100 %')
    .max(100, 'CPU budget must be between 5 and 100 %'),
});
export type CpuBudgetSettings = z.infer<typeof cpuBudgetSettingsSchema>;
export const DEFAULT_CPU_BUDGET: CpuBudgetSettings = { enabled: false, machinePercent: 50 };

/** A program name as the process list shows it (no path): "game.exe", "zoom". */
const programName = z
  .string()
  .trim()
  .min(1, 'Program name is empty')
  .max(128, 'Program name is too long')
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  .refine((v) => !/[/\\\u0000-\u001f]/.test(v), 'Give the program name only, without a folder');

/** Each rule can pause miners; mining runs only while none says pause. */
export const pauseRulesSchema = z.object({
  /** Pause while the computer is in use: resume after this many seconds without keyboard or mouse. */
  userActive: z.object({ enabled: z.boolean(), idleSeconds: z.number().int().min(10).max(86_400) }),
  onBattery: z.object({ enabled: z.boolean() }),
  /** Mine only inside these weekly windows (days 0 = Sunday .. 6; an end before the start crosses midnight). */
  schedule: z.object({
    enabled: z.boolean(),
    windows: z
      .array(
        z.object({
          days: z.array(z.number().int().min(0).max(6)).min(1, 'Pick at least one day').max(7),
          start: hhmm,
          end: hhmm,
        }),
      )
      .max(28),
  }),
  /** Pause while any of these programs runs (games, calls). */
  processes: z.object({ enabled: z.boolean(), names: z.array(programName).max(64) }),
  /** Pause a GPU miner at this temperature; resume 10 degrees below (or after the cool-down once stopped). */
  gpuTemperature: z.object({
    enabled: z.boolean(),
    maxCelsius: z.number().int().min(40).max(110),
    cooldownSeconds: z.number().int().min(30).max(3600),
  }),
});
export type PauseRulesSettings = z.infer<typeof pauseRulesSchema>;
export const DEFAULT_PAUSE_RULES: PauseRulesSettings = {
  userActive: { enabled: false, idleSeconds: 120 },
  onBattery: { enabled: false },
  schedule: { enabled: false, windows: [] },
  processes: { enabled: false, names: [] },
  gpuTemperature: { enabled: false, maxCelsius: 80, cooldownSeconds: 300 },
};

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
  // Optional (filled with defaults in every SettingsView) so settings files and clients of older versions stay valid.
  cpuBudget: cpuBudgetSettingsSchema.optional(),
  pauseRules: pauseRulesSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Whether a pause rule can work here (idle time needs a desktop session; headless has none). */
export interface PauseRuleSupport {
  available: boolean;
  reason: string | null;
}

/** Settings plus facts the user can see but not change here. */
export type SettingsView = Settings & {
  dataDir: string;
  pauseRuleSupport?: Record<PauseRuleId, PauseRuleSupport>;
};

export interface Snapshot {
  miners: MinerSnapshot[];
  profiles: Profile[];
  settings: SettingsView;
  binaries: TrustedBinary[];
}

export type HistoryEventKind =
  'start' | 'stop' | 'crash' | 'pause' | 'resume' | 'restart' | 'throttle' | 'watchdog';

/** Something that happened to a miner at a point in its history (drawn as a chart marker). */
export interface HistoryEvent {
  at: number;
  kind: HistoryEventKind;
  text: string;
}

export interface InstallationCheck {
  minerType: MinerType;
  found: boolean;
  /** The trusted binary a start would use now (absent when none is trusted yet). */
  binaryId: string | null;
  path: string | null;
  version: string | null;
  message: string;
}

/**
 * A binary the app may execute: installed and verified by the app, or registered by the local user
 * through a channel the API cannot reach (desktop file dialog, `npm run headless -- trust add PATH`).
 */
export interface TrustedBinary {
  id: string;
  minerType: Exclude<MinerType, 'simulated'>;
  /** Real path, every symlink resolved. */
  path: string;
  sha256: string;
  size: number;
  mtimeMs: number;
  version: string | null;
  source: 'installed' | 'user';
  addedAt: number;
}

export const binaryMinerTypeSchema = z.enum(['xmrig', 'ttminer']);

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
  /**
   * Pause. With `forMinutes` the user's pause ends by itself then ("pause for an hour"): the main process
   * keeps the expiry (`control.pausedUntil`), so it holds with no window open. A rule that would pause the
   * miner at that moment takes the pause over instead of a resume. Without it, a pause has no end.
   */
  pauseMiner: byId.extend({
    forMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
  }),
  /**
   * Resume. A miner a pause rule holds mines anyway for `forMinutes` (default 60) when resumed by the user:
   * the rules (not GPU temperature) are ignored for it until then. `forMinutes` alone sets that override.
   */
  resumeMiner: byId.extend({
    forMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
  }),
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
  // Reports only on trusted binaries; it never runs or even looks at a path it was sent.
  checkInstallation: z.object({ minerType: minerTypeSchema, binaryId: binaryIdSchema.optional() }).strict(),
  listTrustedBinaries: empty,
  /** Desktop only: the main process opens a native file dialog; the chosen file becomes trusted. */
  pickBinary: z.object({ minerType: binaryMinerTypeSchema }).strict(),
  /** Forgetting a binary only ever takes a capability away, so the API may do it. */
  removeTrustedBinary: z.object({ id: binaryIdSchema }).strict(),
  /**
   * Starts a verified install from the release source fixed at start-up (never a URL or path from here);
   * answers at once, progress follows as `installProgress` events. Default: the newest tested version.
   */
  installMiner: installMinerSchema,
  cancelInstall: cancelInstallSchema,
  listInstalled: listInstalledSchema,
  /** The newest tested and newest released versions; cached an hour unless `force`. */
  checkMinerUpdate: checkMinerUpdateSchema,
  /** Refused while a profile chose that version or a miner runs it (the error names them). */
  uninstallMiner: uninstallMinerSchema,
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
    /** State changes in [from, to], oldest first; optional until the main process records them. */
    events?: HistoryEvent[];
  };
  getLogs: { id: string; lines: LogLine[] };
  sendConsole: { ok: true };
  getSettings: SettingsView;
  saveSettings: SettingsView;
  checkInstallation: InstallationCheck;
  listTrustedBinaries: TrustedBinary[];
  /** null when the user cancelled the dialog. */
  pickBinary: TrustedBinary | null;
  removeTrustedBinary: { ok: true };
  /** The install just started (state 'running'); ALREADY_RUNNING while another one runs. */
  installMiner: InstallStatus;
  /** True when an install was running and was asked to stop; its last `installProgress` says how it ended. */
  cancelInstall: { cancelled: boolean };
  listInstalled: InstalledMiners;
  checkMinerUpdate: UpdateCheck;
  /** The list after the removal. */
  uninstallMiner: InstalledMiners;
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
  binaries: TrustedBinary[];
  /** One install's progress; several a second while downloading, then one final state. */
  installProgress: InstallStatus;
  /** The installed versions changed (an install, an uninstall, a binary or profile change, a check). */
  installs: InstalledMiners;
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
export type * from './installs';
