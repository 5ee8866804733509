// One install, step by step: signed SHA256SUMS → download (hashed while streaming) → compare → extract →
// `--version` → manifest → one rename into place → trust store. Any failure leaves only the work folder.
import { chmod, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { MinerError } from '../../../shared/errors';
import type { InstallPhase } from '../../../shared/installs';
import { pickAsset, signedSumsAssets } from './assets';
import { checkBinaryVersion, quarantineAdvice, type VersionProbe } from './binary-check';
import { downloadToFile, type DownloadProgress } from './download';
import { InstallError, cancelledError } from './errors';
import { archiveFormat, extractArchive } from './extract';
import { sha256File } from './hash-file';
import { getBytes, type FetchLike } from './http';
import { binaryName, demote, exists, makeWorkDir, promote, versionDir } from './layout';
import { writeManifest, type InstallManifest } from './manifest';
import type { ReleaseAsset, XmrigRelease } from './releases';
import { verifyDetached, type PinnedKey } from './signature';
import { expectedSha256, parseSha256Sums } from './sums';
import { releaseStatus } from './tested';
import type { InstallLimits, InstallTrust, InstalledXmrig } from './types';

export interface PipelineContext {
  minersDir: string;
  platform: NodeJS.Platform;
  arch: string;
  limits: InstallLimits;
  tested: readonly string[];
  pinned: PinnedKey;
  trust: InstallTrust;
  signal: AbortSignal;
  now: () => number;
  fetch?: FetchLike;
  probe?: VersionProbe;
  phase: (phase: InstallPhase, download?: DownloadProgress | null) => void;
  /** Told the work folder as soon as it exists, so the caller deletes it whatever happens. */
  onWorkDir: (dir: string) => void;
}

function checkpoint(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}

function quarantined(dir: string, what: string, platform: NodeJS.Platform): InstallError {
  return new InstallError(
    'SPAWN_FAILED',
    'quarantined',
    `The verified XMRig binary ${what}. ${quarantineAdvice(dir, platform)}`,
  );
}

/** The archive's expected SHA-256, from a SHA256SUMS whose signature by the pinned key checked out. */
async function signedChecksum(
  release: XmrigRelease,
  asset: ReleaseAsset,
  ctx: PipelineContext,
): Promise<string> {
  const { sums, signature } = signedSumsAssets(release);
  const small = {
    fetch: ctx.fetch,
    signal: ctx.signal,
    answerTimeoutMs: ctx.limits.answerTimeoutMs,
    maxBytes: ctx.limits.maxSumsBytes,
  };
  const [sumsBytes, sigBytes] = await Promise.all([
    getBytes(sums.url, { ...small, what: sums.name }),
    getBytes(signature.url, { ...small, what: signature.name }),
  ]);
  await verifyDetached(sumsBytes, sigBytes, ctx.pinned);
  return expectedSha256(parseSha256Sums(Buffer.from(sumsBytes).toString('utf8')), asset.name);
}

/** XMRig archives hold one folder (`xmrig-6.26.0/`); a flat archive is its own root. */
async function contentRoot(extractDir: string): Promise<string> {
  const entries = await readdir(extractDir, { withFileTypes: true });
  if (entries.length === 1 && entries[0]!.isDirectory()) return path.join(extractDir, entries[0]!.name);
  return extractDir;
}

export async function installRelease(release: XmrigRelease, ctx: PipelineContext): Promise<InstalledXmrig> {
  const { signal, platform } = ctx;
  const target = versionDir(ctx.minersDir, release.version);
  const asset = pickAsset(release, platform, ctx.arch);
  const format = archiveFormat(asset.name);
  if (!format) throw new InstallError('UNSUPPORTED', 'no-asset', `Unknown archive type: ${asset.name}`);

  // The signature first: a release whose checksums do not verify is refused before the big download.
  ctx.phase('verifying-signature');
  const expected = await signedChecksum(release, asset, ctx);
  checkpoint(signal);

  const workDir = await makeWorkDir(ctx.minersDir, 'install');
  ctx.onWorkDir(workDir);
  const archivePath = path.join(workDir, `archive.${format}`);
  let last: DownloadProgress | null = null;
  ctx.phase('downloading', {
    bytes: 0,
    total: asset.size || null,
    percent: asset.size ? 0 : null,
    bytesPerSecond: 0,
  });
  const download = await downloadToFile(asset.url, archivePath, {
    fetch: ctx.fetch,
    signal,
    what: asset.name,
    expectedSize: asset.size || null,
    maxBytes: ctx.limits.maxArchiveBytes,
    answerTimeoutMs: ctx.limits.answerTimeoutMs,
    idleTimeoutMs: ctx.limits.idleTimeoutMs,
    now: ctx.now,
    onProgress: (p) => {
      last = p;
      ctx.phase('downloading', p);
    },
  });

  ctx.phase('verifying-archive', last);
  if (download.sha256 !== expected) {
    throw new InstallError(
      'VERIFICATION_FAILED',
      'checksum-mismatch',
      `${asset.name} does not match its signed checksum (got ${download.sha256}, expected ${expected}). Refused and deleted.`,
      { expected, actual: download.sha256 },
    );
  }
  checkpoint(signal);

  ctx.phase('extracting');
  const extractDir = path.join(workDir, 'x');
  const files = await extractArchive(archivePath, format, extractDir, ctx.limits.extract, signal);
  await rm(archivePath);
  checkpoint(signal);

  ctx.phase('checking-binary');
  const content = await contentRoot(extractDir);
  const binName = binaryName(platform);
  const binary = path.join(content, binName);
  const relBinary = path.relative(extractDir, binary).split(path.sep).join('/');
  if (!files.some((f) => f.path === relBinary)) {
    throw new InstallError(
      'VERIFICATION_FAILED',
      'no-binary',
      `${asset.name} has no ${binName} in its top folder. Refused.`,
    );
  }
  if (!(await exists(binary))) throw quarantined(target, 'vanished right after it was unpacked', platform);
  if (platform !== 'win32') await chmod(binary, 0o755);
  await checkBinaryVersion(binary, {
    expectedVersion: release.version,
    timeoutMs: ctx.limits.versionTimeoutMs,
    probe: ctx.probe,
    platform,
    adviceDir: target,
  });
  checkpoint(signal);

  ctx.phase('activating');
  let sha256: string;
  let size: number;
  try {
    sha256 = await sha256File(binary);
    size = (await stat(binary)).size;
  } catch {
    throw quarantined(target, 'could not be read after its version check', platform);
  }
  const manifest: InstallManifest = {
    minerType: 'xmrig',
    version: release.version,
    binary: binName,
    sha256,
    size,
    archive: { name: asset.name, url: asset.url, sha256: download.sha256, size: download.bytes },
    signedBy: ctx.pinned.fingerprint,
    installedAt: new Date(ctx.now()).toISOString(),
  };
  await writeManifest(content, manifest);
  checkpoint(signal);

  // From here on there is no cancel: the switch and the registration succeed or are undone together.
  const { replaced } = await promote(content, target, workDir);
  const finalBinary = path.join(target, binName);
  try {
    if (!(await exists(finalBinary))) {
      throw quarantined(target, 'vanished when it was moved into place', platform);
    }
    await ctx.trust.registerTrusted({
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
  ctx.phase('done', last);
  return {
    minerType: 'xmrig',
    version: release.version,
    dir: target,
    binaryPath: finalBinary,
    sha256,
    verified: true,
    installedAt: manifest.installedAt,
    status: releaseStatus(release.version, ctx.tested),
  };
}
