// Picks the release asset for this platform and architecture, by XMRig's naming: Linux static builds
// (x64, arm64 where published), macOS arm64/x64, Windows x64 (msvc or gcc); plus SHA256SUMS and its .sig.
import { InstallError } from './errors';
import type { ReleaseAsset, XmrigRelease } from './releases';

/** Asset name suffixes after `xmrig-<version>-`, best first. */
const SUFFIXES: Record<string, readonly string[]> = {
  'linux-x64': ['linux-static-x64.tar.gz', 'linux-x64.tar.gz'],
  'linux-arm64': ['linux-static-arm64.tar.gz', 'linux-arm64.tar.gz'],
  'darwin-arm64': ['macos-arm64.tar.gz'],
  'darwin-x64': ['macos-x64.tar.gz'],
  'win32-x64': ['windows-x64.zip', 'msvc-win64.zip', 'gcc-win64.zip'],
  'freebsd-x64': ['freebsd-static-x64.tar.gz'],
};

export const SUMS_ASSET = 'SHA256SUMS';
export const SIGNATURE_ASSET = 'SHA256SUMS.sig';

export function platformKey(platform: NodeJS.Platform, arch: string): string {
  return `${platform}-${arch}`;
}

/** The names this platform would accept for a version, best first (empty: XMRig ships nothing for it). */
export function candidateAssetNames(version: string, platform: NodeJS.Platform, arch: string): string[] {
  return (SUFFIXES[platformKey(platform, arch)] ?? []).map((s) => `xmrig-${version}-${s}`);
}

export function findAsset(
  release: XmrigRelease,
  platform: NodeJS.Platform,
  arch: string,
): ReleaseAsset | null {
  for (const name of candidateAssetNames(release.version, platform, arch)) {
    const asset = release.assets.find((a) => a.name === name);
    if (asset) return asset;
  }
  return null;
}

export function pickAsset(release: XmrigRelease, platform: NodeJS.Platform, arch: string): ReleaseAsset {
  const asset = findAsset(release, platform, arch);
  if (asset) return asset;
  const published = release.assets
    .map((a) => a.name)
    .filter((n) => n.startsWith('xmrig-'))
    .join(', ');
  throw new InstallError(
    'UNSUPPORTED',
    'no-asset',
    `XMRig ${release.version} has no build for ${platform}/${arch}${published ? ` (published: ${published})` : ''}.`,
    { platform, arch },
  );
}

export function signedSumsAssets(release: XmrigRelease): { sums: ReleaseAsset; signature: ReleaseAsset } {
  const sums = release.assets.find((a) => a.name === SUMS_ASSET);
  const signature = release.assets.find((a) => a.name === SIGNATURE_ASSET);
  if (!sums || !signature) {
    throw new InstallError(
      'VERIFICATION_FAILED',
      'missing-checksums',
      `XMRig ${release.version} publishes no ${!sums ? SUMS_ASSET : SIGNATURE_ASSET}, so its download cannot be verified. Refused.`,
    );
  }
  return { sums, signature };
}
