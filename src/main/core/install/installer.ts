// The XMRig installer: one object per miners folder holding the release cache, the pinned key and the one
// install allowed at a time; emits progress, installed, uninstalled and failed events. Service-independent.
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { toErrorPayload } from '../../../shared/errors';
import type { ReleaseSummary, UpdateCheck } from '../../../shared/installs';
import { TypedEmitter } from '../util/typed-emitter';
import type { VersionProbe } from './binary-check';
import { InstallError, cancelledError } from './errors';
import { DEFAULT_EXTRACT_LIMITS } from './extract';
import type { FetchLike } from './http';
import { binaryName, cleanLeftovers, exists, makeWorkDir, versionDir } from './layout';
import { readManifest } from './manifest';
import { installRelease } from './pipeline';
import { ReleaseCache } from './release-cache';
import { listInstalled, releaseSummary, updateCheck, type ViewContext } from './release-view';
import { fetchReleaseList, type XmrigRelease } from './releases';
import { loadPinnedKey, type PinnedKey } from './signature';
import { DEFAULT_INSTALL_SOURCE, type InstallSource } from './source';
import { TESTED_XMRIG_VERSIONS, requireRecommended } from './tested';
import type { InstallLimits, InstallTrust, InstalledXmrig, InstallerEvents, UpdateResult } from './types';
import { normalizeVersion } from './version-order';

export const DEFAULT_INSTALL_LIMITS: InstallLimits = {
  maxArchiveBytes: 200 * 1024 * 1024,
  maxSumsBytes: 256 * 1024,
  answerTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  versionTimeoutMs: 30_000,
  extract: DEFAULT_EXTRACT_LIMITS,
};

export interface XmrigInstallerOptions {
  /** `<data>/miners`; versions land in `<minersDir>/xmrig/<version>/`. */
  minersDir: string;
  trust: InstallTrust;
  /** Where releases come from; only an entry point may set it (see source.ts). Default: XMRig's GitHub. */
  source?: InstallSource;
  /** JSON file caching the release list for an hour; null or absent: memory only. */
  cacheFile?: string | null;
  testedVersions?: readonly string[];
  platform?: NodeJS.Platform;
  arch?: string;
  limits?: Partial<InstallLimits>;
  fetch?: FetchLike;
  now?: () => number;
  /** Replaces the real `--version` run (tests simulate a quarantine with it). */
  probe?: VersionProbe;
}

export interface InstallOptions {
  /** A version from the release list; default: the newest tested one. */
  version?: string;
  signal?: AbortSignal;
}

export interface ReleasesOptions {
  /** Skip the one-hour cache. */
  force?: boolean;
  signal?: AbortSignal;
}

interface ActiveInstall {
  controller: AbortController;
  version: string | null;
  workDir: string | null;
}

export class XmrigInstaller extends TypedEmitter<InstallerEvents> {
  private readonly source: InstallSource;
  private readonly limits: InstallLimits;
  private readonly view: ViewContext;
  private readonly now: () => number;
  private readonly cache: ReleaseCache;
  private pinned: Promise<PinnedKey> | null = null;
  private active: ActiveInstall | null = null;

  constructor(private readonly options: XmrigInstallerOptions) {
    super();
    this.source = options.source ?? DEFAULT_INSTALL_SOURCE;
    this.limits = { ...DEFAULT_INSTALL_LIMITS, ...options.limits };
    this.view = {
      tested: options.testedVersions ?? TESTED_XMRIG_VERSIONS,
      platform: options.platform ?? process.platform,
      arch: options.arch ?? process.arch,
    };
    this.now = options.now ?? Date.now;
    this.cache = new ReleaseCache(
      `${this.source.releasesUrl} ${this.source.downloadBaseUrl ?? ''}`,
      options.cacheFile ?? null,
    );
  }

  /** Loads the pinned key and checks its fingerprint; entry points may await it at start to fail early. */
  loadKey(): Promise<PinnedKey> {
    this.pinned ??= loadPinnedKey(this.source.key.armored, this.source.key.fingerprint);
    return this.pinned;
  }

  /** The install running now, if any. */
  get busy(): { version: string | null } | null {
    return this.active ? { version: this.active.version } : null;
  }

  /** Cancels the running install; true when there was one. */
  cancel(): boolean {
    if (!this.active) return false;
    this.active.controller.abort(cancelledError());
    return true;
  }

  /** Deletes work folders left by a crashed install or removal (call at start-up; install calls it too). */
  async cleanup(): Promise<string[]> {
    // Stryker disable next-line ArrayDeclaration: equivalent, no work folder is named "Stryker was here"
    const active = new Set(this.active?.workDir ? [this.active.workDir] : []);
    return cleanLeftovers(this.options.minersDir, active);
  }

  /** The release list, newest first, from the cache when it is less than an hour old. */
  async fetchReleases(
    opts: ReleasesOptions = {},
  ): Promise<{ releases: XmrigRelease[]; fetchedAt: number; fromCache: boolean }> {
    if (!opts.force) {
      const cached = await this.cache.get(this.now());
      if (cached) return { ...cached, fromCache: true };
    }
    const releases = await fetchReleaseList({
      releasesUrl: this.source.releasesUrl,
      downloadBaseUrl: this.source.downloadBaseUrl,
      fetch: this.options.fetch,
      signal: opts.signal,
      answerTimeoutMs: this.limits.answerTimeoutMs,
    });
    const fetchedAt = this.now();
    await this.cache.set(releases, fetchedAt);
    return { releases, fetchedAt, fromCache: false };
  }

  /** Releases as the UI shows them: tested or not, the archive for this machine, installed or not. */
  async listReleases(opts: ReleasesOptions = {}): Promise<ReleaseSummary[]> {
    const [{ releases }, installed] = await Promise.all([this.fetchReleases(opts), this.installedVersions()]);
    return releases.map((r) => releaseSummary(r, installed, this.view));
  }

  async checkForUpdate(opts: ReleasesOptions = {}): Promise<UpdateCheck> {
    const [fetched, installed] = await Promise.all([this.fetchReleases(opts), this.installedVersions()]);
    return updateCheck(fetched.releases, installed, fetched, this.view);
  }

  /** The update check from the cached release list while it is fresh; null otherwise (never fetches). */
  async cachedUpdateCheck(): Promise<UpdateCheck | null> {
    const cached = await this.cache.get(this.now());
    if (!cached) return null;
    const installed = await this.installedVersions();
    return updateCheck(cached.releases, installed, { ...cached, fromCache: true }, this.view);
  }

  /** The versions HashDeck was tested with, as this installer judges releases. */
  get testedVersions(): readonly string[] {
    return this.view.tested;
  }

  /** Installs the recommended release when it is newer than what is installed; the previous one stays. */
  async update(opts: { signal?: AbortSignal; force?: boolean } = {}): Promise<UpdateResult> {
    const check = await this.checkForUpdate({ force: opts.force, signal: opts.signal });
    if (!check.updateAvailable || !check.recommended) return { installed: null, previous: check.current };
    const installed = await this.install({ version: check.recommended.version, signal: opts.signal });
    return { installed, previous: check.current };
  }

  /** Installed versions, newest first. */
  listInstalled(): Promise<InstalledXmrig[]> {
    return listInstalled(this.options.minersDir, this.view);
  }

  /** Removes a version; `usedBy` names what still uses it (profiles, running miners): then it refuses. */
  async uninstall(version: string, opts: { usedBy?: readonly string[] } = {}): Promise<void> {
    const dir = versionDir(this.options.minersDir, version);
    if (opts.usedBy && opts.usedBy.length > 0) {
      throw new InstallError(
        'INVALID_STATE',
        'in-use',
        `XMRig ${version} is used by ${opts.usedBy.join(', ')}; switch them to another version before uninstalling it.`,
        { usedBy: [...opts.usedBy] },
      );
    }
    if (this.active?.version === version) {
      throw new InstallError('ALREADY_RUNNING', 'busy', `XMRig ${version} is being installed right now`);
    }
    if (!(await exists(dir))) {
      throw new InstallError('NOT_FOUND', 'not-installed', `XMRig ${version} is not installed`);
    }
    const manifest = await readManifest(dir);
    // Untrusted first, so nothing can spawn it while its files go.
    await this.options.trust.forgetTrusted(
      path.join(dir, manifest?.binary ?? binaryName(this.view.platform)),
    );
    const workDir = await makeWorkDir(this.options.minersDir, 'remove');
    try {
      await rename(dir, path.join(workDir, version));
    } catch (err) {
      await rm(workDir, { recursive: true, force: true });
      throw new InstallError(
        'STORAGE',
        'storage',
        `Could not remove ${dir} (is XMRig ${version} still running?): ${(err as Error).message}`,
      );
    }
    // Gone from the miners folder already; a crash during this delete leaves a work folder cleanup removes.
    await rm(workDir, { recursive: true, force: true });
    this.emit('uninstalled', { minerType: 'xmrig', version });
  }

  /** Downloads, verifies and installs a release (default: the newest tested one). One install at a time. */
  async install(opts: InstallOptions = {}): Promise<InstalledXmrig> {
    if (this.active) {
      throw new InstallError(
        'ALREADY_RUNNING',
        'busy',
        `An XMRig install${this.active.version ? ` (${this.active.version})` : ''} is already running`,
      );
    }
    if (opts.signal?.aborted) throw cancelledError();
    const controller = new AbortController();
    const onAbort = () => controller.abort(cancelledError());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const active: ActiveInstall = (this.active = { controller, version: null, workDir: null });
    try {
      const installed = await this.run(opts.version, active);
      this.emit('installed', installed);
      return installed;
    } catch (err) {
      // Whatever a cancelled step threw on its way out (a cut stream, a closed file), the cause is the cancel.
      const error = controller.signal.aborted ? cancelledError() : err;
      this.emit('failed', { minerType: 'xmrig', version: active.version, error: toErrorPayload(error) });
      throw error;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (active.workDir) await rm(active.workDir, { recursive: true, force: true }).catch(() => {});
      this.active = null;
    }
  }

  private async run(requested: string | undefined, active: ActiveInstall): Promise<InstalledXmrig> {
    const signal = active.controller.signal;
    const phase: Parameters<typeof installRelease>[1]['phase'] = (p, download = null) =>
      this.emit('progress', { minerType: 'xmrig', version: active.version, phase: p, download });
    phase('resolving');
    await this.cleanup();
    const pinned = await this.loadKey();
    const { releases } = await this.fetchReleases({ signal });
    const release = this.chooseRelease(releases, requested);
    active.version = release.version;
    return installRelease(release, {
      minersDir: this.options.minersDir,
      platform: this.view.platform,
      arch: this.view.arch,
      limits: this.limits,
      tested: this.view.tested,
      pinned,
      trust: this.options.trust,
      signal,
      now: this.now,
      fetch: this.options.fetch,
      probe: this.options.probe,
      phase,
      onWorkDir: (dir) => (active.workDir = dir),
    });
  }

  private chooseRelease(releases: XmrigRelease[], requested: string | undefined): XmrigRelease {
    if (requested === undefined) return requireRecommended(releases, this.view.tested);
    const version = normalizeVersion(requested);
    if (version === null) {
      throw new InstallError(
        'INVALID_INPUT',
        'invalid-version',
        `"${requested}" is not an XMRig version (like 6.26.0)`,
      );
    }
    const release = releases.find((r) => r.version === version);
    if (!release) {
      throw new InstallError('NOT_FOUND', 'no-release', `XMRig ${version} is not in the release list`);
    }
    return release;
  }

  private async installedVersions(): Promise<string[]> {
    return (await this.listInstalled()).map((i) => i.version);
  }
}
