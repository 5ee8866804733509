// The trust store in-process, on real files: the checks before every spawn (a path that now resolves
// elsewhere even to identical bytes, changed content, a touched but identical file remembered), the error
// an installer gets for a file that is not what it verified, and which binary is the default.
import { afterEach, describe, expect, it } from 'vitest';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustStore, describeSource } from '../../src/main/core/trust/trust-store';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function world() {
  const dir = mkdtempSync(join(tmpdir(), 'hashdeck-truststore-'));
  dirs.push(dir);
  const bin = (rel: string, content = '#!/bin/sh\necho miner\n') => {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    chmodSync(path, 0o755);
    return path;
  };
  let clock = 1_000;
  const store = new TrustStore(join(dir, 'data'), () => clock++);
  return { dir, bin, store };
}

describe.runIf(process.platform !== 'win32')('trust store', () => {
  it('refuses a trusted path that now resolves elsewhere, even to identical bytes', async () => {
    const { dir, bin, store } = world();
    const path = bin('real/xmrig');
    const entry = await store.add({ path, minerType: 'xmrig', source: 'user' });
    bin('copy/xmrig'); // the same bytes elsewhere
    rmSync(join(dir, 'real'), { recursive: true });
    symlinkSync(join(dir, 'copy'), join(dir, 'real'));
    await expect(store.resolve('xmrig', entry.id)).rejects.toMatchObject({
      code: 'UNTRUSTED_BINARY',
      message: `${path} now resolves to ${join(dir, 'copy/xmrig')}; not running it`,
      details: { binaryId: entry.id, path },
    });
  });

  it('refuses changed content and says what to do', async () => {
    const { bin, store } = world();
    const path = bin('xmrig');
    const entry = await store.add({ path, minerType: 'xmrig', source: 'user' });
    bin('xmrig', '#!/bin/sh\necho other\n'); // same size
    utimesSync(path, new Date(3_000_000), new Date(3_000_000)); // a coarse clock could give the same mtime
    await expect(store.resolve('xmrig', entry.id)).rejects.toMatchObject({
      code: 'UNTRUSTED_BINARY',
      message: `${path} changed since it was trusted (its SHA-256 is different); not running it. If you updated it yourself, register it again.`,
      details: { binaryId: entry.id, expected: entry.sha256 },
    });
  });

  it('a touched file with the same bytes runs, and its new timestamp is remembered', async () => {
    const { bin, store } = world();
    const path = bin('xmrig');
    const entry = await store.add({ path, minerType: 'xmrig', source: 'user' });
    utimesSync(path, new Date(2_000_000), new Date(2_000_000));
    await expect(store.resolve('xmrig', entry.id)).resolves.toMatchObject({ path });
    expect((await store.get(entry.id)).mtimeMs).toBe(2_000_000);
  });

  it('an installer whose file differs from what it verified gets UNTRUSTED_BINARY, nothing recorded', async () => {
    const { bin, store } = world();
    const path = bin('xmrig');
    await expect(
      store.add({ path, minerType: 'xmrig', source: 'installed', sha256: 'f'.repeat(64) }),
    ).rejects.toMatchObject({
      code: 'UNTRUSTED_BINARY',
      message: `${path} changed after it was verified; not trusting it`,
      details: { path },
    });
    expect(await store.list()).toEqual([]);
  });

  it('re-adding a path keeps its id; another type of miner at the same path is its own entry', async () => {
    const { bin, store } = world();
    const path = bin('miner');
    const a = await store.add({ path, minerType: 'xmrig', source: 'user' });
    const again = await store.add({ path, minerType: 'xmrig', source: 'user', version: '6.26.0' });
    const other = await store.add({ path, minerType: 'ttminer', source: 'user' });
    expect(again.id).toBe(a.id);
    expect(again.version).toBe('6.26.0');
    expect(other.id).not.toBe(a.id);
    expect((await store.list()).map((e) => [e.id, e.minerType, e.version])).toEqual([
      [a.id, 'xmrig', '6.26.0'],
      [other.id, 'ttminer', null],
    ]);
  });

  it('the default is the newest installed version, else the binary chosen last, of that type only', async () => {
    const { bin, store } = world();
    const userOld = await store.add({ path: bin('u1'), minerType: 'xmrig', source: 'user' });
    const userNew = await store.add({ path: bin('u2'), minerType: 'xmrig', source: 'user' });
    await store.add({ path: bin('t'), minerType: 'ttminer', source: 'user' });
    expect((await store.defaultFor('xmrig')).id).toBe(userNew.id);
    const v25 = await store.add({
      path: bin('i1'),
      minerType: 'xmrig',
      source: 'installed',
      version: '6.25.0',
    });
    const v26 = await store.add({
      path: bin('i2'),
      minerType: 'xmrig',
      source: 'installed',
      version: '6.26.0',
    });
    await store.add({ path: bin('i3'), minerType: 'xmrig', source: 'installed', version: '6.9.0' });
    expect((await store.defaultFor('xmrig')).id).toBe(v26.id);
    expect([userOld.id, v25.id]).not.toContain((await store.defaultFor('xmrig')).id);
  });

  it('forgets by id, says so for an unknown one, and refuses a binary of another type', async () => {
    const { bin, store } = world();
    const x = await store.add({ path: bin('x'), minerType: 'xmrig', source: 'user' });
    const t = await store.add({ path: bin('t'), minerType: 'ttminer', source: 'user' });
    await expect(store.resolve('ttminer', x.id)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `Trusted binary ${x.id} is a xmrig binary, not ttminer`,
      details: { binaryId: x.id },
    });
    await store.remove(x.id);
    expect((await store.list()).map((e) => e.id)).toEqual([t.id]);
    await expect(store.remove(x.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `No trusted binary with id "${x.id}"`,
      details: { binaryId: x.id },
    });
  });

  it('records a version read later, and only for that entry', async () => {
    const { bin, store } = world();
    const x = await store.add({ path: bin('x'), minerType: 'xmrig', source: 'user' });
    const y = await store.add({ path: bin('y'), minerType: 'xmrig', source: 'user' });
    await store.setVersion(x.id, '6.26.0');
    await store.setVersion('nope', '1.0.0');
    expect((await store.list()).map((e) => [e.id, e.version])).toEqual([
      [x.id, '6.26.0'],
      [y.id, null],
    ]);
  });

  it('a running server sees what the headless `trust` command wrote to the same file', async () => {
    const { dir, bin, store } = world();
    await store.load();
    const cli = new TrustStore(join(dir, 'data')); // another process, same data folder
    await cli.load();
    const added = await cli.add({ path: bin('x'), minerType: 'xmrig', source: 'user' });
    expect((await store.list()).map((e) => e.id)).toEqual([added.id]);
    await expect(store.get(added.id)).resolves.toMatchObject({ path: added.path });
    await cli.remove(added.id);
    expect(await store.list()).toEqual([]);
  });

  it('an unknown id says where to pick one, and the CLI names who vouched for each entry', async () => {
    const { store } = world();
    await expect(store.get('nope')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No trusted binary with id "nope"; choose one from the list of trusted binaries',
      details: { binaryId: 'nope' },
    });
    expect(describeSource({ source: 'installed' })).toBe('installed and verified by HashDeck');
    expect(describeSource({ source: 'user' })).toBe('registered by you');
  });

  it('finds each entry by its own id, keeps the others on re-add, and takes a verified download', async () => {
    const { bin, store } = world();
    const a = await store.add({ path: bin('a'), minerType: 'xmrig', source: 'user' });
    const b = await store.add({ path: bin('b'), minerType: 'xmrig', source: 'user' });
    const c = await store.add({ path: bin('c'), minerType: 'xmrig', source: 'user' });
    await expect(store.get(b.id)).resolves.toMatchObject({ id: b.id, path: b.path });
    const again = await store.add({ path: b.path, minerType: 'xmrig', source: 'user', version: '6.26.0' });
    expect((await store.list()).map((e) => [e.id, e.path, e.version])).toEqual([
      [a.id, a.path, null],
      [b.id, b.path, '6.26.0'],
      [c.id, c.path, null],
    ]);
    expect(again.id).toBe(b.id);
    const path = bin('d');
    const verified = await store.add({
      path,
      minerType: 'xmrig',
      source: 'installed',
      sha256: (await store.get(a.id)).sha256, // same script bytes as a
      version: '6.26.0',
    });
    expect(verified).toMatchObject({ path, source: 'installed', version: '6.26.0' });
  });

  it('a version is written for the entry it names, and the same version again does not rewrite the file', async () => {
    const { dir, bin, store } = world();
    const x = await store.add({ path: bin('x'), minerType: 'xmrig', source: 'user' });
    const y = await store.add({ path: bin('y'), minerType: 'xmrig', source: 'user', version: '6.26.0' });
    await store.setVersion(x.id, '6.26.0'); // the version another entry already has
    await store.setVersion(y.id, '6.25.0');
    expect((await store.list()).map((e) => [e.id, e.version])).toEqual([
      [x.id, '6.26.0'],
      [y.id, '6.25.0'],
    ]);
    const file = join(dir, 'data', 'trusted-binaries.json');
    const before = statSync(file).ino; // every write is atomic: a new file replaces the old one
    // One call at a time: two writes could bring the first inode number back.
    await store.setVersion(y.id, '6.25.0');
    expect(statSync(file).ino).toBe(before);
    await store.setVersion('nope', '1.0.0');
    expect(statSync(file).ino).toBe(before);
  });

  it('a trusted binary that vanished says so with the quarantine advice; none at all says how to get one', async () => {
    const { bin, store } = world();
    const path = bin('xmrig');
    const entry = await store.add({ path, minerType: 'xmrig', source: 'user' });
    unlinkSync(path);
    await expect(store.resolve('xmrig', entry.id)).rejects.toMatchObject({
      code: 'BINARY_MISSING',
      message: expect.stringMatching(
        new RegExp(`^The trusted XMRig binary at .* is gone\\. Security software`),
      ),
      details: { binaryId: entry.id, path, minerType: 'xmrig', source: 'user', reason: 'quarantined' },
    });
    await expect(store.defaultFor('ttminer')).rejects.toMatchObject({
      code: 'BINARY_MISSING',
      details: { minerType: 'ttminer', actions: ['choose'] },
    });
  });
});
