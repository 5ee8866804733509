// One install step by step, in-process: the release served from memory by a scripted fetch, `--version`
// answered by a scripted probe, so every phase, checkpoint, refusal and undo is pinned without a server or
// a child process. Also the OpenPGP checks with the pinned key on their own.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VersionProbe } from '../../src/main/core/install/binary-check';
import { InstallError, installFailureOf } from '../../src/main/core/install/errors';
import { DEFAULT_EXTRACT_LIMITS } from '../../src/main/core/install/extract';
import type { FetchLike } from '../../src/main/core/install/http';
import { MANIFEST_FILE } from '../../src/main/core/install/manifest';
import { installRelease, type PipelineContext } from '../../src/main/core/install/pipeline';
import type { XmrigRelease } from '../../src/main/core/install/releases';
import { loadPinnedKey, verifyDetached, type PinnedKey } from '../../src/main/core/install/signature';
import { makeTarGz, makeZip, type ArchiveEntry } from './support/archives';
import { sha256, sumsFor } from './support/fake-release';
import { FakeTrust, otherKey, rejection, testKey } from './support/harness';
import { makeTestKey, signDetached, type TestKey } from './support/keys';

const BASE = 'https://github.com/xmrig/xmrig/releases/download/v6.26.0';
const TAR = 'xmrig-6.26.0-linux-static-x64.tar.gz';
const ZIP = 'xmrig-6.26.0-windows-x64.zip';

let root = '';
let minersDir = '';
let key: TestKey;
let pinned: PinnedKey;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-pipeline-'));
  minersDir = path.join(root, 'miners');
  key = await testKey();
  pinned = await loadPinnedKey(key.armoredPublic, key.fingerprint);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const defaultEntries = (bin: string): ArchiveEntry[] => [
  { path: 'xmrig-6.26.0/', type: 'dir' },
  { path: `xmrig-6.26.0/${bin}`, content: 'BINARY', mode: 0o644 },
  { path: 'xmrig-6.26.0/config.json', content: '{}' },
];

interface Served {
  release: XmrigRelease;
  assets: Map<string, Buffer>;
  requests: string[];
  fetch: FetchLike;
}

/** A release of `entries` (per binary name), signed by `signer`, served from memory. */
async function serve(
  opts: { entries?: (bin: string) => ArchiveEntry[]; signer?: TestKey; sizes?: 'listed' | 'zero' } = {},
): Promise<Served> {
  const entries = opts.entries ?? defaultEntries;
  const assets = new Map<string, Buffer>();
  assets.set(TAR, makeTarGz(entries('xmrig')));
  assets.set(ZIP, await makeZip(entries('xmrig.exe')));
  const sums = sumsFor(assets);
  assets.set('SHA256SUMS', sums);
  assets.set('SHA256SUMS.sig', await signDetached(sums, opts.signer ?? key));
  const requests: string[] = [];
  const fetch: FetchLike = async (url) => {
    requests.push(url);
    const data = assets.get(decodeURIComponent(url.slice(BASE.length + 1)));
    return data ? new Response(new Uint8Array(data)) : new Response('Not Found', { status: 404 });
  };
  const release: XmrigRelease = {
    version: '6.26.0',
    tag: 'v6.26.0',
    name: 'v6.26.0',
    publishedAt: null,
    prerelease: false,
    assets: [...assets].map(([name, data]) => ({
      name,
      size: opts.sizes === 'zero' ? 0 : data.length,
      url: `${BASE}/${name}`,
    })),
  };
  return { release, assets, requests, fetch };
}

const banner: VersionProbe = async () => ({ output: 'XMRig 6.26.0\n built on ...\n', version: '6.26.0' });

interface Run {
  ctx: PipelineContext;
  phases: string[];
  downloads: (unknown | null)[];
  trust: FakeTrust;
  controller: AbortController;
  workDirs: string[];
}

function context(served: Served, over: Partial<PipelineContext> = {}, onPhase?: (p: string) => void): Run {
  const phases: string[] = [];
  const downloads: (unknown | null)[] = [];
  const trust = new FakeTrust();
  const controller = new AbortController();
  const workDirs: string[] = [];
  const ctx: PipelineContext = {
    minersDir,
    platform: 'linux',
    arch: 'x64',
    limits: {
      maxArchiveBytes: 10_000_000,
      maxSumsBytes: 64 * 1024,
      answerTimeoutMs: 5000,
      idleTimeoutMs: 5000,
      versionTimeoutMs: 5000,
      extract: DEFAULT_EXTRACT_LIMITS,
    },
    tested: ['6.26.0'],
    pinned,
    trust,
    signal: controller.signal,
    now: () => Date.parse('2026-02-03T04:05:06.000Z'),
    fetch: served.fetch,
    probe: banner,
    phase: (p, d = null) => {
      phases.push(p);
      downloads.push(d);
      onPhase?.(p);
    },
    onWorkDir: (d) => workDirs.push(d),
    ...over,
  };
  return { ctx, phases, downloads, trust, controller, workDirs };
}

const target = () => path.join(minersDir, 'xmrig', '6.26.0');
const leftInMiners = async () => {
  try {
    return (await readdir(minersDir, { recursive: true }))
      .map(String)
      .filter((p) => !p.startsWith('.hashdeck-'));
  } catch {
    return [];
  }
};

describe('installing a release, step by step', () => {
  it('verifies, unpacks, checks, records and activates, in this order', async () => {
    const served = await serve();
    const run = context(served);
    const installed = await installRelease(served.release, run.ctx);
    const bin = path.join(target(), 'xmrig');
    expect(run.phases.filter((p, i) => p !== run.phases[i - 1])).toEqual([
      'verifying-signature',
      'downloading',
      'verifying-archive',
      'extracting',
      'checking-binary',
      'activating',
      'done',
    ]);
    const archive = served.assets.get(TAR)!;
    expect(run.downloads[1]).toEqual({ bytes: 0, total: archive.length, percent: 0, bytesPerSecond: 0 });
    const last = run.downloads.at(-1);
    expect(last).toMatchObject({ bytes: archive.length, total: archive.length, percent: 100 });
    // The last download report travels with the phases after the download.
    expect(run.downloads[run.phases.indexOf('verifying-archive')]).toBe(last);
    const binSha = sha256(Buffer.from('BINARY'));
    expect(installed).toEqual({
      minerType: 'xmrig',
      version: '6.26.0',
      dir: target(),
      binaryPath: bin,
      sha256: binSha,
      verified: true,
      installedAt: '2026-02-03T04:05:06.000Z',
      status: 'tested',
    });
    if (process.platform !== 'win32') expect((await stat(bin)).mode & 0o777).toBe(0o755);
    expect(JSON.parse(await readFile(path.join(target(), MANIFEST_FILE), 'utf8'))).toEqual({
      minerType: 'xmrig',
      version: '6.26.0',
      binary: 'xmrig',
      sha256: binSha,
      size: 6,
      archive: { name: TAR, url: `${BASE}/${TAR}`, sha256: sha256(archive), size: archive.length },
      signedBy: key.fingerprint,
      installedAt: '2026-02-03T04:05:06.000Z',
    });
    expect(run.trust.registered).toEqual([
      { path: bin, minerType: 'xmrig', version: '6.26.0', sha256: binSha, source: 'installed' },
    ]);
    // The archive is deleted once unpacked; the work folder holds only what the caller deletes.
    expect(run.workDirs).toHaveLength(1);
    expect(existsSync(path.join(run.workDirs[0]!, 'archive.tar.gz'))).toBe(false);
    expect(served.requests).toEqual(
      expect.arrayContaining([`${BASE}/SHA256SUMS`, `${BASE}/SHA256SUMS.sig`, `${BASE}/${TAR}`]),
    );
    expect(served.requests).toHaveLength(3);
  });

  it('an untested release installs with its status; sizes the list does not give are unknown', async () => {
    const served = await serve({ sizes: 'zero' });
    const run = context(served, { tested: ['6.25.0'] });
    const installed = await installRelease(served.release, run.ctx);
    expect(installed.status).toBe('newer-untested');
    expect(run.downloads[1]).toEqual({ bytes: 0, total: null, percent: null, bytesPerSecond: 0 });
  });

  it('on Windows the zip is used, the binary is xmrig.exe and its mode is left alone', async () => {
    const served = await serve();
    const run = context(served, { platform: 'win32' });
    const installed = await installRelease(served.release, run.ctx);
    expect(installed.binaryPath).toBe(path.join(target(), 'xmrig.exe'));
    expect(served.requests).toContain(`${BASE}/${ZIP}`);
    if (process.platform !== 'win32') expect((await stat(installed.binaryPath)).mode & 0o777).toBe(0o644);
  });

  it('a flat archive (no top folder) is its own root', async () => {
    const served = await serve({
      entries: (bin) => [
        { path: bin, content: 'BINARY' },
        { path: 'README', content: 'r' },
      ],
    });
    const installed = await installRelease(served.release, context(served).ctx);
    expect(await readFile(installed.binaryPath, 'utf8')).toBe('BINARY');
    expect(existsSync(path.join(target(), 'README'))).toBe(true);
  });

  it('a flat archive with folders beside the binary is its own root too', async () => {
    const served = await serve({
      entries: (bin) => [
        { path: bin, content: 'BINARY' },
        ...['doc', 'scripts', 'share', 'extra'].map((d) => ({ path: `${d}/`, type: 'dir' as const })),
        { path: 'doc/README', content: 'r' },
      ],
    });
    const installed = await installRelease(served.release, context(served).ctx);
    expect(installed.binaryPath).toBe(path.join(target(), 'xmrig'));
    expect(await readFile(path.join(target(), 'doc', 'README'), 'utf8')).toBe('r');
  });

  it('an archive whose one top entry is a file (not a folder) is flat too', async () => {
    const served = await serve({ entries: (bin) => [{ path: bin, content: 'BINARY' }] });
    const installed = await installRelease(served.release, context(served).ctx);
    expect(installed.binaryPath).toBe(path.join(target(), 'xmrig'));
  });

  it('the binary must be in the top folder, not deeper', async () => {
    const served = await serve({
      entries: (bin) => [
        { path: `xmrig-6.26.0/bin/${bin}`, content: 'BINARY' },
        { path: 'xmrig-6.26.0/x', content: '' },
      ],
    });
    const err = await rejection(installRelease(served.release, context(served).ctx));
    expect(err.code).toBe('VERIFICATION_FAILED');
    expect(installFailureOf(err)).toBe('no-binary');
    expect(err.message).toBe(`${TAR} has no xmrig in its top folder. Refused.`);
  });

  it('an archive that does not match its signed checksum names both hashes', async () => {
    const served = await serve();
    const good = served.assets.get(TAR)!;
    const bad = Buffer.from(good);
    bad[bad.length - 10] = bad[bad.length - 10]! ^ 0xff;
    served.assets.set(TAR, bad);
    const err = await rejection(installRelease(served.release, context(served).ctx));
    expect(installFailureOf(err)).toBe('checksum-mismatch');
    expect(err.message).toBe(
      `${TAR} does not match its signed checksum (got ${sha256(bad)}, expected ${sha256(good)}). Refused and deleted.`,
    );
    expect(err.details).toMatchObject({ expected: sha256(good), actual: sha256(bad) });
  });

  it('a release signed by another key is refused before the archive is fetched', async () => {
    const served = await serve({ signer: await otherKey() });
    const run = context(served);
    const err = await rejection(installRelease(served.release, run.ctx));
    expect(installFailureOf(err)).toBe('wrong-key');
    expect(served.requests.some((r) => r.endsWith(TAR))).toBe(false);
    expect(run.workDirs).toEqual([]);
  });

  it('a binary that vanished right after unpacking is reported as likely quarantined', async () => {
    const served = await serve();
    const probe: VersionProbe = async () => {
      throw new Error('the probe must not run');
    };
    const run = context(served, { probe }, (p) => {
      // What an on-access scanner does between unpacking and the check.
      if (p === 'checking-binary') rmSync(path.join(run.workDirs[0]!, 'x', 'xmrig-6.26.0', 'xmrig'));
    });
    const err = await rejection(installRelease(served.release, run.ctx));
    expect(err.code).toBe('SPAWN_FAILED');
    expect(installFailureOf(err)).toBe('quarantined');
    expect(err.message).toMatch(
      /^The verified XMRig binary vanished right after it was unpacked\. Security software/,
    );
    expect(err.message).toContain(`exclusion for ${target()}`);
  });

  it('a binary that cannot be read after its version check is likely quarantined', async () => {
    const served = await serve();
    const eaten: VersionProbe = async (bin) => {
      await rm(bin);
      return { output: 'XMRig 6.26.0\n', version: '6.26.0' };
    };
    const run = context(served, { probe: eaten });
    const err = await rejection(installRelease(served.release, run.ctx));
    expect(installFailureOf(err)).toBe('quarantined');
    expect(err.message).toMatch(/^The verified XMRig binary could not be read after its version check\. /);
    expect(await leftInMiners()).toEqual([]);
  });

  it('the version check gets the expected version, its timeout and the final folder for advice', async () => {
    const served = await serve();
    const seen: unknown[] = [];
    const probe: VersionProbe = async (bin, opts) => {
      seen.push(opts);
      return { output: 'XMRig 6.25.0\n', version: '6.25.0' };
    };
    const err = await rejection(installRelease(served.release, context(served, { probe }).ctx));
    expect(installFailureOf(err)).toBe('version-mismatch');
    expect(err.message).toContain('expected XMRig 6.26.0');
    expect(seen).toEqual([{ timeoutMs: 5000 }]);
  });

  describe('cancel', () => {
    for (const phase of ['downloading', 'verifying-archive', 'extracting', 'checking-binary', 'activating']) {
      it(`during "${phase}" stops before the next step and activates nothing`, async () => {
        const served = await serve();
        let fired = false;
        const run = context(served, {}, (p) => {
          if (p === phase && !fired) {
            fired = true;
            run.controller.abort();
          }
        });
        const err = await rejection(installRelease(served.release, run.ctx));
        expect(installFailureOf(err)).toBe('cancelled');
        expect(existsSync(target())).toBe(false);
        expect(run.trust.registered).toEqual([]);
        expect(run.phases).not.toContain('done');
      });
    }

    it('after the signature check, before any work folder', async () => {
      const served = await serve();
      const run = context(served, {}, (p) => p === 'verifying-signature' && run.controller.abort());
      const err = await rejection(installRelease(served.release, run.ctx));
      expect(installFailureOf(err)).toBe('cancelled');
      expect(run.workDirs).toEqual([]);
    });
  });

  describe('a trust store that fails', () => {
    it('undoes the switch and keeps its own error when it is a MinerError', async () => {
      const served = await serve();
      const run = context(served);
      const own = new InstallError('STORAGE', 'storage', 'trust file locked');
      run.trust.fail = own;
      expect(await rejection(installRelease(served.release, run.ctx))).toBe(own);
      expect(existsSync(target())).toBe(false);
    });

    it('wraps any other error as an internal failure naming the version', async () => {
      const served = await serve();
      const run = context(served);
      run.trust.fail = new Error('disk full');
      const err = await rejection(installRelease(served.release, run.ctx));
      expect(err.code).toBe('INTERNAL');
      expect(installFailureOf(err)).toBe('storage');
      expect(err.message).toBe('Could not record XMRig 6.26.0 as trusted: disk full');
      expect(run.phases).not.toContain('done');
    });
  });
});

describe('OpenPGP with the pinned key', () => {
  it('a private key given as the pinned one is reduced to its public part; no fingerprint: any key', async () => {
    const armoredPrivate = key.privateKey.armor();
    const p = await loadPinnedKey(armoredPrivate, null);
    expect(p.key.isPrivate()).toBe(false);
    expect(p.fingerprint).toBe(key.fingerprint.toLowerCase());
    // Primary key and its encryption subkey, lowercase hex.
    expect(p.keyIds).toHaveLength(2);
    expect(p.keyIds.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
  });

  it('an unreadable key or another fingerprint is refused', async () => {
    const bad = await rejection(loadPinnedKey('not a key', null));
    expect(bad.code).toBe('INTERNAL');
    expect(installFailureOf(bad)).toBe('bad-key');
    expect(bad.message).toMatch(/^The pinned XMRig signing key cannot be read: /);
    const other = await rejection(loadPinnedKey(key.armoredPublic, 'ab'.repeat(20)));
    expect(other.code).toBe('INTERNAL');
    expect(installFailureOf(other)).toBe('bad-key');
    expect(other.message).toBe(
      `The pinned XMRig signing key has fingerprint ${key.fingerprint}, expected ${'ab'.repeat(20)}`,
    );
    expect(other.details).toMatchObject({ fingerprint: key.fingerprint, expected: 'ab'.repeat(20) });
  });

  it('verifies binary and armored signatures (armored even after leading blank lines)', async () => {
    const data = Buffer.from('abc  x.tar.gz\n');
    const bin = await verifyDetached(data, await signDetached(data, key), pinned);
    expect(pinned.keyIds).toContain(bin.keyId);
    const armored = await signDetached(data, key, { armored: true });
    await verifyDetached(data, Buffer.concat([Buffer.from('\r\n\n'), armored]), pinned);
  });

  it('tells "signed by another key" from "changed after signing", naming the file', async () => {
    const data = Buffer.from('abc  x.tar.gz\n');
    const foreign = await otherKey();
    const wrong = await rejection(verifyDetached(data, await signDetached(data, foreign), pinned, 'LIST'));
    expect(wrong.code).toBe('VERIFICATION_FAILED');
    expect(installFailureOf(wrong)).toBe('wrong-key');
    const foreignPinned = await loadPinnedKey(foreign.armoredPublic, null);
    const signer = foreignPinned.keyIds.find((id) => wrong.message.includes(id));
    expect(signer).toBeDefined();
    expect(wrong.message).toBe(
      `LIST was signed by key ${signer}, not by XMRig's key ${pinned.fingerprint}. Refused.`,
    );
    expect(wrong.details).toMatchObject({ signedBy: [signer], expected: pinned.fingerprint });
    // Signed by two other keys: both are named.
    const third = await makeTestKey('A third party');
    const both = Buffer.concat([await signDetached(data, foreign), await signDetached(data, third)]);
    const two = await rejection(verifyDetached(data, both, pinned, 'LIST'));
    expect(two.message).toMatch(/^LIST was signed by key [0-9a-f]{16}, [0-9a-f]{16}, not by XMRig's key /);
    // Without a name it is the SHA256SUMS file it talks about.
    const unnamed = await rejection(verifyDetached(data, await signDetached(data, foreign), pinned));
    expect(unnamed.message).toMatch(/^SHA256SUMS was signed by key /);

    const changed = await rejection(
      verifyDetached(Buffer.from('abd  x.tar.gz\n'), await signDetached(data, key), pinned, 'LIST'),
    );
    expect(installFailureOf(changed)).toBe('bad-signature');
    expect(changed.message).toMatch(
      /^LIST does not match its signature by XMRig's key \(.+\): it was changed after signing\. Refused\.$/,
    );

    const junk = await rejection(
      verifyDetached(data, Buffer.from('-----BEGIN PGP SIGNATURE-----\nxx'), pinned),
    );
    expect(installFailureOf(junk)).toBe('bad-signature');
    expect(junk.message).toMatch(/^SHA256SUMS\.sig is not an OpenPGP signature: /);
  });

  it('a signature packet list with no signature at all is refused', async () => {
    // A valid OpenPGP packet list of another kind (a literal data packet) read as a signature.
    const literal = await openpgp.createMessage({ binary: Buffer.from('x') });
    const err = await rejection(verifyDetached(Buffer.from('x'), literal.write() as Uint8Array, pinned));
    expect(installFailureOf(err)).toBe('bad-signature');
    // A marker packet (tag 10, body "PGP") is the one packet readers must skip: it reads as a signature
    // file holding no signature at all.
    const marker = Uint8Array.from([0xa8, 0x03, 0x50, 0x47, 0x50]);
    const empty = await rejection(verifyDetached(Buffer.from('x'), marker, pinned, 'LIST'));
    expect(empty).toMatchObject({
      code: 'VERIFICATION_FAILED',
      message: 'LIST.sig holds no signature',
      details: { reason: 'bad-signature' },
    });
  });
});
