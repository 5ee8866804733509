// Getting a miner through the service, as every transport does: installMiner from a loopback signed
// release answers at once, progress arrives as events, the installed binary becomes the default trusted
// one, a profile with no chosen binary runs it to a hashrate; uninstall refuses what is in use, an update
// keeps the old version until the new one ran --version, and no URL or path is accepted from the API.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstallStatus, InstalledMiners, Profile } from '../../src/shared/contract';
import type { MinerSnapshot } from '../../src/shared/model';
import { spawnVersionProbe, type VersionProbe } from '../../src/main/core/install/binary-check';
import { LINUX_ASSET } from '../install/support/fake-release';
import { makeInstallService, type InstallService } from '../support/install-service';

const POOL = 'stratum+tcp://127.0.0.1:3333';
const WALLET = '4-install-test-wallet';
let w: InstallService | null = null;

afterEach(async () => {
  await w?.dispose();
  w = null;
});

async function caught(p: Promise<unknown>): Promise<Error & { code?: string; details?: unknown }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string; details?: unknown };
  }
  throw new Error('expected a rejection');
}

/** Starts an install through the contract and waits for its last event. */
async function install(world: InstallService, version?: string): Promise<InstallStatus> {
  const since = world.events.length;
  const started = await world.service.invoke('installMiner', { minerType: 'xmrig', version });
  return world.waitFor('installProgress', (p) => p.installId === started.installId && p.state !== 'running', {
    since,
  });
}

async function xmrigProfile(world: InstallService, name: string, binaryId?: string): Promise<Profile> {
  return world.service.invoke('saveProfile', {
    name,
    minerType: 'xmrig',
    config: { pool: POOL, wallet: WALLET, threads: 1, ...(binaryId ? { binaryId } : {}) },
  });
}

async function hashing(world: InstallService, id: string): Promise<void> {
  await world.waitFor('stats', (b) => b.miners.some((m) => m.id === id && (m.stats.hashrate[0] ?? 0) > 0), {
    timeoutMs: 20_000,
  });
}

const list = (world: InstallService): Promise<InstalledMiners> => world.service.invoke('listInstalled', {});

describe('installing XMRig through the service', () => {
  it('answers at once, streams progress, trusts the binary as the default and runs it to a hashrate', async () => {
    w = await makeInstallService();
    await w.release('6.26.0');
    const since = w.events.length;

    const started = await w.service.invoke('installMiner', { minerType: 'xmrig' });
    expect(started).toMatchObject({ state: 'running', requested: null, minerType: 'xmrig', error: null });
    // One install at a time; the refusal says what is running.
    const again = await caught(w.service.invoke('installMiner', { minerType: 'xmrig' }));
    expect(again.code).toBe('ALREADY_RUNNING');
    expect((await list(w)).active?.installId).toBe(started.installId);

    const done = await w.waitFor(
      'installProgress',
      (p) => p.installId === started.installId && p.state !== 'running',
      { since },
    );
    expect(done).toMatchObject({ state: 'succeeded', phase: 'done', version: '6.26.0', error: null });
    const progress = w.events
      .slice(since)
      .filter((e) => e.name === 'installProgress')
      .map((e) => e.payload as InstallStatus);
    const phases = [...new Set(progress.map((p) => p.phase))];
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
    const downloads = progress.filter((p) => p.phase === 'downloading');
    expect(downloads.at(-1)).toMatchObject({ bytes: size, total: size, percent: 100 });
    expect(downloads.every((p) => p.bytesPerSecond >= 0 && (p.percent ?? 0) <= 100)).toBe(true);

    const installed = await list(w);
    expect(installed).toMatchObject({
      active: null,
      last: { state: 'succeeded' },
      testedVersions: ['6.26.0'],
    });
    expect(installed.versions).toHaveLength(1);
    const v = installed.versions[0]!;
    expect(v).toMatchObject({
      version: '6.26.0',
      folder: join(w.dataDir, 'miners', 'xmrig', '6.26.0'),
      verified: true,
      status: 'tested',
      note: null,
      health: 'ok',
      binaryId: done.binaryId,
      isDefault: true,
    });
    expect(v.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(installed.defaultBinaryId).toBe(done.binaryId);
    const trusted = await w.service.invoke('listTrustedBinaries', {});
    expect(trusted).toEqual([
      expect.objectContaining({
        id: done.binaryId,
        source: 'installed',
        version: '6.26.0',
        sha256: v.sha256,
      }),
    ]);
    // The transports saw the change without asking.
    await w.waitFor('installs', (l) => l.versions.some((x) => x.version === '6.26.0'), { since });
    await w.waitFor('binaries', (b) => b.some((x) => x.id === done.binaryId), { since });

    // A profile with no chosen binary follows the latest install and runs it.
    const profile = await xmrigProfile(w, 'CPU');
    const miner = await w.service.invoke('startMiner', { profileId: profile.id });
    expect(miner.binaryId).toBe(done.binaryId);
    await hashing(w, miner.id);
    const inUse = (await list(w)).versions[0]!.usedBy;
    expect(inUse.followingProfiles).toEqual([{ id: profile.id, name: 'CPU' }]);
    expect(inUse.runningMiners).toEqual([{ id: miner.id, name: 'CPU' }]);
  });

  it('refuses to uninstall a version a miner runs or a profile chose, naming them, then removes it', async () => {
    w = await makeInstallService();
    await w.release('6.26.0');
    const { binaryId } = await install(w);
    const following = await xmrigProfile(w, 'Follows latest');
    const miner = await w.service.invoke('startMiner', { profileId: following.id });

    const running = await caught(w.service.invoke('uninstallMiner', { version: '6.26.0' }));
    expect(running.code).toBe('INVALID_STATE');
    expect(running.message).toBe(
      `XMRig 6.26.0 is in use by running miner "Follows latest" (stop it first); it was not uninstalled.`,
    );
    expect(running.details).toMatchObject({ reason: 'in-use', usedBy: { miners: [{ id: miner.id }] } });

    await w.service.invoke('stopMiner', { id: miner.id });
    const pinned = await xmrigProfile(w, 'Pinned', binaryId!);
    const chosen = await caught(
      w.service.invoke('uninstallMiner', { minerType: 'xmrig', version: 'v6.26.0' }),
    );
    expect(chosen.message).toContain('profile "Pinned" (choose another binary for it first)');
    expect(existsSync(join(w.dataDir, 'miners', 'xmrig', '6.26.0', 'xmrig'))).toBe(true);

    await w.service.invoke('deleteProfile', { id: pinned.id });
    const since = w.events.length;
    const after = await w.service.invoke('uninstallMiner', { version: '6.26.0' });
    expect(after.versions).toEqual([]);
    expect(after.defaultBinaryId).toBeNull();
    expect(await readdir(join(w.dataDir, 'miners', 'xmrig'))).toEqual([]);
    expect(await w.service.invoke('listTrustedBinaries', {})).toEqual([]);
    const notice = await w.waitFor('notice', (n) => n.message.includes('uninstalled'), { since });
    expect(notice.message).toBe(
      'XMRig 6.26.0 was uninstalled. Profile "Follows latest" has no XMRig until you install or choose one.',
    );
    // With nothing trusted, a start says which actions exist where.
    const missing = await caught(w.service.invoke('startMiner', { profileId: following.id }));
    expect(missing.code).toBe('BINARY_MISSING');
    expect(missing.details).toMatchObject({ actions: ['install', 'choose'] });
    expect(missing.message).toMatch(
      /desktop app: "Install XMRig".*"Choose binary…".*headless mode: .*trust add/s,
    );
    expect((await caught(w.service.invoke('uninstallMiner', { version: '6.26.0' }))).code).toBe('NOT_FOUND');
  });

  it('an update switches profiles following "latest" only after the new version ran --version', async () => {
    const seen: { defaultId: string | null; oldThere: boolean }[] = [];
    let world: InstallService | null = null;
    const probe: VersionProbe = async (binary, opts) => {
      if (binary.includes('6.27.0') && world) {
        seen.push({
          defaultId: (await world.service.invoke('checkInstallation', { minerType: 'xmrig' })).binaryId,
          oldThere: existsSync(join(world.dataDir, 'miners', 'xmrig', '6.26.0', 'xmrig')),
        });
      }
      return spawnVersionProbe(binary, opts);
    };
    w = world = await makeInstallService({ install: { testedVersions: ['6.26.0', '6.27.0'], probe } });
    await w.release('6.26.0');
    const first = await install(w, '6.26.0');
    const profile = await xmrigProfile(w, 'Rig');
    const miner = await w.service.invoke('startMiner', { profileId: profile.id });
    expect(miner.binaryId).toBe(first.binaryId);

    await w.release('6.27.0');
    const check = await w.service.invoke('checkMinerUpdate', { force: true });
    expect(check).toMatchObject({
      current: '6.26.0',
      updateAvailable: true,
      recommended: { version: '6.27.0' },
    });
    expect((await list(w)).update).toMatchObject({ updateAvailable: true });

    const second = await install(w);
    expect(second).toMatchObject({ state: 'succeeded', version: '6.27.0' });
    // While the new binary ran --version, starts still used the old one, which was still there.
    expect(seen).toEqual([{ defaultId: first.binaryId, oldThere: true }]);

    const both = await list(w);
    expect(both.versions.map((v) => [v.version, v.isDefault])).toEqual([
      ['6.27.0', true],
      ['6.26.0', false],
    ]);
    expect(both.update).toMatchObject({ current: '6.27.0', updateAvailable: false });
    // The running miner keeps its binary; the old version stays until nothing runs it.
    expect(both.versions[1]!.usedBy.runningMiners).toEqual([{ id: miner.id, name: 'Rig' }]);
    expect((await caught(w.service.invoke('uninstallMiner', { version: '6.26.0' }))).code).toBe(
      'INVALID_STATE',
    );
    const restarted = await w.service.invoke('restartMiner', { id: miner.id });
    expect(restarted).toMatchObject({ binaryId: second.binaryId, version: '6.27.0' });
    const after = await w.service.invoke('uninstallMiner', { version: '6.26.0' });
    expect(after.versions.map((v) => v.version)).toEqual(['6.27.0']);
    await hashing(w, miner.id);
  });
});

describe('what the API may not do', () => {
  it.each([
    ['installMiner', { minerType: 'xmrig', url: 'http://127.0.0.1:1/evil.json' }],
    ['installMiner', { minerType: 'xmrig', releasesUrl: 'https://evil.example/releases' }],
    ['installMiner', { minerType: 'xmrig', downloadBaseUrl: 'https://evil.example' }],
    ['installMiner', { minerType: 'xmrig', keyFile: '/tmp/evil.asc' }],
    ['installMiner', { minerType: 'xmrig', version: 'https://evil.example/6.26.0' }],
    ['installMiner', { minerType: 'xmrig', version: '../../../../tmp/x' }],
    ['installMiner', { minerType: 'xmrig', version: '6.26.0/../../x' }],
    ['installMiner', { minerType: 'ttminer' }],
    ['installMiner', { minerType: 'xmrig', dir: '/tmp' }],
    ['checkMinerUpdate', { releasesUrl: 'https://evil.example/releases' }],
    ['uninstallMiner', { version: '../6.26.0' }],
    ['uninstallMiner', { version: '6.26.0', folder: '/etc' }],
    ['listInstalled', { minersDir: '/etc' }],
    ['cancelInstall', { id: '../x' }],
  ])('%s %j is INVALID_INPUT and contacts nothing', async (command, input) => {
    w = await makeInstallService();
    const before = w.server.requests.length;
    const err = await caught(w.service.invoke(command as 'installMiner', input));
    expect(err.code).toBe('INVALID_INPUT');
    expect(w.server.requests.length).toBe(before);
    expect((await list(w)).active).toBeNull();
  });
});

describe('failures the user can act on', () => {
  it('a cancelled download leaves nothing installed and says it was cancelled', async () => {
    w = await makeInstallService();
    await w.release('6.26.0');
    w.server.faults.set(LINUX_ASSET('6.26.0'), { stallAt: 4096 });
    const started = await w.service.invoke('installMiner', { minerType: 'xmrig' });
    await w.waitFor('installProgress', (p) => p.phase === 'downloading' && p.bytes > 0);
    expect(await w.service.invoke('cancelInstall', {})).toEqual({ cancelled: true });
    const end = await w.waitFor(
      'installProgress',
      (p) => p.installId === started.installId && p.state !== 'running',
    );
    expect(end).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect(await w.service.invoke('cancelInstall', {})).toEqual({ cancelled: false });
    expect(await readdir(join(w.dataDir, 'miners'))).toEqual([]);
    expect((await list(w)).versions).toEqual([]);
    expect(await w.service.invoke('listTrustedBinaries', {})).toEqual([]);
  });

  it('a failed install is reported in its last event and in listInstalled', async () => {
    w = await makeInstallService();
    await w.release('6.26.0', { bannerVersion: '6.25.0' });
    const end = await install(w);
    expect(end).toMatchObject({ state: 'failed', error: { code: 'VERIFICATION_FAILED' } });
    expect((end.error?.details as { reason?: string }).reason).toBe('version-mismatch');
    expect((await list(w)).last).toMatchObject({ installId: end.installId, state: 'failed' });
  });

  it('checkMinerUpdate says clearly when rate-limited or offline, and caches a good answer for an hour', async () => {
    w = await makeInstallService();
    await w.release('6.26.0');
    w.server.listFault = { status: 429, headers: { 'retry-after': '60' } };
    const limited = await caught(w.service.invoke('checkMinerUpdate', {}));
    expect(limited.code).toBe('NETWORK');
    expect(limited.details).toMatchObject({ reason: 'rate-limited' });
    expect(limited.message).toMatch(/is rate-limiting requests .*\(HTTP 429\).*resets at/);
    w.server.listFault = null;
    expect(await w.service.invoke('checkMinerUpdate', {})).toMatchObject({
      fromCache: false,
      updateAvailable: true,
    });
    expect(await w.service.invoke('checkMinerUpdate', {})).toMatchObject({ fromCache: true });
    await w.server.stop();
    // Cached: no network needed; forced: offline, said plainly.
    expect((await w.service.invoke('checkMinerUpdate', {})).fromCache).toBe(true);
    const offline = await caught(w.service.invoke('checkMinerUpdate', { force: true }));
    expect(offline.details).toMatchObject({ reason: 'offline' });
    expect(offline.message).toMatch(/Cannot reach 127\.0\.0\.1/);
  });
});

describe('antivirus reality at start time', () => {
  it('a quarantined (vanished) binary: the start says so, the list shows it missing, a reinstall repairs it', async () => {
    w = await makeInstallService();
    await w.release('6.26.0');
    const { binaryId } = await install(w);
    const binary = join(w.dataDir, 'miners', 'xmrig', '6.26.0', 'xmrig');
    await rm(binary);
    const profile = await xmrigProfile(w, 'AV');
    const err = await caught(w.service.invoke('startMiner', { profileId: profile.id }));
    expect(err.code).toBe('BINARY_MISSING');
    expect(err.message).toContain(
      `The XMRig 6.26.0 binary HashDeck installed and verified at ${binary} is gone.`,
    );
    expect(err.message).toMatch(
      /Security software often quarantines.*never changes security settings.*exclusion for/s,
    );
    expect(err.details).toMatchObject({ binaryId, reason: 'quarantined', actions: ['install', 'choose'] });
    expect((await list(w)).versions).toEqual([
      expect.objectContaining({ version: '6.26.0', health: 'missing', binaryId }),
    ]);

    const again = await install(w, '6.26.0');
    expect(again).toMatchObject({ state: 'succeeded', binaryId });
    expect((await list(w)).versions[0]!.health).toBe('ok');
  });

  it('a binary that may no longer be executed (EACCES at spawn) gets the same advice, never a settings change', async () => {
    w = await makeInstallService();
    await w.release('6.26.0');
    const { binaryId } = await install(w);
    const binary = join(w.dataDir, 'miners', 'xmrig', '6.26.0', 'xmrig');
    // chmod keeps size and mtime, so the trust check passes and the spawn itself is refused.
    await chmod(binary, 0o644);
    const profile = await xmrigProfile(w, 'Blocked');
    const err = await caught(w.service.invoke('startMiner', { profileId: profile.id }));
    expect(err.code).toBe('SPAWN_FAILED');
    expect(err.message).toContain('may not be executed (EACCES)');
    expect(err.message).toMatch(/Security software often quarantines or blocks crypto miners/);
    expect(err.details).toMatchObject({ binaryId, errno: 'EACCES', reason: 'quarantined' });
    const snap = (await w.service.invoke('getSnapshot', {})).miners.find(
      (m: MinerSnapshot) => m.name === 'Blocked',
    );
    expect(snap?.state).toBe('errored');
  });
});

describe('start-up', () => {
  it('a signing key override that cannot be read stops the start with a message naming the flag', async () => {
    const err = await caught(
      makeInstallService({
        install: {
          source: {
            releasesUrl: 'https://x.example/r',
            downloadBaseUrl: null,
            key: { armored: 'not a key', fingerprint: null },
          },
        },
      }),
    );
    expect(err.message).toMatch(
      /^Cannot install miners with the XMRig signing key given with --xmrig-key-file \/ HASHDECK_XMRIG_KEY_FILE: The pinned XMRig signing key cannot be read/,
    );
  });

  it('removes the work folder of an install a crash interrupted', async () => {
    const first = await makeInstallService();
    const leftover = join(first.dataDir, 'miners', '.hashdeck-install-999999999-0badc0de');
    await first.dispose();
    await mkdir(leftover, { recursive: true });
    w = await makeInstallService({ dataDir: first.dataDir });
    expect(existsSync(leftover)).toBe(false);
    expect(w.service.startupNotices).toContain(
      'Removed 1 unfinished XMRig install(s) left by an earlier session.',
    );
    await rm(first.dataDir, { recursive: true, force: true });
  });
});
