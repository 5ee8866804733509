// XMRig releases served from memory by a scripted fetch (GitHub's release-list shape, signed SHA256SUMS),
// for in-process installer tests: no server, no socket; an asset or the list can be held back or failed.
import type { FetchLike } from '../../../src/main/core/install/http';
import { makeTarGz, makeZip, type ArchiveEntry } from './archives';
import { sumsFor } from './fake-release';
import { signDetached, type TestKey } from './keys';

export const LIST_URL = 'https://api.github.com/repos/xmrig/xmrig/releases';
export const DOWNLOAD_URL = 'https://github.com/xmrig/xmrig/releases/download';

export const entriesFor = (version: string, bin: string): ArchiveEntry[] => [
  { path: `xmrig-${version}/`, type: 'dir' },
  { path: `xmrig-${version}/${bin}`, content: `BINARY ${version}`, mode: 0o755 },
];

interface MemoryRelease {
  version: string;
  prerelease: boolean;
  assets: Map<string, Buffer>;
}

export class MemoryReleases {
  readonly releases: MemoryRelease[] = [];
  readonly requests: string[] = [];
  /** Answers of the list URL wait for this while set. */
  holdList: Promise<void> | null = null;
  /** Archive downloads wait for this while set. */
  holdArchive: Promise<void> | null = null;

  async add(version: string, key: TestKey, opts: { prerelease?: boolean } = {}): Promise<void> {
    const assets = new Map<string, Buffer>();
    assets.set(`xmrig-${version}-linux-static-x64.tar.gz`, makeTarGz(entriesFor(version, 'xmrig')));
    assets.set(`xmrig-${version}-windows-x64.zip`, await makeZip(entriesFor(version, 'xmrig.exe')));
    const sums = sumsFor(assets);
    assets.set('SHA256SUMS', sums);
    assets.set('SHA256SUMS.sig', await signDetached(sums, key));
    this.releases.push({ version, prerelease: opts.prerelease ?? false, assets });
  }

  listJson(): unknown {
    return this.releases.map((r) => ({
      tag_name: `v${r.version}`,
      prerelease: r.prerelease,
      assets: [...r.assets].map(([name, data]) => ({
        name,
        size: data.length,
        browser_download_url: `${DOWNLOAD_URL}/v${r.version}/${name}`,
      })),
    }));
  }

  readonly fetch: FetchLike = async (url, init) => {
    this.requests.push(url);
    const aborted = new Promise<never>((_, reject) =>
      init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true }),
    );
    aborted.catch(() => {});
    if (url === LIST_URL) {
      if (this.holdList) await Promise.race([this.holdList, aborted]);
      return new Response(JSON.stringify(this.listJson()));
    }
    const m = /^https:\/\/github\.com\/xmrig\/xmrig\/releases\/download\/v([^/]+)\/(.+)$/.exec(url);
    const data = m && this.releases.find((r) => r.version === m[1])?.assets.get(m[2]!);
    if (!data) return new Response('Not Found', { status: 404 });
    if (this.holdArchive && /\.(tar\.gz|zip)$/.test(url)) await Promise.race([this.holdArchive, aborted]);
    return new Response(new Uint8Array(data));
  };
}
