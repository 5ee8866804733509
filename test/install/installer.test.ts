// The installer object in-process (releases served from memory, `--version` scripted): one install at a
// time, cancel, events, version choice, the release cache, update checks and uninstall refusals.
import { getEventListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VersionProbe } from '../../src/main/core/install/binary-check';
import { installFailureOf } from '../../src/main/core/install/errors';
import { XmrigInstaller, type XmrigInstallerOptions } from '../../src/main/core/install/installer';
import { writeManifest } from '../../src/main/core/install/manifest';
import { TESTED_XMRIG_VERSIONS } from '../../src/main/core/install/tested';
import type { InstallProgress, InstallerEvents } from '../../src/main/core/install/types';
import { FakeTrust, rejection, testKey, until } from './support/harness';
import type { TestKey } from './support/keys';
import { LIST_URL, MemoryReleases } from './support/memory-release';

let root = '';
let minersDir = '';
let key: TestKey;
let served: MemoryReleases;
let trust: FakeTrust;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-installer-'));
  minersDir = path.join(root, 'miners');
  key = await testKey();
  served = new MemoryReleases();
  trust = new FakeTrust();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `--version` answers the version of the folder it runs from (xmrig-<version>/). */
const probe: VersionProbe = async (bin) => {
  const version = /xmrig-(\d+\.\d+\.\d+)/.exec(bin)?.[1] ?? null;
  return { output: `XMRig ${version}\n`, version };
};

function make(over: Partial<XmrigInstallerOptions> = {}) {
  const installer = new XmrigInstaller({
    minersDir,
    trust,
    source: {
      releasesUrl: LIST_URL,
      downloadBaseUrl: null,
      key: { armored: key.armoredPublic, fingerprint: key.fingerprint },
    },
    platform: 'linux',
    arch: 'x64',
    fetch: served.fetch,
    probe,
    ...over,
  });
  const events: { name: keyof InstallerEvents; payload: unknown }[] = [];
  for (const name of ['progress', 'installed', 'uninstalled', 'failed'] as const) {
    installer.on(name, (payload) => events.push({ name, payload }));
  }
  return { installer, events };
}

const listRequests = () => served.requests.filter((r) => r === LIST_URL).length;
const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
describe('installing', () => {
  it('installs the newest tested version, says so in events and leaves only the version folder', async () => {
    await served.add('6.26.0', key);
    await served.add('6.27.0', key);
    const { installer, events } = make();
    expect(installer.busy).toBeNull();
    const installed = await installer.install();
    expect(installed.version).toBe('6.26.0');
    const progress = events.filter((e) => e.name === 'progress').map((e) => e.payload as InstallProgress);
    expect(progress[0]).toEqual({ minerType: 'xmrig', version: null, phase: 'resolving', download: null });
    expect(progress.at(-1)).toMatchObject({ minerType: 'xmrig', version: '6.26.0', phase: 'done' });
    expect(events.filter((e) => e.name !== 'progress')).toEqual([{ name: 'installed', payload: installed }]);
    expect(installer.busy).toBeNull();
    expect(await readdir(minersDir)).toEqual(['xmrig']);
    expect(installer.testedVersions).toBe(TESTED_XMRIG_VERSIONS);
  });

  it('installs a version asked for (a "v" is fine); refuses a non-version or one not listed', async () => {
    await served.add('6.26.0', key);
    await served.add('6.27.0', key);
    const { installer, events } = make();
    expect((await installer.install({ version: 'v6.27.0' })).version).toBe('6.27.0');
    const bad = await rejection(installer.install({ version: 'latest' }));
    expect(bad.code).toBe('INVALID_INPUT');
    expect(installFailureOf(bad)).toBe('invalid-version');
    expect(bad.message).toBe('"latest" is not an XMRig version (like 6.26.0)');
    const missing = await rejection(installer.install({ version: '6.1.0' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(installFailureOf(missing)).toBe('no-release');
    expect(missing.message).toBe('XMRig 6.1.0 is not in the release list');
    const failed = events.filter((e) => e.name === 'failed').map((e) => e.payload);
    expect(failed).toEqual([
      {
        minerType: 'xmrig',
        version: null,
        error: expect.objectContaining({ code: 'INVALID_INPUT', message: bad.message }),
      },
      { minerType: 'xmrig', version: null, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
    ]);
  });

  it("a cancel reaches the release-list fetch, and the install lets go of the caller's signal", async () => {
    await served.add('6.26.0', key);
    const { installer } = make();
    served.holdList = new Promise(() => {}); // the list never comes
    const user = new AbortController();
    const pending = installer.install({ signal: user.signal });
    await until(() => listRequests() === 1, pending);
    user.abort();
    expect(installFailureOf(await rejection(pending))).toBe('cancelled');
    expect(getEventListeners(user.signal, 'abort')).toHaveLength(0);
    expect(installer.busy).toBeNull();
    // Likewise after an install that went through (no abort took the one-shot listener away).
    served.holdList = null;
    const kept = new AbortController();
    await installer.install({ signal: kept.signal });
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);
  });

  it('one install at a time, naming the version once it is known', async () => {
    await served.add('6.26.0', key);
    const { installer } = make();
    const list = deferred();
    served.holdList = list.promise;
    const first = installer.install();
    await until(() => listRequests() === 1, first);
    expect(installer.busy).toEqual({ version: null });
    expect((await rejection(installer.install())).message).toBe('An XMRig install is already running');
    const archive = deferred();
    served.holdArchive = archive.promise;
    list.resolve();
    await until(() => served.requests.some((r) => r.endsWith('.tar.gz')), first);
    expect(installer.busy).toEqual({ version: '6.26.0' });
    const second = await rejection(installer.install());
    expect(second.code).toBe('ALREADY_RUNNING');
    expect(installFailureOf(second)).toBe('busy');
    expect(second.message).toBe('An XMRig install (6.26.0) is already running');
    // Uninstalling the version being installed is refused too.
    const un = await rejection(installer.uninstall('6.26.0'));
    expect(un.code).toBe('ALREADY_RUNNING');
    expect(un.message).toBe('XMRig 6.26.0 is being installed right now');
    expect(installFailureOf(un)).toBe('busy');
    // Its work folder is in use: cleanup leaves it.
    expect(await installer.cleanup()).toEqual([]);
    expect((await readdir(minersDir)).filter((n) => n.startsWith('.hashdeck-install-'))).toHaveLength(1);
    archive.resolve();
    await first;
    expect(installer.busy).toBeNull();
  });

  it('cancel() stops the running install, which reports a cancel whatever step it was in', async () => {
    await served.add('6.26.0', key);
    const { installer, events } = make();
    expect(installer.cancel()).toBe(false);
    const archive = deferred();
    served.holdArchive = archive.promise;
    const pending = installer.install();
    await until(() => served.requests.some((r) => r.endsWith('.tar.gz')), pending);
    expect(installer.cancel()).toBe(true);
    const err = await rejection(pending);
    expect(err.code).toBe('CANCELLED');
    expect(events.filter((e) => e.name === 'failed').map((e) => e.payload)).toEqual([
      {
        minerType: 'xmrig',
        version: '6.26.0',
        error: {
          code: 'CANCELLED',
          message: 'The XMRig install was cancelled',
          details: { reason: 'cancelled' },
        },
      },
    ]);
    expect(installer.busy).toBeNull();
    expect(await readdir(minersDir)).toEqual([]);
    expect(trust.registered).toEqual([]);
  });

  it("the caller's signal cancels too; one aborted already is refused before any request", async () => {
    await served.add('6.26.0', key);
    const { installer } = make();
    const aborted = new AbortController();
    aborted.abort();
    expect((await rejection(installer.install({ signal: aborted.signal }))).code).toBe('CANCELLED');
    expect(served.requests).toEqual([]);
    expect(installer.busy).toBeNull();

    const controller = new AbortController();
    const archive = deferred();
    served.holdArchive = archive.promise;
    const pending = installer.install({ signal: controller.signal });
    await until(() => served.requests.some((r) => r.endsWith('.tar.gz')), pending);
    controller.abort();
    expect((await rejection(pending)).code).toBe('CANCELLED');
    // Detached afterwards: a later install with the same (aborted) signal object is not involved.
    served.holdArchive = null;
    expect((await make().installer.install()).version).toBe('6.26.0');
  });

  it('partial limits replace only what they name', async () => {
    await served.add('6.26.0', key);
    const { installer } = make({ limits: { maxArchiveBytes: 10 } });
    const err = await rejection(installer.install());
    expect(installFailureOf(err)).toBe('too-large');
    expect(err.message).toContain('more than the 10-byte limit');
  });

  it('loads the pinned key once', async () => {
    const { installer } = make();
    const a = installer.loadKey();
    expect(installer.loadKey()).toBe(a);
    expect((await a).fingerprint).toBe(key.fingerprint.toLowerCase());
  });
});

describe('the release list and update checks', () => {
  it('is fetched once an hour unless forced; the cached check never fetches', async () => {
    await served.add('6.26.0', key);
    let now = 1_000_000;
    const { installer } = make({ now: () => now });
    expect(await installer.cachedUpdateCheck()).toBeNull();
    const first = await installer.fetchReleases();
    expect(first).toMatchObject({ fetchedAt: 1_000_000, fromCache: false });
    now += 1000;
    expect(await installer.fetchReleases()).toMatchObject({ fetchedAt: 1_000_000, fromCache: true });
    expect(listRequests()).toBe(1);
    expect(await installer.fetchReleases({ force: true })).toMatchObject({
      fetchedAt: 1_001_000,
      fromCache: false,
    });
    expect(listRequests()).toBe(2);
    expect(await installer.cachedUpdateCheck()).toMatchObject({
      checkedAt: 1_001_000,
      fromCache: true,
      current: null,
      updateAvailable: true,
      recommended: { version: '6.26.0' },
    });
    expect(listRequests()).toBe(2);
  });

  it('a cache file made for another download mirror is not used', async () => {
    await served.add('6.26.0', key);
    const cacheFile = path.join(root, 'cache.json');
    await make({ cacheFile }).installer.fetchReleases();
    const source = {
      releasesUrl: LIST_URL,
      downloadBaseUrl: 'https://mirror.example/xmrig',
      key: { armored: key.armoredPublic, fingerprint: key.fingerprint },
    };
    const mirrored = await make({ cacheFile, source }).installer.fetchReleases();
    expect(mirrored.fromCache).toBe(false);
    expect(mirrored.releases[0]!.assets[0]!.url).toMatch(/^https:\/\/mirror\.example\/xmrig\/v6\.26\.0\//);
    expect((await make({ cacheFile }).installer.fetchReleases()).fromCache).toBe(false);
    // Nor one made for a different mirror.
    await make({ cacheFile, source }).installer.fetchReleases();
    const other = { ...source, downloadBaseUrl: 'https://other.example/xmrig' };
    expect((await make({ cacheFile, source: other }).installer.fetchReleases()).fromCache).toBe(false);
  });

  it('lists releases with what is installed, and updates only to a newer tested version', async () => {
    await served.add('6.25.0', key);
    const tested = ['6.25.0', '6.26.0'];
    const { installer } = make({ testedVersions: tested });
    expect(installer.testedVersions).toEqual(tested);
    expect(await installer.update()).toEqual({
      installed: expect.objectContaining({ version: '6.25.0' }),
      previous: null,
    });
    expect(await installer.update()).toEqual({ installed: null, previous: '6.25.0' });
    await served.add('6.26.0', key);
    const result = await installer.update({ force: true });
    expect(result).toMatchObject({ installed: { version: '6.26.0' }, previous: '6.25.0' });
    expect((await installer.listReleases()).map((r) => [r.version, r.installed])).toEqual([
      ['6.26.0', true],
      ['6.25.0', true],
    ]);
    expect((await installer.checkForUpdate()).current).toBe('6.26.0');
  });
});

describe('uninstalling', () => {
  it('forgets the binary its record names, then removes the folder and says so', async () => {
    const dir = path.join(minersDir, 'xmrig', '6.26.0');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'renamed'), 'x');
    await writeManifest(dir, {
      minerType: 'xmrig',
      version: '6.26.0',
      binary: 'renamed',
      sha256: 'a'.repeat(64),
      size: 1,
      archive: { name: 'a', url: 'https://g/a', sha256: 'b'.repeat(64), size: 1 },
      signedBy: 'f',
      installedAt: 'now',
    });
    const { installer, events } = make();
    await installer.uninstall('6.26.0');
    expect(trust.forgotten).toEqual([path.join(dir, 'renamed')]);
    expect(existsSync(dir)).toBe(false);
    expect(await readdir(minersDir)).toEqual(['xmrig']);
    expect(events).toEqual([{ name: 'uninstalled', payload: { minerType: 'xmrig', version: '6.26.0' } }]);
  });

  it('a hand-copied folder: the platform binary is forgotten', async () => {
    const dir = path.join(minersDir, 'xmrig', '6.26.0');
    await mkdir(dir, { recursive: true });
    await make({ platform: 'win32' }).installer.uninstall('6.26.0', { usedBy: [] });
    expect(trust.forgotten).toEqual([path.join(dir, 'xmrig.exe')]);
  });

  it('refuses a version in use (naming who uses it) or not installed', async () => {
    const dir = path.join(minersDir, 'xmrig', '6.26.0');
    await mkdir(dir, { recursive: true });
    const { installer } = make();
    const busy = await rejection(installer.uninstall('6.26.0', { usedBy: ['Profile "CPU"', 'miner 2'] }));
    expect(busy.code).toBe('INVALID_STATE');
    expect(installFailureOf(busy)).toBe('in-use');
    expect(busy.message).toBe(
      'XMRig 6.26.0 is used by Profile "CPU", miner 2; switch them to another version before uninstalling it.',
    );
    expect(busy.details).toEqual({ usedBy: ['Profile "CPU"', 'miner 2'], reason: 'in-use' });
    expect(existsSync(dir)).toBe(true);
    expect(trust.forgotten).toEqual([]);
    const none = await rejection(installer.uninstall('6.25.0'));
    expect(none.code).toBe('NOT_FOUND');
    expect(installFailureOf(none)).toBe('not-installed');
    expect(none.message).toBe('XMRig 6.25.0 is not installed');
  });
});
