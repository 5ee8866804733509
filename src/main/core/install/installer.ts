// The XMRig installer: the release list (cached an hour), a signature-checked download, a safe extract,
// `--version`, one rename into <minersDir>/xmrig/<version>/, then the trust store; update and uninstall.
import { chmod, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { MinerError, toErrorPayload } from '../../../shared/errors';
import { TypedEmitter } from '../util/typed-emitter';
import { findAsset, pickAsset, signedSumsAssets } from './assets';
import { checkBinaryVersion, quarantineAdvice, type VersionProbe } from './binary-check';
import { downloadToFile, type DownloadProgress } from './download';
import { InstallError, cancelledError } from './errors';
import { DEFAULT_EXTRACT_LIMITS, archiveFormat, extractArchive } from './extract';
import { sha256File } from './hash-file';
import { getBytes, type FetchLike } from './http';
import {
  binaryName,
  cleanLeftovers,
  demote,
  exists,
  installedVersionNames,
  makeWorkDir,
  promote,
  versionDir,
} from './layout';
import { readManifest, writeManifest, type InstallManifest } from './manifest';
import { ReleaseCache } from './release-cache';
import { fetchReleaseList, type XmrigRelease } from './releases';
import { loadPinnedKey, verifyDetached, type PinnedKey } from './signature';
import { DEFAULT_INSTALL_SOURCE, type InstallSource } from './source';
import { parseSha256Sums, expectedSha256 } from './sums';
import {
  TESTED_XMRIG_VERSIONS,
  UNTESTED_NOTE,
  recommendedRelease,
  releaseStatus,
  requireRecommended,
} from './tested';
import type {
  InstallLimits,
  InstallPhase,
  InstallTrust,
  InstalledXmrig,
  InstallerEvents,
  ReleaseInfo,
  UpdateCheck,
  UpdateResult,
} from './types';
import { compareVersionStrings, normalizeVersion } from './version-order';

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

export class XmrigInstaller extends TypedEmitter<InstallerEvents> {
  private readonly source: InstallSource;
  private readonly limits: InstallLimits;
  private readonly tested: readonly string[];
  private readonly platform: NodeJS.Platform;
  private readonly arch: string;
  private readonly now: () => number;
  private readonly cache: ReleaseCache;
  private pinned: Promise<PinnedKey> | null = null;
  private active: { controller: AbortController; version: string | null; workDir: string | null } | null =
    null;

  constructor(private readonly options: XmrigInstallerOptions) {
    super();
    this.source = options.source ?? DEFAULT_INSTALL_SOURCE;
    this.limits = { ...DEFAULT_INSTALL_LIMITS, ...options.limits };
    this.tested = options.testedVersions ?? TESTED_XMRIG_VERSIONS;
    this.platform = options.platform ?? process.platform;
    this.arch = options.arch ?? process.arch;
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
  async listReleases(opts: ReleasesOptions = {}): Promise<ReleaseInfo[]> {
    const [{ releases }, installed] = await Promise.all([this.fetchReleases(opts), this.installedVersions()]);
    return releases.map((r) => this.info(r, installed));
  }

  async checkForUpdate(opts: ReleasesOptions = {}): Promise<UpdateCheck> {
    const [{ releases, fetchedAt, fromCache }, installed] = await Promise.all([
      this.fetchReleases(opts),
      this.installedVersions(),
    ]);
    const current = installed[0] ?? null;
    const recommended = recommendedRelease(releases, this.tested);
    const latest = releases.find((r) => !r.prerelease) ?? null;
    const newerUntested =
      latest &&
      releaseStatus(latest.version, this.tested) === 'newer-untested' &&
      (!recommended || compareVersionStrings(latest.version, recommended.version) > 0)
        ? latest
        : null;
    return {
      checkedAt: fetchedAt,
      fromCache,
      current,
      recommended: recommended && this.info(recommended, installed),
      latest: latest && this.info(latest, installed),
      updateAvailable:
        recommended !== null && (current === null || compareVersionStrings(recommended.version, current) > 0),
      newerUntested: newerUntested && this.info(newerUntested, installed),
    };
  }

  /** Installs the recommended release when it is newer than what is installed; the previous one stays. */
  async update(opts: Omit<InstallOptions, 'version'> & { force?: boolean } = {}): Promise<UpdateResult> {
    const check = await this.checkForUpdate({ force: opts.force, signal: opts.signal });
    if (!check.updateAvailable || !check.recommended) return { installed: null, previous: check.current };
    const installed = await this.install({ version: check.recommended.version, signal: opts.signal });
    return { installed, previous: check.current };
  }

  async listInstalled(): Promise<InstalledXmrig[]> {
    const out: InstalledXmrig[] = [];
    for (const version of await installedVersionNames(this.options.minersDir)) {
      const dir = versionDir(this.options.minersDir, version);
      const manifest = await readManifest(dir);
      const binaryPath = path.join(dir, manifest?.binary ?? binaryName(this.platform));
      if (!(await exists(binaryPath))) continue;
      out.push({
        minerType: 'xmrig',
        version,
        dir,
        binaryPath,
        sha256: manifest?.sha256 ?? null,
        verified: manifest !== null && manifest.version === version,
        installedAt: manifest?.installedAt ?? null,
        status: releaseStatus(version, this.tested),
      });
    }
    return out;
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
    await this.options.trust.forgetTrusted(path.join(dir, manifest?.binary ?? binaryName(this.platform)));
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
    const controller = new AbortController();
    const onAbort = () => controller.abort(cancelledError());
    if (opts.signal?.aborted) throw cancelledError();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const active = (this.active = {
      controller,
      version: null as string | null,
      workDir: null as string | null,
    });
    try {
      return await this.runInstall(opts.version, controller.signal, active);
    } catch (err) {
      const error = controller.signal.aborted && !(err instanceof MinerError) ? cancelledError() : err;
      this.emit('failed', { minerType: 'xmrig', version: active.version, error: toErrorPayload(error) });
      throw error;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (active.workDir) await rm(active.workDir, { recursive: true, force: true }).catch(() => {});
      this.active = null;
    }
  }

  private async runInstall(
    requested: string | undefined,
    signal: AbortSignal,
    active: { version: string | null; workDir: string | null },
  ): Promise<InstalledXmrig> {
    const phase = (p: InstallPhase, download: DownloadProgress | null = null) =>
      this.emit('progress', { minerType: 'xmrig', version: active.version, phase: p, download });
    const checkpoint = () => {
      if (signal.aborted) throw cancelledError();
    };
    const { minersDir } = this.options;
    phase('resolving');
    await this.cleanup();
    const pinned = await this.loadKey();
    const { releases } = await this.fetchReleases({ signal });
    const release = this.chooseRelease(releases, requested);
    active.version = release.version;
    const target = versionDir(minersDir, release.version);
    const asset = pickAsset(release, this.platform, this.arch);
    const format = archiveFormat(asset.name);
    if (!format) throw new InstallError('UNSUPPORTED', 'no-asset', `Unknown archive type: ${asset.name}`);
    const { sums: sumsAsset, signature: sigAsset } = signedSumsAssets(release);

    // The signature first: a release whose checksums do not verify is refused before the big download.
    phase('verifying-signature');
    const small = {
      fetch: this.options.fetch,
      signal,
      answerTimeoutMs: this.limits.answerTimeoutMs,
      maxBytes: this.limits.maxSumsBytes,
    };
    const [sumsBytes, sigBytes] = await Promise.all([
      getBytes(sumsAsset.url, { ...small, what: sumsAsset.name }),
      getBytes(sigAsset.url, { ...small, what: sigAsset.name }),
    ]);
    await verifyDetached(sumsBytes, sigBytes, pinned);
    const expected = expectedSha256(parseSha256Sums(Buffer.from(sumsBytes).toString('utf8')), asset.name);
    checkpoint();

    const workDir = await makeWorkDir(minersDir, 'install');
    active.workDir = workDir;
    const archivePath = path.join(workDir, `archive.${format}`);
    let last: DownloadProgress | null = null;
    phase('downloading', {
      bytes: 0,
      total: asset.size || null,
      percent: asset.size ? 0 : null,
      bytesPerSecond: 0,
    });
    const download = await downloadToFile(asset.url, archivePath, {
      fetch: this.options.fetch,
      signal,
      what: asset.name,
      expectedSize: asset.size || null,
      maxBytes: this.limits.maxArchiveBytes,
      answerTimeoutMs: this.limits.answerTimeoutMs,
      idleTimeoutMs: this.limits.idleTimeoutMs,
      now: this.now,
      onProgress: (p) => {
        last = p;
        phase('downloading', p);
      },
    });

    phase('verifying-archive', last);
    if (download.sha256 !== expected) {
      throw new InstallError(
        'VERIFICATION_FAILED',
        'checksum-mismatch',
        `${asset.name} does not match its signed checksum (got ${download.sha256}, expected ${expected}). Refused and deleted.`,
        { expected, actual: download.sha256 },
      );
    }
    checkpoint();

    phase('extracting');
    const extractDir = path.join(workDir, 'x');
    const files = await extractArchive(archivePath, format, extractDir, this.limits.extract, signal);
    await rm(archivePath, { force: true });
    checkpoint();

    phase('checking-binary');
    const content = await contentRoot(extractDir);
    const binName = binaryName(this.platform);
    const binary = path.join(content, binName);
    const relBinary = path.relative(extractDir, binary).split(path.sep).join('/');
    if (!files.some((f) => f.path === relBinary)) {
      throw new InstallError(
        'VERIFICATION_FAILED',
        'no-binary',
        `${asset.name} has no ${binName} in its top folder. Refused.`,
      );
    }
    if (!(await exists(binary))) throw this.quarantined(target, 'vanished right after it was unpacked');
    if (this.platform !== 'win32') await chmod(binary, 0o755);
    await checkBinaryVersion(binary, {
      expectedVersion: release.version,
      timeoutMs: this.limits.versionTimeoutMs,
      probe: this.options.probe,
      platform: this.platform,
      adviceDir: target,
    });
    checkpoint();

    phase('activating');
    let sha256: string;
    let size: number;
    try {
      sha256 = await sha256File(binary);
      size = (await stat(binary)).size;
    } catch {
      throw this.quarantined(target, 'could not be read after its version check');
    }
    const manifest: InstallManifest = {
      minerType: 'xmrig',
      version: release.version,
      binary: binName,
      sha256,
      size,
      archive: { name: asset.name, url: asset.url, sha256: download.sha256, size: download.bytes },
      signedBy: pinned.fingerprint,
      installedAt: new Date(this.now()).toISOString(),
    };
    await writeManifest(content, manifest);
    checkpoint();
    const { replaced } = await promote(content, target, workDir);
    const finalBinary = path.join(target, binName);
    try {
      if (!(await exists(finalBinary)))
        throw this.quarantined(target, 'vanished when it was moved into place');
      await this.options.trust.registerTrusted({
        path: finalBinary,
        minerType: 'xmrig',
        version: release.version,
        sha256,
        source: 'installed',
      });
    } catch (err) {
      // Nothing half-installed: the new folder goes, the one it replaced comes back.
      await demote(target, workDir, replaced);
      if (err instanceof MinerError) throw err;
      throw new InstallError(
        'INTERNAL',
        'storage',
        `Could not record XMRig ${release.version} as trusted: ${(err as Error).message}`,
      );
    }
    const installed: InstalledXmrig = {
      minerType: 'xmrig',
      version: release.version,
      dir: target,
      binaryPath: finalBinary,
      sha256,
      verified: true,
      installedAt: manifest.installedAt,
      status: releaseStatus(release.version, this.tested),
    };
    phase('done', last);
    this.emit('installed', installed);
    return installed;
  }

  private chooseRelease(releases: XmrigRelease[], requested: string | undefined): XmrigRelease {
    if (requested === undefined) return requireRecommended(releases, this.tested);
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

  private quarantined(dir: string, what: string): InstallError {
    return new InstallError(
      'SPAWN_FAILED',
      'quarantined',
      `The verified XMRig binary ${what}. ${quarantineAdvice(dir, this.platform)}`,
    );
  }

  private async installedVersions(): Promise<string[]> {
    return (await this.listInstalled()).map((i) => i.version);
  }

  private info(r: XmrigRelease, installed: readonly string[]): ReleaseInfo {
    const status = releaseStatus(r.version, this.tested);
    const asset = findAsset(r, this.platform, this.arch);
    return {
      version: r.version,
      tag: r.tag,
      name: r.name,
      publishedAt: r.publishedAt,
      prerelease: r.prerelease,
      status,
      note: status === 'newer-untested' ? UNTESTED_NOTE : null,
      asset: asset && { name: asset.name, size: asset.size },
      installed: installed.includes(r.version),
    };
  }
}

/** XMRig archives hold one folder (`xmrig-6.26.0/`); a flat archive is its own root. */
async function contentRoot(extractDir: string): Promise<string> {
  const entries = await readdir(extractDir, { withFileTypes: true });
  if (entries.length === 1 && entries[0]!.isDirectory()) return path.join(extractDir, entries[0]!.name);
  return extractDir;
}
