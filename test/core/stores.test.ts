// The data stores: validated JSON files (missing -> defaults, corrupt -> moved aside with a notice, never
// overwritten), atomic writes, profiles (ids, timestamps, no lost update) and settings (patches, validation).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadJsonFile, saveJsonFile } from '../../src/main/core/store/json-file';
import { defaultDataDir } from '../../src/main/core/store/paths';
import { ProfileStore } from '../../src/main/core/store/profile-store';
import { SettingsStore } from '../../src/main/core/store/settings-store';
import { atomicWrite } from '../../src/main/core/util/atomic-write';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hashdeck-stores-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const schema = z.object({ n: z.number(), tags: z.array(z.string()).default([]) });
const fallback = () => ({ n: 0, tags: ['default'] });
const at = () => new Date('2024-05-06T07:08:09.123Z');

describe('loadJsonFile', () => {
  it('gives the defaults without a notice when the file does not exist', async () => {
    expect(await loadJsonFile(join(dir, 'none.json'), schema, fallback)).toEqual({
      value: { n: 0, tags: ['default'] },
      notice: null,
    });
  });

  it('returns the validated content (with schema defaults applied)', async () => {
    await writeFile(join(dir, 'ok.json'), '{"n": 3}');
    expect(await loadJsonFile(join(dir, 'ok.json'), schema, fallback)).toEqual({
      value: { n: 3, tags: [] },
      notice: null,
    });
  });

  it('moves a file that is not JSON aside under a timestamped name and says so', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"n": 3');
    const result = await loadJsonFile(path, schema, fallback, at);
    const aside = `${path}.corrupt-2024-05-06T07-08-09-123Z`;
    expect(result.value).toEqual({ n: 0, tags: ['default'] });
    expect(result.notice).toContain(`${path} was not used (could not be read: not valid JSON`);
    expect(result.notice).toContain(`moved to ${aside}`);
    expect(result.notice).toContain('nothing was deleted');
    expect(await readdir(dir)).toEqual(['bad.json.corrupt-2024-05-06T07-08-09-123Z']);
    expect(await readFile(aside, 'utf8')).toBe('{"n": 3');
  });

  it('names the offending field of a file that does not validate', async () => {
    const path = join(dir, 'invalid.json');
    await writeFile(path, '{"n": 1, "tags": [1]}');
    const result = await loadJsonFile(path, schema, fallback, at);
    expect(result.notice).toMatch(/could not be read: tags\.0: .+\)/);
    expect(result.value).toEqual({ n: 0, tags: ['default'] });
  });

  it('says "file" when the whole document has the wrong shape', async () => {
    const path = join(dir, 'array.json');
    await writeFile(path, '[]');
    expect((await loadJsonFile(path, schema, fallback, at)).notice).toMatch(/could not be read: file: /);
  });
});

describe('saveJsonFile / atomicWrite', () => {
  it('writes indented JSON with a final newline, creating the folder, leaving no temp file', async () => {
    const path = join(dir, 'deep', 'er', 'out.json');
    await saveJsonFile(path, { a: [1] });
    expect(await readFile(path, 'utf8')).toBe('{\n  "a": [\n    1\n  ]\n}\n');
    expect(await readdir(join(dir, 'deep', 'er'))).toEqual(['out.json']);
  });

  it('replaces a file with private permissions by default', async () => {
    const path = join(dir, 'secret.json');
    await writeFile(path, 'old');
    await atomicWrite(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    if (process.platform !== 'win32') {
      const { stat } = await import('node:fs/promises');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
  });

  it('reports the write failure itself when no temp file was created, not a failed clean-up', async () => {
    const path = join(dir, 'target');
    await writeFile(path, 'old');
    // An impossible mode fails before the temp file exists; the clean-up must not mask that with ENOENT.
    await expect(atomicWrite(path, 'new', -1)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    expect(await readdir(dir)).toEqual(['target']);
    expect(await readFile(path, 'utf8')).toBe('old');
  });

  it('removes its temp file and keeps the old content when the rename fails', async () => {
    const path = join(dir, 'target');
    await mkdir(path); // a folder in the way: rename of a file over it fails
    await writeFile(join(path, 'inside'), 'keep');
    await expect(atomicWrite(path, 'new')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['target']);
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('keep');
  });
});

describe('defaultDataDir', () => {
  it('uses APPDATA on Windows, falling back to the roaming folder under home', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:/AppData' }, 'C:/Users/me')).toBe(
      join('C:/AppData', 'hashdeck'),
    );
    expect(defaultDataDir('win32', {}, '/home/me')).toBe(join('/home/me', 'AppData', 'Roaming', 'hashdeck'));
  });

  it('uses Application Support on macOS', () => {
    expect(defaultDataDir('darwin', { XDG_CONFIG_HOME: '/x' }, '/Users/me')).toBe(
      join('/Users/me', 'Library', 'Application Support', 'hashdeck'),
    );
  });

  it('uses XDG_CONFIG_HOME elsewhere, falling back to ~/.config', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/me')).toBe(join('/cfg', 'hashdeck'));
    expect(defaultDataDir('linux', {}, '/home/me')).toBe(join('/home/me', '.config', 'hashdeck'));
  });
});

describe('ProfileStore', () => {
  it('creates profiles with fresh ids and timestamps, and keeps createdAt on update', async () => {
    let clock = 100;
    const store = new ProfileStore(dir, () => clock);
    await store.load();
    const created = await store.save({ name: 'CPU', minerType: 'simulated', config: { threads: 2 } });
    expect(created).toMatchObject({ name: 'CPU', minerType: 'simulated', createdAt: 100, updatedAt: 100 });
    expect(created.id).toMatch(/^p-[0-9a-f]{12}$/);
    expect(created.config.threads).toBe(2);

    clock = 200;
    const updated = await store.save({ id: created.id, name: 'CPU 2', minerType: 'simulated', config: {} });
    expect(updated).toMatchObject({ id: created.id, name: 'CPU 2', createdAt: 100, updatedAt: 200 });
    expect(store.list()).toHaveLength(1);

    const other = await store.save({ name: 'Other', minerType: 'simulated', config: {} });
    expect(other.id).not.toBe(created.id);
    expect(store.list().map((p) => p.name)).toEqual(['CPU 2', 'Other']);
  });

  it('persists to profiles.json and reads it back in a new store', async () => {
    const store = new ProfileStore(dir, () => 5);
    await store.load();
    const saved = await store.save({ name: 'Kept', minerType: 'simulated', config: {} });
    const again = new ProfileStore(dir);
    expect(await again.load()).toBeNull();
    expect(again.list()).toEqual([saved]);
    expect(again.migrationNotices).toEqual([]); // nothing to migrate in a current file
    expect(JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('never loses one of two saves issued at once', async () => {
    const store = new ProfileStore(dir);
    await store.load();
    await Promise.all([
      store.save({ name: 'A', minerType: 'simulated', config: {} }),
      store.save({ name: 'B', minerType: 'simulated', config: {} }),
    ]);
    const again = new ProfileStore(dir);
    await again.load();
    expect(
      again
        .list()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['A', 'B']);
  });

  it('hands out copies: changing a returned profile does not change the store', async () => {
    const store = new ProfileStore(dir);
    await store.load();
    const saved = await store.save({ name: 'A', minerType: 'simulated', config: {} });
    store.list()[0]!.name = 'changed';
    store.get(saved.id).name = 'changed';
    saved.name = 'changed';
    expect(store.get(saved.id).name).toBe('A');
  });

  it('deletes by id, persists the deletion, and reports an unknown id as NOT_FOUND', async () => {
    const store = new ProfileStore(dir);
    await store.load();
    const a = await store.save({ name: 'A', minerType: 'simulated', config: {} });
    const b = await store.save({ name: 'B', minerType: 'simulated', config: {} });
    await store.delete(a.id);
    expect(store.list().map((p) => p.id)).toEqual([b.id]);
    await expect(store.delete(a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(() => store.get(a.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const again = new ProfileStore(dir);
    await again.load();
    expect(again.list().map((p) => p.id)).toEqual([b.id]);
  });

  it('updates one profile among several without touching the others', async () => {
    let clock = 1;
    const store = new ProfileStore(dir, () => clock++);
    await store.load();
    const a = await store.save({ name: 'A', minerType: 'simulated', config: {} });
    const b = await store.save({ name: 'B', minerType: 'simulated', config: {} });
    await store.save({ id: b.id, name: 'B2', minerType: 'simulated', config: {} });
    expect(store.list()).toEqual([
      a,
      expect.objectContaining({ id: b.id, name: 'B2', createdAt: b.createdAt }),
    ]);
  });

  it('creates a profile under an id the caller chose', async () => {
    let clock = 10;
    const store = new ProfileStore(dir, () => clock++);
    await store.load();
    const a = await store.save({ name: 'A', minerType: 'simulated', config: {} });
    const mine = await store.save({ id: 'p-mine', name: 'Mine', minerType: 'simulated', config: {} });
    expect(mine).toMatchObject({ id: 'p-mine', createdAt: 11, updatedAt: 11 });
    expect(store.list().map((p) => p.id)).toEqual([a.id, 'p-mine']);
  });

  it('names an unknown id in its errors, and lists nothing before loading', async () => {
    const store = new ProfileStore(dir);
    expect(store.list()).toEqual([]);
    expect(() => store.get('p-x')).toThrow('No profile with id "p-x"');
    await expect(store.delete('p-y')).rejects.toThrow('No profile with id "p-y"');
  });

  it('drops an old binary path on load and says how to trust that binary instead', async () => {
    const old = (name: string, config: object) => ({
      id: `p-${name}`,
      name,
      minerType: 'xmrig',
      config: { pool: 'p:1', ...config },
      createdAt: 1,
      updatedAt: 1,
    });
    await writeFile(
      join(dir, 'profiles.json'),
      JSON.stringify({ version: 1, profiles: [old('Old', { binaryPath: '/opt/xmrig' }), old('New', {})] }),
    );
    const store = new ProfileStore(dir);
    expect(await store.load()).toBeNull();
    expect(store.list().map((p) => [p.name, 'binaryPath' in p.config])).toEqual([
      ['Old', false],
      ['New', false],
    ]);
    expect(store.list()[0]!.config.pool).toBe('p:1');
    expect(store.migrationNotices).toEqual([
      'Profile "Old" named a binary by path (/opt/xmrig). Paths are no longer accepted: choose that file as ' +
        'a trusted binary (desktop: "Choose binary…"; headless: `npm run headless -- trust add PATH`).',
    ]);
  });

  it.each([
    ['null', /could not be read: file: /],
    ['5', /could not be read: file: /],
    ['{"version":1,"profiles":{}}', /could not be read: profiles: /],
    ['{"version":1,"profiles":[null]}', /could not be read: profiles\.0: /],
    ['{"version":1,"profiles":[{"name":"A","config":"x"}]}', /could not be read: profiles\.0\.\w+: /],
    ['{"version":1,"profiles":[{"config":{"binaryPath":"/x"}}]}', /could not be read: profiles\.0\.\w+: /],
  ])('names what is wrong with profiles file %s instead of failing', async (text, notice) => {
    await writeFile(join(dir, 'profiles.json'), text);
    const store = new ProfileStore(dir);
    expect(await store.load()).toMatch(notice);
    expect(store.list()).toEqual([]);
  });

  it('names a nameless old profile "?" when it drops its binary path', async () => {
    await writeFile(join(dir, 'profiles.json'), '{"version":1,"profiles":[{"config":{"binaryPath":"/x"}}]}');
    const store = new ProfileStore(dir);
    await store.load();
    expect(store.migrationNotices[0]).toMatch(/^Profile "\?" named a binary by path \(\/x\)\./);
  });

  it('refuses invalid input and writes nothing', async () => {
    const store = new ProfileStore(dir);
    await store.load();
    await expect(async () => store.save({ name: '', minerType: 'simulated', config: {} })).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });

  it('starts empty with a notice when profiles.json is corrupt', async () => {
    await writeFile(join(dir, 'profiles.json'), '{"version":2,"profiles":[]}');
    const store = new ProfileStore(dir);
    expect(await store.load()).toContain('moved to');
    expect(store.list()).toEqual([]);
  });
});

describe('SettingsStore', () => {
  it('starts from the defaults, merges patches, validates them and persists the result', async () => {
    const store = new SettingsStore(dir);
    expect(await store.load()).toBeNull();
    expect(store.get()).toEqual({
      statsIntervalMs: 1000,
      closeToTray: true,
      startMinimized: false,
      lastProfileId: null,
      theme: 'system',
      startWithComputer: false,
      resumeMiners: false,
      history: { retentionDays: 30 },
      // The watchdog restarts after 2 s, doubling to 5 min, and gives up after 5 crashes (the defaults).
      watchdog: expect.objectContaining({
        enabled: true,
        backoffInitialMs: 2000,
        backoffMaxMs: 300_000,
        crashLoopCount: 5,
      }),
    });
    expect(await store.update({ theme: 'dark' })).toMatchObject({ theme: 'dark', statsIntervalMs: 1000 });
    expect(await store.update({ statsIntervalMs: 500 })).toMatchObject({
      theme: 'dark',
      statsIntervalMs: 500,
    });
    await expect(store.update({ statsIntervalMs: 1 })).rejects.toThrow();
    expect(store.get().statsIntervalMs).toBe(500);

    const again = new SettingsStore(dir);
    await again.load();
    expect(again.get()).toMatchObject({ theme: 'dark', statsIntervalMs: 500 });
  });

  it('hands out copies', async () => {
    const store = new SettingsStore(dir);
    await store.load();
    store.get().theme = 'light';
    (await store.update({ closeToTray: false })).theme = 'light';
    expect(store.get()).toMatchObject({ theme: 'system', closeToTray: false });
  });

  it('falls back to the defaults with a notice when settings.json is corrupt', async () => {
    await writeFile(join(dir, 'settings.json'), '{"statsIntervalMs": "fast"}');
    const store = new SettingsStore(dir);
    expect(await store.load()).toContain('statsIntervalMs');
    expect(store.get().statsIntervalMs).toBe(1000);
  });
});
