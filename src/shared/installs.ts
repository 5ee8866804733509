// The contract's shapes for getting a miner: installing, listing, updating and uninstalling XMRig.
// No path or URL is ever an input: where releases come from is fixed by the local user at start-up.
import { z } from 'zod';
import type { ErrorPayload } from './errors';

/** Miner types HashDeck can download and verify itself (TT-Miner is brought by the user). */
export const installableMinerTypeSchema = z.enum(['xmrig']);
export type InstallableMinerType = z.infer<typeof installableMinerTypeSchema>;

/** "6.26.0" or "v6.26.0": a plain version, so it can never name a path or a URL. */
export const installVersionSchema = z
  .string()
  .trim()
  .max(24, 'A version is like 6.26.0')
  .regex(/^v?\d{1,6}\.\d{1,6}\.\d{1,6}$/, 'A version is like 6.26.0');

export const installMinerSchema = z
  .object({ minerType: installableMinerTypeSchema, version: installVersionSchema.optional() })
  .strict();
export const cancelInstallSchema = z
  .object({ minerType: installableMinerTypeSchema.default('xmrig') })
  .strict()
  .default({ minerType: 'xmrig' });
export const listInstalledSchema = z
  .object({ minerType: installableMinerTypeSchema.default('xmrig') })
  .strict()
  .default({ minerType: 'xmrig' });
export const checkMinerUpdateSchema = z
  .object({
    minerType: installableMinerTypeSchema.default('xmrig'),
    /** Ask the release server now instead of using the answer cached for an hour. */
    force: z.boolean().optional(),
  })
  .strict()
  .default({ minerType: 'xmrig' });
export const uninstallMinerSchema = z
  .object({ minerType: installableMinerTypeSchema.default('xmrig'), version: installVersionSchema })
  .strict();

/** The steps of an install, in order; `done` only after the binary is in place and trusted. */
export const INSTALL_PHASES = [
  'resolving',
  'verifying-signature',
  'downloading',
  'verifying-archive',
  'extracting',
  'checking-binary',
  'activating',
  'done',
] as const;
export type InstallPhase = (typeof INSTALL_PHASES)[number];

/** 'tested': HashDeck was tested with it; the others are offered with a note. */
export type ReleaseStatus = 'tested' | 'newer-untested' | 'older-untested';

/**
 * One install, as the `installProgress` event and `installMiner` report it. The last event of an install
 * has a `state` other than 'running' (and `error` when it failed or was cancelled).
 */
export interface InstallStatus {
  /** Names this install in every event about it. */
  installId: string;
  minerType: InstallableMinerType;
  /** The version asked for; null: the newest version HashDeck was tested with. */
  requested: string | null;
  /** The version being installed; null until the release list was read. */
  version: string | null;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  phase: InstallPhase;
  /** Download progress: bytes so far, the total when known, 0–100 when the total is known, bytes/s. */
  bytes: number;
  total: number | null;
  percent: number | null;
  bytesPerSecond: number;
  startedAt: number;
  finishedAt: number | null;
  /** The trusted binary the install created (state 'succeeded'). */
  binaryId: string | null;
  /** Why it failed (details.reason: offline, rate-limited, bad-signature, quarantined, ...). */
  error: ErrorPayload | null;
}

export interface UsageRef {
  id: string;
  name: string;
}

export interface InstalledVersion {
  minerType: InstallableMinerType;
  version: string;
  /** The version's folder: <data>/miners/xmrig/<version>. */
  folder: string;
  binaryPath: string;
  /** SHA-256 of the binary recorded at install; null for a folder HashDeck did not install. */
  sha256: string | null;
  /** Installed by HashDeck from a download whose signed checksum matched. */
  verified: boolean;
  installedAt: string | null;
  status: ReleaseStatus;
  /** "newer, not yet tested with HashDeck" for a newer untested version, else null. */
  note: string | null;
  /**
   * 'ok', or 'missing' when the binary vanished after install (security software often quarantines
   * miners): it cannot run until it is restored or installed again.
   */
  health: 'ok' | 'missing';
  /** Its trusted binary entry; null when it is not (or no longer) trusted. */
  binaryId: string | null;
  /** Profiles with no chosen binary (they follow the latest install) run this version. */
  isDefault: boolean;
  usedBy: {
    /** Profiles that chose this binary; they block an uninstall. */
    pinnedProfiles: UsageRef[];
    /** Profiles following the latest install while this is the default; they move on to the next one. */
    followingProfiles: UsageRef[];
    /** Miners running it now; they block an uninstall. */
    runningMiners: UsageRef[];
  };
}

export interface ReleaseSummary {
  version: string;
  tag: string;
  name: string;
  publishedAt: string | null;
  prerelease: boolean;
  status: ReleaseStatus;
  note: string | null;
  /** The archive this machine would download; null when the release has none for it. */
  asset: { name: string; size: number } | null;
  installed: boolean;
}

export interface UpdateCheck {
  checkedAt: number;
  /** Answered from the release list cached for an hour. */
  fromCache: boolean;
  /** Newest installed version, or null. */
  current: string | null;
  /** Newest tested release: what `installMiner` without a version installs. */
  recommended: ReleaseSummary | null;
  latest: ReleaseSummary | null;
  /** The recommended release is newer than every installed version (or none is installed). */
  updateAvailable: boolean;
  /** The latest release when it is newer than the recommended one and not tested with HashDeck. */
  newerUntested: ReleaseSummary | null;
}

/** What `listInstalled` answers and the `installs` event carries. */
export interface InstalledMiners {
  minerType: InstallableMinerType;
  /** Newest first. */
  versions: InstalledVersion[];
  /** The install running now. */
  active: InstallStatus | null;
  /** The last finished install of this session, so a window opened later sees how it ended. */
  last: InstallStatus | null;
  /** From the last release check while it is less than an hour old; listing never asks the network. */
  update: UpdateCheck | null;
  /** The trusted binary a start with no chosen binary uses now (it may be one you registered). */
  defaultBinaryId: string | null;
  /** Versions HashDeck was tested with. */
  testedVersions: string[];
}
