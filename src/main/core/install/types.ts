// The installer's public shapes: what it reports (progress, installed versions, releases, update checks)
// and the one thing it needs from the trust store. Plain data, ready for the contract's zod schemas.
import type { ErrorPayload } from '../../../shared/errors';
import type { DownloadProgress } from './download';
import type { ExtractLimits } from './extract-types';
import type { ReleaseStatus } from './tested';

/** What the installer asks the trust store to record once a verified binary is in place. */
export interface TrustedInstall {
  path: string;
  minerType: 'xmrig';
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

export type InstallPhase =
  | 'resolving'
  | 'verifying-signature'
  | 'downloading'
  | 'verifying-archive'
  | 'extracting'
  | 'checking-binary'
  | 'activating'
  | 'done';

export interface InstallProgress {
  minerType: 'xmrig';
  /** null until the release is chosen. */
  version: string | null;
  phase: InstallPhase;
  /** Set during `downloading` (and its last value after). */
  download: DownloadProgress | null;
}

export interface InstalledXmrig {
  minerType: 'xmrig';
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

export interface ReleaseInfo {
  version: string;
  tag: string;
  name: string;
  publishedAt: string | null;
  prerelease: boolean;
  status: ReleaseStatus;
  /** "newer, not yet tested with HashDeck" for newer untested releases, else null. */
  note: string | null;
  /** The archive this machine would download, or null when XMRig publishes none for it. */
  asset: { name: string; size: number } | null;
  installed: boolean;
}

export interface UpdateCheck {
  checkedAt: number;
  fromCache: boolean;
  /** Newest installed version, or null. */
  current: string | null;
  /** Newest tested release (what install and update pick). */
  recommended: ReleaseInfo | null;
  /** Newest release of all. */
  latest: ReleaseInfo | null;
  /** The recommended release is newer than every installed version (or none is installed). */
  updateAvailable: boolean;
  /** The latest release when it is newer than the recommended one and not tested. */
  newerUntested: ReleaseInfo | null;
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
  uninstalled: { minerType: 'xmrig'; version: string };
  failed: { minerType: 'xmrig'; version: string | null; error: ErrorPayload };
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
