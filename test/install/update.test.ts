// Update: the latest-version check is cached an hour (memory and a JSON file), newer untested releases are
// labelled, a new version installs beside the old one, which stays until the new one ran --version;
// uninstall refuses a version in use.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFailureOf } from '../../src/main/core/install/errors';
import { spawnVersionProbe, type VersionProbe } from '../../src/main/core/install/binary-check';
import { UNTESTED_NOTE } from '../../src/main/core/install/tested';
import { makeWorld, rejection, type World } from './support/harness';

let w: World;

beforeEach(async () => {
  w = await makeWorld();
});

afterEach(async () => {
  await w.dispose();
});

const listRequests = () => w.server.requests.filter((r) => r.startsWith('/repos/')).length;

describe('checking for updates', () => {
  it('recommends the newest tested version and labels a newer one "not yet tested"', async () => {
    await w.release({ version: '6.25.0' });
    await w.release({ version: '6.26.0' });
    await w.release({ version: '6.27.0' });
    await w.release({ version: '6.28.0', prerelease: true });
    const installer = w.installer({ testedVersions: ['6.25.0', '6.26.0'] });
    const check = await installer.checkForUpdate();
    expect(check).toMatchObject({
      current: null,
      updateAvailable: true,
      fromCache: false,
      recommended: { version: '6.26.0', status: 'tested', note: null, installed: false },
      latest: { version: '6.27.0', status: 'newer-untested', note: UNTESTED_NOTE },
      newerUntested: { version: '6.27.0', note: 'newer, not yet tested with HashDeck' },
    });
    expect(check.recommended?.asset?.name).toBe('xmrig-6.26.0-linux-static-x64.tar.gz');
    const releases = await installer.listReleases();
    expect(releases.map((r) => [r.version, r.status])).toEqual([
      ['6.28.0', 'newer-untested'],
      ['6.27.0', 'newer-untested'],
      ['6.26.0', 'tested'],
      ['6.25.0', 'tested'],
    ]);

    // The default install is the tested one, not the newest.
    await installer.install();
    expect(w.trust.registered.map((t) => t.version)).toEqual(['6.26.0']);
    const after = await installer.checkForUpdate();
    expect(after).toMatchObject({ current: '6.26.0', updateAvailable: false });
  });

  it('caches the release list for an hour, in memory and in the data folder', async () => {
    await w.release({ version: '6.26.0' });
    let now = 1_000_000;
    const cacheFile = path.join(w.root, 'data', 'xmrig-releases.json');
    const installer = w.installer({ now: () => now, cacheFile });
    await installer.checkForUpdate();
    expect(listRequests()).toBe(1);
    now += 59 * 60_000;
    expect((await installer.checkForUpdate()).fromCache).toBe(true);
    // A restart reads the file instead of asking GitHub again.
    expect((await w.installer({ now: () => now, cacheFile }).checkForUpdate()).fromCache).toBe(true);
    expect(listRequests()).toBe(1);
    now += 2 * 60_000;
    expect((await installer.checkForUpdate()).fromCache).toBe(false);
    expect(listRequests()).toBe(2);
    await installer.checkForUpdate({ force: true });
    expect(listRequests()).toBe(3);
  });

  it('does not cache a failure: rate-limited now, fine on the next try', async () => {
    await w.release({ version: '6.26.0' });
    const installer = w.installer();
    w.server.listFault = { status: 429, headers: { 'retry-after': '60' } };
    expect(installFailureOf(await rejection(installer.checkForUpdate()))).toBe('rate-limited');
    w.server.listFault = null;
    expect((await installer.checkForUpdate()).recommended?.version).toBe('6.26.0');
  });
});

describe('updating', () => {
  it('installs the new version beside the old one, which stays until the new one ran --version', async () => {
    await w.release({ version: '6.26.0' });
    const oldBinary = path.join(w.minersDir, 'xmrig', '6.26.0', 'xmrig');
    const seenDuringProbe: { oldThere: boolean; newThere: boolean; trusted: string[] }[] = [];
    const probe: VersionProbe = async (binary, opts) => {
      seenDuringProbe.push({
        oldThere: existsSync(oldBinary),
        newThere: existsSync(path.join(w.minersDir, 'xmrig', '6.27.0')),
        trusted: w.trust.registered.map((t) => t.version),
      });
      return spawnVersionProbe(binary, opts);
    };
    const tested = ['6.26.0', '6.27.0'];
    await w.installer({ testedVersions: tested, probe }).install();
    await w.release({ version: '6.27.0' });

    const result = await w.installer({ testedVersions: tested, probe }).update();
    expect(result.previous).toBe('6.26.0');
    expect(result.installed?.version).toBe('6.27.0');
    expect(seenDuringProbe[1]).toEqual({ oldThere: true, newThere: false, trusted: ['6.26.0'] });
    expect((await w.installer().listInstalled()).map((i) => i.version)).toEqual(['6.27.0', '6.26.0']);
    expect(w.trust.registered.map((t) => t.version)).toEqual(['6.26.0', '6.27.0']);
    // Already current: nothing to do.
    expect(await w.installer({ testedVersions: tested }).update()).toEqual({
      installed: null,
      previous: '6.27.0',
    });
  });

  it('a new version that fails --version leaves the old one installed and trusted', async () => {
    await w.release({ version: '6.26.0' });
    const tested = ['6.26.0', '6.27.0'];
    await w.installer({ testedVersions: tested }).install();
    const before = await w.minersContent();
    await w.release({ version: '6.27.0', bannerVersion: '6.26.0' });
    const err = await rejection(w.installer({ testedVersions: tested }).update());
    expect(installFailureOf(err)).toBe('version-mismatch');
    expect(await w.minersContent()).toEqual(before);
    expect(w.trust.registered.map((t) => t.version)).toEqual(['6.26.0']);
  });

  it("the caller's cancel reaches the install an update started", async () => {
    await w.release({ version: '6.26.0' });
    const tested = ['6.26.0', '6.27.0'];
    await w.installer({ testedVersions: tested }).install();
    await w.release({ version: '6.27.0' });
    const user = new AbortController();
    // The user cancels while the new binary is being checked.
    const probe: VersionProbe = async (binary, opts) => {
      user.abort();
      return spawnVersionProbe(binary, opts);
    };
    const err = await rejection(
      w.installer({ testedVersions: tested, probe }).update({ signal: user.signal }),
    );
    expect(installFailureOf(err)).toBe('cancelled');
    expect((await w.installer().listInstalled()).map((i) => i.version)).toEqual(['6.26.0']);
  });

  it('never moves to an untested release on its own', async () => {
    await w.release({ version: '6.26.0' });
    await w.installer().install();
    await w.release({ version: '6.27.0' });
    const check = await w.installer().checkForUpdate();
    expect(check).toMatchObject({ updateAvailable: false, newerUntested: { version: '6.27.0' } });
    expect((await w.installer().update()).installed).toBeNull();
    // ...but installs it when asked by version.
    expect((await w.installer().install({ version: '6.27.0' })).status).toBe('newer-untested');
  });
});

describe('uninstalling', () => {
  it('refuses a version in use, removes an unused one and forgets its trust entry first', async () => {
    await w.release({ version: '6.26.0' });
    const installer = w.installer();
    const installed = await installer.install();
    const removed: string[] = [];
    installer.on('uninstalled', (e) => removed.push(e.version));

    const busy = await rejection(installer.uninstall('6.26.0', { usedBy: ['Profile "CPU"'] }));
    expect(installFailureOf(busy)).toBe('in-use');
    expect(busy.message).toContain('Profile "CPU"');
    expect(existsSync(installed.binaryPath)).toBe(true);
    expect(w.trust.forgotten).toEqual([]);

    await installer.uninstall('6.26.0', { usedBy: [] });
    expect(w.trust.forgotten).toEqual([installed.binaryPath]);
    expect(await w.minersContent()).toEqual(['xmrig']);
    expect(removed).toEqual(['6.26.0']);
    expect(await installer.listInstalled()).toEqual([]);

    expect((await rejection(installer.uninstall('6.26.0'))).code).toBe('NOT_FOUND');
    expect((await rejection(installer.uninstall('../6.26.0'))).code).toBe('INVALID_INPUT');
  });
});
