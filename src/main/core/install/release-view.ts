// What the UI and the API see of releases and installed versions: tested or not, the archive this machine
// would get, installed or not, and whether an update is available. Pure functions over plain data.
import path from 'node:path';
import type { ReleaseSummary, UpdateCheck } from '../../../shared/installs';
import { findAsset } from './assets';
import { binaryName, exists, installedVersionNames, versionDir } from './layout';
import { readManifest } from './manifest';
import type { XmrigRelease } from './releases';
import { UNTESTED_NOTE, recommendedRelease, releaseStatus } from './tested';
import type { InstalledXmrig } from './types';
import { compareVersionStrings } from './version-order';

export interface ViewContext {
  tested: readonly string[];
  platform: NodeJS.Platform;
  arch: string;
}

export function releaseSummary(
  r: XmrigRelease,
  installed: readonly string[],
  ctx: ViewContext,
): ReleaseSummary {
  const status = releaseStatus(r.version, ctx.tested);
  const asset = findAsset(r, ctx.platform, ctx.arch);
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

/** `installed` is newest first. */
export function updateCheck(
  releases: readonly XmrigRelease[],
  installed: readonly string[],
  fetched: { fetchedAt: number; fromCache: boolean },
  ctx: ViewContext,
): UpdateCheck {
  const current = installed[0] ?? null;
  const recommended = recommendedRelease(releases, ctx.tested);
  const latest = releases.find((r) => !r.prerelease) ?? null;
  // "newer-untested" is not older than any tested version, so it is newer than the recommended (tested) one:
  // release versions are normalized, so one equal in order to a tested version would be that version.
  const newerUntested =
    latest && releaseStatus(latest.version, ctx.tested) === 'newer-untested' ? latest : null;
  const info = (r: XmrigRelease | null) => r && releaseSummary(r, installed, ctx);
  return {
    checkedAt: fetched.fetchedAt,
    fromCache: fetched.fromCache,
    current,
    recommended: info(recommended),
    latest: info(latest),
    updateAvailable:
      recommended !== null && (current === null || compareVersionStrings(recommended.version, current) > 0),
    newerUntested: info(newerUntested),
  };
}

/** Version folders with their binary, newest first; folders without a HashDeck record count as unverified. */
export async function listInstalled(minersDir: string, ctx: ViewContext): Promise<InstalledXmrig[]> {
  const out: InstalledXmrig[] = [];
  for (const version of await installedVersionNames(minersDir)) {
    const dir = versionDir(minersDir, version);
    const manifest = await readManifest(dir);
    const binaryPath = path.join(dir, manifest?.binary ?? binaryName(ctx.platform));
    if (!(await exists(binaryPath))) continue;
    out.push({
      minerType: 'xmrig',
      version,
      dir,
      binaryPath,
      sha256: manifest?.sha256 ?? null,
      verified: manifest !== null && manifest.version === version,
      installedAt: manifest?.installedAt ?? null,
      status: releaseStatus(version, ctx.tested),
    });
  }
  return out;
}
