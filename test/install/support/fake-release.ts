// A fake XMRig release made in the test: archives whose `xmrig` is a tiny node script that prints the real
// 6.26.0 `--version` banner (test/data) and otherwise runs test/fakes/fake-xmrig.mjs, SHA256SUMS and its
// detached signature by a test key, served with GitHub's release-list shape from a loopback server.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTarGz, makeZip, type ArchiveEntry } from './archives';
import { signDetached, type TestKey } from './keys';

// From test/install/support, or from out/bench when bundled into the install benchmark.
const ROOT = [path.resolve(import.meta.dirname, '../../..'), path.resolve(import.meta.dirname, '../..')].find(
  (dir) => existsSync(path.join(dir, 'test/fakes/fake-xmrig.mjs')),
)!;
export const FAKE_XMRIG = path.join(ROOT, 'test/fakes/fake-xmrig.mjs');

/** The banner lines of the captured `./xmrig --version` (version.txt is a transcript with `$` and `[exit]`). */
export function realBanner(): string {
  const transcript = readFileSync(path.join(ROOT, 'test/data/xmrig-6.26.0/version.txt'), 'utf8');
  const lines = transcript.split('\n');
  const start = lines.findIndex((l) => l.startsWith('$ ')) + 1;
  const end = lines.findIndex((l, i) => i >= start && l.startsWith('[exit'));
  return `${lines.slice(start, end).join('\n')}\n`;
}

/**
 * The "xmrig" binary inside the fake archives: answers --version with `banner`, else runs the fake miner
 * with `env` (miners get a clean environment, so FAKE_* tuning travels inside the binary).
 */
export function fakeBinary(banner: string, env: Record<string, string> = {}): string {
  return [
    '#!/usr/bin/env node',
    "'use strict';",
    'const args = process.argv.slice(2);',
    "if (args.includes('--version') || args.includes('-V')) {",
    `  process.stdout.write(${JSON.stringify(banner)});`,
    '} else {',
    `  Object.assign(process.env, ${JSON.stringify(env)});`,
    `  import(${JSON.stringify(pathToFileURL(FAKE_XMRIG).href)});`,
    '}',
    '',
  ].join('\n');
}

export const LINUX_ASSET = (v: string) => `xmrig-${v}-linux-static-x64.tar.gz`;
export const WINDOWS_ASSET = (v: string) => `xmrig-${v}-windows-x64.zip`;

export interface FakeReleaseOptions {
  version: string;
  key: TestKey;
  /** What the binary says to --version; default: the real banner with this version. */
  bannerVersion?: string;
  /** Extra or replacement entries for both archives (hostile ones for the extraction tests). */
  extraEntries?: ArchiveEntry[];
  /** Replace the whole entry list of both archives. */
  entries?: (binaryName: string) => ArchiveEntry[];
  prerelease?: boolean;
  /** Leave the SHA256SUMS line of these assets out. */
  omitSums?: string[];
  /** FAKE_* variables the released "xmrig" sets before running the fake miner. */
  fakeEnv?: Record<string, string>;
}

export interface FakeRelease {
  version: string;
  tag: string;
  prerelease: boolean;
  assets: Map<string, Buffer>;
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export function sumsFor(assets: Map<string, Buffer>, omit: readonly string[] = []): Buffer {
  const lines = [...assets]
    .filter(([name]) => !omit.includes(name))
    .map(([name, data]) => `${sha256(data)}  ${name}\n`);
  return Buffer.from(lines.join(''));
}

export function defaultEntries(
  version: string,
  binaryName: string,
  banner: string,
  fakeEnv: Record<string, string> = {},
): ArchiveEntry[] {
  const dir = `xmrig-${version}`;
  return [
    { path: `${dir}/`, type: 'dir' },
    { path: `${dir}/${binaryName}`, content: fakeBinary(banner, fakeEnv), mode: 0o755 },
    { path: `${dir}/config.json`, content: '{"autosave": true}\n' },
    // Incompressible filler, so a download spans many chunks (real archives are a few MB).
    { path: `${dir}/filler.bin`, content: randomBytes(256 * 1024) },
    // The archive's own SHA256SUMS is unsigned (hashes of its contents): the installer must not use it.
    { path: `${dir}/SHA256SUMS`, content: '0000  xmrig\n' },
  ];
}

export async function buildRelease(opts: FakeReleaseOptions): Promise<FakeRelease> {
  const banner = realBanner().replace('6.26.0', opts.bannerVersion ?? opts.version);
  const entries = (bin: string) => [
    ...(opts.entries ? opts.entries(bin) : defaultEntries(opts.version, bin, banner, opts.fakeEnv)),
    ...(opts.extraEntries ?? []),
  ];
  const assets = new Map<string, Buffer>();
  assets.set(LINUX_ASSET(opts.version), makeTarGz(entries('xmrig')));
  assets.set(WINDOWS_ASSET(opts.version), await makeZip(entries('xmrig.exe')));
  assets.set(`xmrig-${opts.version}-macos-arm64.tar.gz`, makeTarGz(entries('xmrig')));
  const sums = sumsFor(assets, opts.omitSums);
  assets.set('SHA256SUMS', sums);
  assets.set('SHA256SUMS.sig', await signDetached(sums, opts.key));
  return { version: opts.version, tag: `v${opts.version}`, prerelease: opts.prerelease ?? false, assets };
}

/** How the server misbehaves for one asset. */
export interface AssetFault {
  status?: number;
  headers?: Record<string, string>;
  /** Send this many body bytes, then destroy the socket. */
  cutAt?: number;
  /** Send this many body bytes, then nothing (until the client gives up). */
  stallAt?: number;
}

export class FakeReleaseServer {
  readonly releases: FakeRelease[] = [];
  readonly faults = new Map<string, AssetFault>();
  listFault: AssetFault | null = null;
  readonly requests: string[] = [];
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  get releasesUrl(): string {
    return `http://127.0.0.1:${this.port}/repos/xmrig/xmrig/releases`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  add(release: FakeRelease): void {
    this.releases.push(release);
  }

  listJson(): unknown {
    return this.releases.map((r) => ({
      tag_name: r.tag,
      name: r.tag,
      draft: false,
      prerelease: r.prerelease,
      published_at: '2026-01-01T00:00:00Z',
      assets: [...r.assets].map(([name, data]) => ({
        name,
        size: data.length,
        browser_download_url: `http://127.0.0.1:${this.port}/download/${r.tag}/${name}`,
      })),
    }));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    this.requests.push(url);
    if (url.startsWith('/repos/xmrig/xmrig/releases')) {
      this.send(res, Buffer.from(JSON.stringify(this.listJson())), this.listFault, 'application/json');
      return;
    }
    const m = /^\/download\/([^/]+)\/([^/]+)$/.exec(url);
    const release = m && this.releases.find((r) => r.tag === decodeURIComponent(m[1]!));
    const data = m && release?.assets.get(decodeURIComponent(m[2]!));
    if (!m || !data) {
      res.writeHead(404).end('Not Found');
      return;
    }
    this.send(res, data, this.faults.get(decodeURIComponent(m[2]!)) ?? null, 'application/octet-stream');
  }

  private send(res: http.ServerResponse, data: Buffer, fault: AssetFault | null, type: string): void {
    if (fault?.status) {
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers });
      res.end(JSON.stringify({ message: 'fault' }));
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(data.length), ...fault?.headers });
    const cut = fault?.cutAt ?? fault?.stallAt;
    if (cut === undefined) {
      res.end(data);
      return;
    }
    res.write(data.subarray(0, cut), () => {
      if (fault?.cutAt !== undefined) res.socket?.destroy();
    });
  }
}
