// The installer's files on disk, in-process: the miners folder layout (work folders, leftovers, the one-rename
// switch and its undo), the install record, the release-list cache and what the UI sees of releases.
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFailureOf } from '../../src/main/core/install/errors';
import {
  binaryName,
  cleanLeftovers,
  demote,
  exists,
  installedVersionNames,
  makeWorkDir,
  promote,
  typeDir,
  versionDir,
} from '../../src/main/core/install/layout';
import {
  MANIFEST_FILE,
  readManifest,
  writeManifest,
  type InstallManifest,
} from '../../src/main/core/install/manifest';
import { RELEASE_CACHE_TTL_MS, ReleaseCache } from '../../src/main/core/install/release-cache';
import { listInstalled, releaseSummary, updateCheck } from '../../src/main/core/install/release-view';
import type { XmrigRelease } from '../../src/main/core/install/releases';
import { rejection } from './support/harness';

const posix = process.platform !== 'win32';
let root = '';
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-files-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const ls = async (p: string) => (await readdir(p)).sort();

describe('the miners folder layout', () => {
  it('names version folders only by plain versions, and the binary per platform', () => {
    expect(typeDir('/m')).toBe(path.join('/m', 'xmrig'));
    expect(versionDir('/m', '6.26.0')).toBe(path.join('/m', 'xmrig', '6.26.0'));
    for (const bad of ['v6.26.0', '06.26.0', '../x', '']) {
      const err = (() => {
        try {
          versionDir('/m', bad);
        } catch (e) {
          return e as Error & { code?: string };
        }
        throw new Error('accepted');
      })();
      expect(err.code).toBe('INVALID_INPUT');
      expect(installFailureOf(err)).toBe('invalid-version');
      expect(err.message).toBe(`"${bad}" is not an XMRig version (like 6.26.0)`);
    }
    expect(binaryName('win32')).toBe('xmrig.exe');
    expect(binaryName('linux')).toBe('xmrig');
    expect(binaryName('darwin')).toBe('xmrig');
  });

  it('makes a private work folder named for this process, creating the miners folder private too', async () => {
    const miners = path.join(root, 'miners');
    const dir = await makeWorkDir(miners, 'remove');
    expect(path.dirname(dir)).toBe(miners);
    expect(path.basename(dir)).toMatch(new RegExp(`^\\.hashdeck-remove-${process.pid}-[0-9a-f]{8}$`));
    if (posix) {
      expect(await modeOf(dir)).toBe(0o700);
      expect(await modeOf(miners)).toBe(0o700);
    }
    expect(path.basename(await makeWorkDir(miners, 'install'))).toMatch(/^\.hashdeck-install-/);
    const blocked = path.join(root, 'file');
    await writeFile(blocked, 'x');
    const err = await rejection(makeWorkDir(blocked, 'install'));
    expect(installFailureOf(err)).toBe('storage');
    expect(err.message).toContain(`Could not create a work folder in ${blocked}: `);
  });

  it('deletes only work folders of dead processes or of this one not in use', async () => {
    const miners = path.join(root, 'miners');
    const names = [
      `.hashdeck-install-${process.pid}-0badc0de`, // this process, not active: a leftover
      `.hashdeck-remove-${process.pid}-0badc0df`, // this process, active: kept
      '.hashdeck-install-999999999-0badc0de', // no such process: a leftover
      '.hashdeck-update-999999999-0badc0de', // not a kind we make
      '.hashdeck-install-999999999-0badc0d', // not our name shape
      'x.hashdeck-install-999999999-0badc0de',
      '.hashdeck-install-999999999-0badc0dex',
      '.hashdeck-install-abc-0badc0de',
      'xmrig',
    ];
    for (const n of names) await mkdir(path.join(miners, n), { recursive: true });
    const active = new Set([path.join(miners, names[1]!)]);
    const removed = await cleanLeftovers(miners, active);
    expect(removed.sort()).toEqual([path.join(miners, names[2]!), path.join(miners, names[0]!)].sort());
    expect(await ls(miners)).toEqual(names.filter((_, i) => i !== 0 && i !== 2).sort());
    expect(await cleanLeftovers(path.join(root, 'none'), new Set())).toEqual([]);
  });

  it('a leftover another HashDeck deletes at the same moment is not an error', async () => {
    const miners = path.join(root, 'miners');
    const dir = path.join(miners, '.hashdeck-install-999999999-0badc0de');
    await mkdir(path.join(dir, 'x'), { recursive: true });
    // Asked right before the delete: the other process wins the race.
    class OtherProcessDeletes extends Set<string> {
      override has(d: string): boolean {
        rmSync(d, { recursive: true, force: true });
        return false;
      }
    }
    expect(await cleanLeftovers(miners, new OtherProcessDeletes())).toEqual([dir]);
    expect(await ls(miners)).toEqual([]);
  });

  it('promotes a folder with one rename, moving an existing version aside', async () => {
    const work = path.join(root, 'work');
    await mkdir(work);
    const target = path.join(root, 'miners', 'xmrig', '6.26.0');
    const content = path.join(work, 'new');
    await mkdir(content);
    await writeFile(path.join(content, 'f'), 'new');
    expect(await promote(content, target, work)).toEqual({ replaced: null });
    expect(await readFile(path.join(target, 'f'), 'utf8')).toBe('new');
    if (posix) expect(await modeOf(path.dirname(target))).toBe(0o755);

    const next = path.join(work, 'next');
    await mkdir(next);
    await writeFile(path.join(next, 'f'), 'next');
    const { replaced } = await promote(next, target, work);
    expect(replaced).toBe(path.join(work, 'replaced'));
    expect(await readFile(path.join(target, 'f'), 'utf8')).toBe('next');
    expect(await readFile(path.join(replaced!, 'f'), 'utf8')).toBe('new');

    // Undo: the rejected folder leaves, the replaced one returns.
    await demote(target, work, replaced);
    expect(await readFile(path.join(target, 'f'), 'utf8')).toBe('new');
    expect(await readFile(path.join(work, 'rejected', 'f'), 'utf8')).toBe('next');
  });

  it('a failed switch puts the previous version back and says so', async () => {
    const work = path.join(root, 'work');
    await mkdir(work);
    const target = path.join(root, 'xmrig', '6.26.0');
    await mkdir(target, { recursive: true });
    await writeFile(path.join(target, 'f'), 'old');
    const err = await rejection(promote(path.join(work, 'missing'), target, work));
    expect(installFailureOf(err)).toBe('storage');
    expect(err.message).toContain(`Could not move the new version into ${target}: `);
    expect(await readFile(path.join(target, 'f'), 'utf8')).toBe('old');
    expect(existsSync(path.join(work, 'replaced'))).toBe(false);

    const blocked = path.join(root, 'blocked');
    await writeFile(blocked, 'x');
    const err2 = await rejection(promote(work, path.join(blocked, 'xmrig', '6.26.0'), work));
    expect(err2.message).toContain(`Could not create ${path.join(blocked, 'xmrig')}: `);
  });

  it('a previous version that cannot be moved aside stays in place, and the error says why', async () => {
    const target = path.join(root, 'xmrig', '6.26.0');
    await mkdir(target, { recursive: true });
    await writeFile(path.join(target, 'f'), 'old');
    const content = path.join(root, 'new');
    await mkdir(content);
    // The work folder is gone, so the rename aside fails (on Windows: the old binary is running).
    const err = await rejection(promote(content, target, path.join(root, 'gone')));
    expect(installFailureOf(err)).toBe('storage');
    expect(err.message).toMatch(/^Could not move the previous 6\.26\.0 aside \(is it running\?\): .*ENOENT/);
    expect(await readFile(path.join(target, 'f'), 'utf8')).toBe('old');
    expect(existsSync(content)).toBe(true);
  });

  it('undoing a first install leaves no empty type folder (but never deletes a non-empty one)', async () => {
    const work = path.join(root, 'work');
    await mkdir(work);
    const target = path.join(root, 'miners', 'xmrig', '6.26.0');
    await mkdir(target, { recursive: true });
    await demote(target, work, null);
    expect(await ls(path.join(root, 'miners'))).toEqual([]);
    expect(await ls(work)).toEqual(['rejected']);

    await mkdir(path.join(root, 'miners', 'xmrig', '6.25.0'), { recursive: true });
    await mkdir(target);
    const again = path.join(root, 'work-again');
    await mkdir(again);
    await demote(target, again, null);
    expect(await ls(path.join(root, 'miners', 'xmrig'))).toEqual(['6.25.0']);
  });

  it('undoing a switch deletes the new folder when it cannot be moved aside', async () => {
    const work = path.join(root, 'work');
    // A non-empty "rejected" already there: the rename fails, the folder is deleted instead.
    await mkdir(path.join(work, 'rejected', 'x'), { recursive: true });
    const target = path.join(root, 'miners', 'xmrig', '6.26.0');
    await mkdir(path.join(target, 'sub'), { recursive: true });
    await writeFile(path.join(target, 'sub', 'f'), 'new');
    await demote(target, work, null);
    expect(existsSync(target)).toBe(false);
    // Undoing is best effort: a new folder already gone is no error of its own.
    await demote(target, work, null);
    expect(existsSync(target)).toBe(false);
  });

  it('lists installed version folders newest first, ignoring anything else', async () => {
    const miners = path.join(root, 'miners');
    expect(await installedVersionNames(miners)).toEqual([]);
    for (const n of ['6.9.0', '6.26.0', '6.10.1', 'v6.27.0', 'notes', '.hashdeck-install-1-0badc0de']) {
      await mkdir(path.join(miners, 'xmrig', n), { recursive: true });
    }
    expect(await installedVersionNames(miners)).toEqual(['6.26.0', '6.10.1', '6.9.0']);
    expect(await exists(path.join(miners, 'xmrig'))).toBe(true);
    expect(await exists(path.join(miners, 'nope'))).toBe(false);
  });
});

const manifest = (over: Partial<InstallManifest> = {}): InstallManifest => ({
  minerType: 'xmrig',
  version: '6.26.0',
  binary: 'xmrig',
  sha256: 'a'.repeat(64),
  size: 10,
  archive: { name: 'a.tar.gz', url: 'https://g/a', sha256: 'b'.repeat(64), size: 5 },
  signedBy: 'f'.repeat(40),
  installedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('the install record', () => {
  // The umask can only be changed in a process of its own (test workers may be threads).
  it.skipIf(!posix)('is never group- or world-writable, even under umask 0', async () => {
    const module = pathToFileURL(
      path.resolve(import.meta.dirname, '../../src/main/core/install/manifest.ts'),
    );
    const script = [
      'process.umask(0);',
      `const { writeManifest } = await import(${JSON.stringify(module.href)});`,
      `await writeManifest(${JSON.stringify(root)}, ${JSON.stringify(manifest())});`,
    ].join('\n');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(await modeOf(path.join(root, MANIFEST_FILE))).toBe(0o644);
  });

  it('is written as readable JSON and read back; anything else reads as "not ours"', async () => {
    await writeManifest(root, manifest());
    const file = path.join(root, MANIFEST_FILE);
    expect(MANIFEST_FILE).toBe('.hashdeck-install.json');
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(manifest(), null, 2)}\n`);
    if (posix) expect(await modeOf(file)).toBe(0o644);
    expect(await readManifest(root)).toEqual(manifest());
    expect(await readManifest(path.join(root, 'none'))).toBeNull();
    await writeFile(file, '{not json');
    expect(await readManifest(root)).toBeNull();
    for (const bad of [
      manifest({ binary: 'sub/xmrig' }),
      manifest({ binary: 'a\\b' }),
      manifest({ sha256: 'A'.repeat(64) }),
      manifest({ size: -1 }),
      manifest({ archive: { ...manifest().archive, sha256: 'x' } }),
    ]) {
      await writeFile(file, JSON.stringify(bad));
      expect(await readManifest(root)).toBeNull();
    }
  });
});

const rel = (version: string, over: Partial<XmrigRelease> = {}): XmrigRelease => ({
  version,
  tag: `v${version}`,
  name: `v${version}`,
  publishedAt: null,
  prerelease: false,
  assets: [{ name: `xmrig-${version}-linux-static-x64.tar.gz`, size: 7, url: 'https://g/a' }],
  ...over,
});

describe('the release list cache', () => {
  it('serves a list for an hour after it was fetched, never one from the future', async () => {
    expect(RELEASE_CACHE_TTL_MS).toBe(3_600_000);
    const cache = new ReleaseCache('src', null);
    expect(await cache.get(0)).toBeNull();
    await cache.set([rel('6.26.0')], 1000);
    expect(await cache.get(1000)).toEqual({ fetchedAt: 1000, releases: [rel('6.26.0')] });
    expect(await cache.get(1000 + RELEASE_CACHE_TTL_MS - 1)).not.toBeNull();
    expect(await cache.get(1000 + RELEASE_CACHE_TTL_MS)).toBeNull();
    expect(await cache.get(999)).toBeNull();
  });

  it('keeps a private file a restart reads, ignoring one made for another source or unreadable', async () => {
    const file = path.join(root, 'data', 'cache.json');
    await new ReleaseCache('src', file, 1000).set([rel('6.26.0')], 50);
    if (posix) expect(await modeOf(file)).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      source: 'src',
      fetchedAt: 50,
      releases: [rel('6.26.0')],
    });
    expect(await new ReleaseCache('src', file, 1000).get(60)).toEqual({
      fetchedAt: 50,
      releases: [rel('6.26.0')],
    });
    expect(await new ReleaseCache('other', file, 1000).get(60)).toBeNull();
    await writeFile(file, '{broken');
    expect(await new ReleaseCache('src', file).get(60)).toBeNull();
    await writeFile(file, JSON.stringify({ source: 'src', fetchedAt: 50, releases: [{ version: 1 }] }));
    expect(await new ReleaseCache('src', file).get(60)).toBeNull();
  });

  it('reads the file once; a write that fails still caches in memory', async () => {
    const file = path.join(root, 'cache.json');
    const cache = new ReleaseCache('src', file);
    await cache.set([rel('6.26.0')], 50);
    await rm(file);
    expect(await cache.get(60)).not.toBeNull();
    const blocked = path.join(root, 'blocked');
    await writeFile(blocked, 'x');
    const unwritable = new ReleaseCache('src', path.join(blocked, 'cache.json'));
    await unwritable.set([rel('6.25.0')], 50);
    expect((await unwritable.get(60))?.releases.map((r) => r.version)).toEqual(['6.25.0']);
  });
});

describe('what the UI sees of releases', () => {
  const ctx = { tested: ['6.26.0'], platform: 'linux' as const, arch: 'x64' };

  it('a summary says tested or not, the archive for this machine and whether it is installed', () => {
    expect(releaseSummary(rel('6.26.0'), ['6.26.0'], ctx)).toEqual({
      version: '6.26.0',
      tag: 'v6.26.0',
      name: 'v6.26.0',
      publishedAt: null,
      prerelease: false,
      status: 'tested',
      note: null,
      asset: { name: 'xmrig-6.26.0-linux-static-x64.tar.gz', size: 7 },
      installed: true,
    });
    const newer = releaseSummary(rel('6.27.0', { assets: [] }), ['6.26.0'], ctx);
    expect(newer).toMatchObject({
      status: 'newer-untested',
      note: 'newer, not yet tested with HashDeck',
      asset: null,
      installed: false,
    });
    expect(releaseSummary(rel('6.25.0'), [], ctx)).toMatchObject({ status: 'older-untested', note: null });
  });

  it('an update is available only when the recommended version is newer than the newest installed', () => {
    const fetched = { fetchedAt: 5, fromCache: true };
    const list = [rel('6.26.0')];
    expect(updateCheck(list, [], fetched, ctx)).toMatchObject({
      checkedAt: 5,
      fromCache: true,
      current: null,
      updateAvailable: true,
      recommended: { version: '6.26.0' },
      latest: { version: '6.26.0' },
      newerUntested: null,
    });
    expect(updateCheck(list, ['6.25.0'], fetched, ctx)).toMatchObject({
      current: '6.25.0',
      updateAvailable: true,
    });
    expect(updateCheck(list, ['6.26.0'], fetched, ctx).updateAvailable).toBe(false);
    // With nothing installed the recommended version is an update, whatever its number.
    const zero = { ...ctx, tested: ['0.0.0'] };
    expect(updateCheck([rel('0.0.0')], [], fetched, zero).updateAvailable).toBe(true);
    expect(updateCheck(list, ['6.27.0', '6.25.0'], fetched, ctx)).toMatchObject({
      current: '6.27.0',
      updateAvailable: false,
    });
    expect(updateCheck([rel('6.27.0')], [], fetched, ctx)).toMatchObject({
      recommended: null,
      updateAvailable: false,
      latest: { version: '6.27.0' },
      newerUntested: { version: '6.27.0' },
    });
    expect(updateCheck([], [], fetched, ctx)).toMatchObject({
      recommended: null,
      latest: null,
      newerUntested: null,
    });
  });

  it('"newer untested" is the latest full release only when it is newer than the recommended one', () => {
    const fetched = { fetchedAt: 0, fromCache: false };
    const pre = rel('6.28.0', { prerelease: true });
    expect(updateCheck([pre, rel('6.27.0'), rel('6.26.0')], [], fetched, ctx)).toMatchObject({
      latest: { version: '6.27.0' },
      newerUntested: { version: '6.27.0' },
    });
    expect(updateCheck([pre, rel('6.26.0')], [], fetched, ctx)).toMatchObject({
      latest: { version: '6.26.0' },
      newerUntested: null,
    });
    // An untested latest that is not newer than what is recommended (a newer tested list) is not offered.
    const wide = { ...ctx, tested: ['6.30.0', '6.26.0'] };
    expect(updateCheck([rel('6.30.0'), rel('6.29.0')], [], fetched, wide).newerUntested).toBeNull();
    const olderLatest = updateCheck([rel('6.20.0')], [], fetched, ctx);
    expect(olderLatest.newerUntested).toBeNull();
  });

  it('lists installed versions with their record; a hand-copied folder is unverified, one without a binary skipped', async () => {
    const miners = path.join(root, 'miners');
    const mk = async (v: string, files: string[], m?: InstallManifest) => {
      const dir = path.join(miners, 'xmrig', v);
      await mkdir(dir, { recursive: true });
      for (const f of files) await writeFile(path.join(dir, f), 'bin');
      if (m) await writeManifest(dir, m);
      return dir;
    };
    const ours = await mk('6.26.0', ['custom-name'], manifest({ binary: 'custom-name' }));
    const copied = await mk('6.25.0', ['xmrig']);
    await mk('6.24.0', ['xmrig'], manifest({ version: '6.23.0' }));
    await mk('6.22.0', []);
    await mk('6.21.0', ['xmrig.exe']);
    expect(await listInstalled(miners, ctx)).toEqual([
      {
        minerType: 'xmrig',
        version: '6.26.0',
        dir: ours,
        binaryPath: path.join(ours, 'custom-name'),
        sha256: 'a'.repeat(64),
        verified: true,
        installedAt: '2026-01-01T00:00:00.000Z',
        status: 'tested',
      },
      {
        minerType: 'xmrig',
        version: '6.25.0',
        dir: copied,
        binaryPath: path.join(copied, 'xmrig'),
        sha256: null,
        verified: false,
        installedAt: null,
        status: 'older-untested',
      },
      expect.objectContaining({ version: '6.24.0', verified: false }),
    ]);
    const win = await listInstalled(miners, { ...ctx, platform: 'win32' });
    expect(win.map((i) => i.version)).toEqual(['6.26.0', '6.24.0', '6.21.0']);
  });
});
