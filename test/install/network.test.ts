// Network trouble gives clear errors and leaves nothing: a download cut halfway, cancel mid-download,
// offline (refused connection, unresolvable name), GitHub's rate limit (403/429 with reset), other statuses.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFailureOf } from '../../src/main/core/install/errors';
import { LINUX_ASSET } from './support/fake-release';
import { makeWorld, rejection, type World } from './support/harness';

let w: World;

beforeEach(async () => {
  w = await makeWorld();
  await w.release({ version: '6.26.0' });
});

afterEach(async () => {
  await w.dispose();
});

const assetSize = () => w.server.releases[0]!.assets.get(LINUX_ASSET('6.26.0'))!.length;

async function expectNothingLeft() {
  expect(await w.minersContent()).toEqual([]);
  expect(w.trust.registered).toEqual([]);
}

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('downloads that break', () => {
  it('a download cut halfway (socket destroyed mid-body) says so and leaves nothing', async () => {
    w.server.faults.set(LINUX_ASSET('6.26.0'), { cutAt: Math.floor(assetSize() / 2) });
    const err = await rejection(w.installer().install());
    expect(installFailureOf(err)).toBe('interrupted');
    expect(err.code).toBe('NETWORK');
    expect(err.message).toMatch(/was cut after \d+ of \d+ bytes|stopped after \d+ of \d+ bytes/);
    await expectNothingLeft();
  });

  it('cancel mid-download stops at once and leaves nothing', async () => {
    w.server.faults.set(LINUX_ASSET('6.26.0'), { stallAt: Math.floor(assetSize() / 2) });
    const installer = w.installer();
    const failed: unknown[] = [];
    installer.on('failed', (f) => failed.push(f));
    installer.on('progress', (p) => {
      if (p.phase === 'downloading' && p.download && p.download.bytes >= 1000) installer.cancel();
    });
    const started = Date.now();
    const err = await rejection(installer.install());
    expect(err.code).toBe('CANCELLED');
    // Well under the 5 s idle timeout: the cancel, not a timeout, ended it.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(installer.busy).toBeNull();
    expect(failed).toMatchObject([{ version: '6.26.0', error: { code: 'CANCELLED' } }]);
    await expectNothingLeft();
  });

  it('cancel through the caller AbortSignal works the same', async () => {
    w.server.faults.set(LINUX_ASSET('6.26.0'), { stallAt: Math.floor(assetSize() / 2) });
    const controller = new AbortController();
    const installer = w.installer();
    installer.on('progress', (p) => {
      if (p.phase === 'downloading' && (p.download?.bytes ?? 0) >= 1000) controller.abort();
    });
    const err = await rejection(installer.install({ signal: controller.signal }));
    expect(err.code).toBe('CANCELLED');
    await expectNothingLeft();
  });

  it('a server that stalls mid-body times out with a clear message', async () => {
    w.server.faults.set(LINUX_ASSET('6.26.0'), { stallAt: Math.floor(assetSize() / 2) });
    const err = await rejection(
      w
        .installer({ limits: { answerTimeoutMs: 5000, idleTimeoutMs: 300, versionTimeoutMs: 10_000 } })
        .install(),
    );
    expect(installFailureOf(err)).toBe('timeout');
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toContain(`127.0.0.1:${w.server.port} sent nothing for 300 ms`);
    await expectNothingLeft();
  });

  it('a body larger than the release list announced is refused', async () => {
    const release = w.server.releases[0]!;
    const json = w.server.listJson() as { assets: { name: string; size: number }[] }[];
    // Serve the real list but claim a smaller size for the archive.
    const list = JSON.stringify(json).replace(`"size":${assetSize()}`, `"size":${assetSize() - 100}`);
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/list')) res.end(list);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const installer = w.installer({
        source: {
          releasesUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/list`,
          downloadBaseUrl: null,
          key: { armored: w.key.armoredPublic, fingerprint: w.key.fingerprint },
        },
      });
      const err = await rejection(installer.install());
      expect(installFailureOf(err)).toBe('too-large');
      expect(release.assets.size).toBeGreaterThan(0);
      await expectNothingLeft();
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('offline and refused', () => {
  const sourceAt = (releasesUrl: string) => ({
    releasesUrl,
    downloadBaseUrl: null,
    key: { armored: w.key.armoredPublic, fingerprint: w.key.fingerprint },
  });

  it('a refused connection says the network looks unreachable (ECONNREFUSED)', async () => {
    const port = await closedPort();
    const err = await rejection(
      w.installer({ source: sourceAt(`http://127.0.0.1:${port}/releases`) }).install(),
    );
    expect(installFailureOf(err)).toBe('offline');
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain(`Cannot reach 127.0.0.1:${port}`);
    expect(err.message).toContain('ECONNREFUSED');
    await expectNothingLeft();
  });

  it('a name that does not resolve says the computer looks offline (ENOTFOUND, as undici reports it)', async () => {
    const fetchOffline = async () => {
      const cause = Object.assign(new Error('getaddrinfo ENOTFOUND api.github.com'), { code: 'ENOTFOUND' });
      throw new TypeError('fetch failed', { cause });
    };
    const err = await rejection(
      w
        .installer({
          source: sourceAt('https://api.github.com/repos/xmrig/xmrig/releases'),
          fetch: fetchOffline,
        })
        .checkForUpdate(),
    );
    expect(installFailureOf(err)).toBe('offline');
    expect(err.message).toBe(
      'Cannot reach api.github.com to fetch the XMRig release list: its name does not resolve (ENOTFOUND). This computer looks offline; check the network connection.',
    );
  });

  it("GitHub's 403 rate limit names the reset time", async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    w.server.listFault = {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    };
    const installer = w.installer();
    const err = await rejection(installer.install());
    expect(installFailureOf(err)).toBe('rate-limited');
    expect(err.message).toContain('rate-limiting requests from this network (HTTP 403)');
    expect(err.message).toContain(new Date(reset * 1000).toLocaleTimeString());
    expect(err.message).toMatch(/in 1[01] min/);
    expect(err.details).toMatchObject({ status: 403, resetAt: reset * 1000 });
    await expectNothingLeft();
  });

  it('a 429 with Retry-After says when to try again', async () => {
    w.server.faults.set(LINUX_ASSET('6.26.0'), { status: 429, headers: { 'retry-after': '120' } });
    const err = await rejection(w.installer().install());
    expect(installFailureOf(err)).toBe('rate-limited');
    expect(err.message).toContain('HTTP 429');
    expect(err.message).toContain('in 2 min');
    await expectNothingLeft();
  });

  it('a 403 that is not a rate limit, and a 404, are reported as HTTP statuses', async () => {
    w.server.faults.set('SHA256SUMS', { status: 403 });
    let err = await rejection(w.installer().install());
    expect(installFailureOf(err)).toBe('http-status');
    expect(err.message).toContain('HTTP 403');
    expect(err.message).toContain('SHA256SUMS');
    w.server.faults.clear();
    w.server.releases[0]!.assets.delete(LINUX_ASSET('6.26.0'));
    w.server.releases[0]!.assets.set(LINUX_ASSET('6.26.0'), Buffer.alloc(0));
    w.server.faults.set(LINUX_ASSET('6.26.0'), { status: 404 });
    err = await rejection(w.installer().install());
    expect(err.message).toContain('HTTP 404');
    await expectNothingLeft();
  });

  it('refuses plain http to a host that is not loopback', async () => {
    const err = await rejection(
      w.installer({ source: sourceAt('http://example.com/releases') }).checkForUpdate(),
    );
    expect(installFailureOf(err)).toBe('bad-url');
  });
});
