// Verified install of XMRig from a fake release on loopback: tar.gz (Linux) and zip (the Windows asset),
// signature → SHA256SUMS line → archive hash, extract, --version, atomic switch, then the trust store.
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../src/main/core/install/manifest';
import { LINUX_ASSET, WINDOWS_ASSET, sha256 } from './support/fake-release';
import { makeWorld, rejection, type World } from './support/harness';

const run = promisify(execFile);
let w: World;

beforeEach(async () => {
  w = await makeWorld();
});

afterEach(async () => {
  await w.dispose();
});

describe('install XMRig (verified)', () => {
  it('installs the tar.gz into <minersDir>/xmrig/<version>/, runnable, hashed and registered as trusted', async () => {
    await w.release({ version: '6.26.0' });
    const installer = w.installer();
    const installed = await installer.install();

    const dir = path.join(w.minersDir, 'xmrig', '6.26.0');
    const binary = path.join(dir, 'xmrig');
    expect(installed).toMatchObject({
      version: '6.26.0',
      dir,
      binaryPath: binary,
      verified: true,
      status: 'tested',
    });
    expect((await stat(binary)).mode & 0o111).toBe(0o111);
    const binarySha = sha256(await readFile(binary));
    expect(installed.sha256).toBe(binarySha);
    expect(w.trust.registered).toEqual([
      { path: binary, minerType: 'xmrig', version: '6.26.0', sha256: binarySha, source: 'installed' },
    ]);
    // Nothing else left in the miners folder: no work folder, no archive.
    expect(await w.minersContent()).toEqual(
      [
        'xmrig',
        'xmrig/6.26.0',
        'xmrig/6.26.0/SHA256SUMS',
        'xmrig/6.26.0/config.json',
        'xmrig/6.26.0/filler.bin',
        `xmrig/6.26.0/${MANIFEST_FILE}`,
        'xmrig/6.26.0/xmrig',
      ].sort(),
    );
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
    const archive = w.server.releases[0]!.assets.get(LINUX_ASSET('6.26.0'))!;
    expect(manifest).toMatchObject({
      version: '6.26.0',
      sha256: binarySha,
      archive: { name: LINUX_ASSET('6.26.0'), sha256: sha256(archive), size: archive.length },
      signedBy: w.key.fingerprint,
    });

    // The installed binary is a real executable: --version is the captured banner, anything else runs the fake.
    const version = await run(binary, ['--version']);
    expect(version.stdout.split('\n')[0]).toBe('XMRig 6.26.0');
    const help = await run(binary, ['--help']);
    expect(help.stdout).toContain('fake XMRig 6.26.0');

    expect(await installer.listInstalled()).toEqual([installed]);
  });

  it('reports progress through every phase, with bytes, total, percent and speed while downloading', async () => {
    await w.release({ version: '6.26.0' });
    await w.installer().install();
    const phases = [...new Set(w.progress.map((p) => p.phase))];
    expect(phases).toEqual([
      'resolving',
      'verifying-signature',
      'downloading',
      'verifying-archive',
      'extracting',
      'checking-binary',
      'activating',
      'done',
    ]);
    const size = w.server.releases[0]!.assets.get(LINUX_ASSET('6.26.0'))!.length;
    const last = w.progress.filter((p) => p.phase === 'downloading').at(-1)!.download!;
    expect(last).toMatchObject({ bytes: size, total: size, percent: 100 });
    expect(last.bytesPerSecond).toBeGreaterThanOrEqual(0);
    expect(w.progress.every((p) => p.minerType === 'xmrig')).toBe(true);
    expect(w.progress.at(-1)!.version).toBe('6.26.0');
  });

  it('installs the zip of the Windows build (xmrig.exe), verified the same way', async () => {
    await w.release({ version: '6.26.0' });
    const installed = await w.installer({ platform: 'win32', arch: 'x64' }).install();
    const binary = path.join(w.minersDir, 'xmrig', '6.26.0', 'xmrig.exe');
    expect(installed.binaryPath).toBe(binary);
    expect(w.trust.registered).toHaveLength(1);
    expect(w.trust.registered[0]!.sha256).toBe(sha256(await readFile(binary)));
    expect(w.server.requests).toContain(`/download/v6.26.0/${WINDOWS_ASSET('6.26.0')}`);
    expect(w.server.requests.some((r) => r.endsWith('.tar.gz'))).toBe(false);
  });

  it('accepts an armored or text-mode signature (how gpg may have written SHA256SUMS.sig)', async () => {
    const { signDetached } = await import('./support/keys');
    for (const [version, opts] of [
      ['6.26.0', { armored: true }],
      ['6.25.0', { text: true }],
    ] as const) {
      await w.release({ version });
      const release = w.server.releases.at(-1)!;
      release.assets.set(
        'SHA256SUMS.sig',
        await signDetached(release.assets.get('SHA256SUMS')!, w.key, opts),
      );
      await w.installer({ testedVersions: [version] }).install({ version });
    }
    expect(w.trust.registered.map((t) => t.version)).toEqual(['6.26.0', '6.25.0']);
  });

  it('refuses a second install while one runs, and a platform XMRig publishes nothing for', async () => {
    await w.release({ version: '6.26.0' });
    const installer = w.installer();
    const first = installer.install();
    const second = await rejection(installer.install());
    expect(second.code).toBe('ALREADY_RUNNING');
    await first;

    const err = await rejection(
      w.installer({ platform: 'linux', arch: 'ia32' }).install({ version: '6.26.0' }),
    );
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain('no build for linux/ia32');
  });

  it('refuses a version string that is not a plain version before touching the disk', async () => {
    await w.release({ version: '6.26.0' });
    const err = await rejection(w.installer().install({ version: '../../etc' }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(await w.minersContent()).toEqual([]);
  });
});
