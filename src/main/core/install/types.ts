// The installer's own shapes: progress, what an install left on disk, its events and limits, and the one
// thing it needs from the trust store. What the contract shows (phases, releases, update checks) is in shared.
import type { ErrorPayload } from '../../../shared/errors';
import type { InstallPhase, InstallableMinerType, ReleaseStatus } from '../../../shared/installs';
import type { DownloadProgress } from './download';
import type { ExtractLimits } from './extract-types';

/** What the installer asks the trust store to record once a verified binary is in place. */
export interface TrustedInstall {
  path: string;
  minerType: InstallableMinerType;
  version: string;
  sha256: string;
  source: 'installed';
}

/** Implemented by the trust store; the installer calls nothing else of it. */
export interface InstallTrust {
  registerTrusted(entry: TrustedInstall): Promise<unknown>;
  /** Called before a version's folder is deleted, so nothing can spawn it meanwhile. */
  forgetTrusted(path: string): Promise<unknown>;
}

export interface InstallProgress {
  minerType: InstallableMinerType;
  /** null until the release is chosen. */
  version: string | null;
  phase: InstallPhase;
  /** Set during `downloading` (and its last value after). */
  download: DownloadProgress | null;
}

export interface InstalledXmrig {
  minerType: InstallableMinerType;
  version: string;
  dir: string;
  binaryPath: string;
  /** From the install record; null for a folder HashDeck did not install (copied by hand). */
  sha256: string | null;
  /** True when HashDeck installed it from a signature-checked download. */
  verified: boolean;
  installedAt: string | null;
  status: ReleaseStatus;
}

export interface UpdateResult {
  /** null when already up to date. */
  installed: InstalledXmrig | null;
  /** The newest version installed before; kept until the caller uninstalls it. */
  previous: string | null;
}

export interface InstallerEvents {
  progress: InstallProgress;
  installed: InstalledXmrig;
  uninstalled: { minerType: InstallableMinerType; version: string };
  failed: { minerType: InstallableMinerType; version: string | null; error: ErrorPayload };
}

export interface InstallLimits {
  /** Largest archive accepted (also bounded by the size the release list gives). */
  maxArchiveBytes: number;
  /** SHA256SUMS and its signature are a few KB. */
  maxSumsBytes: number;
  /** Time to get an answer (status and headers) from a server. */
  answerTimeoutMs: number;
  /** Time without a byte during a download. */
  idleTimeoutMs: number;
  /** Time for `xmrig --version` (a first run can be slow while antivirus scans it). */
  versionTimeoutMs: number;
  extract: ExtractLimits;
}
