// Archives that try to write outside their folder are refused, whole: `..` (zip-slip), absolute paths,
// drive letters, symlinks and hard links, in tar.gz and zip, through the installer and the extractors.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFailureOf } from '../../src/main/core/install/errors';
import { DEFAULT_EXTRACT_LIMITS, extractArchive } from '../../src/main/core/install/extract';
import type { ArchiveEntry } from './support/archives';
import { makeTarGz, makeZip } from './support/archives';
import { makeWorld, rejection, type World } from './support/harness';

let w: World;

beforeEach(async () => {
  w = await makeWorld();
});

afterEach(async () => {
  await w.dispose();
});

/** Files anywhere under the test's root whose name contains "evil" (where an escape would land). */
async function evilFiles(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map(String).filter((p) => p.includes('evil'));
}

const outside = () => path.join(os.tmpdir(), `hashdeck-evil-${process.pid}-${Date.now()}`);

const cases: { name: string; formats: ('linux' | 'win32')[]; entry: () => ArchiveEntry }[] = [
  {
    name: 'a zip-slip entry (../)',
    formats: ['linux', 'win32'],
    entry: () => ({ path: 'xmrig-6.26.0/../../../../evil.txt', content: 'pwned' }),
  },
  {
    name: 'an absolute path',
    formats: ['linux', 'win32'],
    entry: () => ({ path: outside(), content: 'pwned' }),
  },
  {
    name: 'a symlink pointing outside',
    formats: ['linux', 'win32'],
    entry: () => ({ path: 'xmrig-6.26.0/evil-link', type: 'symlink', linkpath: '/etc/passwd' }),
  },
  {
    name: 'a hard link pointing outside',
    formats: ['linux'],
    entry: () => ({ path: 'xmrig-6.26.0/evil-hard', type: 'hardlink', linkpath: '../../../../etc/passwd' }),
  },
];

describe('the installer refuses archives whose entries escape the target', () => {
  for (const c of cases) {
    for (const platform of c.formats) {
      it(`${c.name} in the ${platform === 'linux' ? 'tar.gz' : 'zip'}`, async () => {
        const entry = c.entry();
        // Signed correctly: only the extraction check stands between this archive and the disk.
        await w.release({ version: '6.26.0', extraEntries: [entry] });
        const err = await rejection(w.installer({ platform, arch: 'x64' }).install());
        expect(installFailureOf(err)).toBe('unsafe-archive');
        expect(err.code).toBe('VERIFICATION_FAILED');
        expect(err.message).toContain('would escape its folder');
        expect(await w.minersContent()).toEqual([]);
        expect(w.trust.registered).toEqual([]);
        expect(await evilFiles(w.root)).toEqual([]);
        if (path.isAbsolute(entry.path)) expect(existsSync(entry.path)).toBe(false);
      });
    }
  }
});

describe('the extractors on their own', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-extract-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function extract(format: 'tar.gz' | 'zip', entries: ArchiveEntry[]) {
    const archive = path.join(dir, `a.${format}`);
    await writeFile(archive, format === 'zip' ? await makeZip(entries) : makeTarGz(entries));
    return extractArchive(archive, format, path.join(dir, 'out'), DEFAULT_EXTRACT_LIMITS);
  }

  for (const format of ['tar.gz', 'zip'] as const) {
    it(`extracts folders and files with their modes (${format})`, async () => {
      const files = await extract(format, [
        { path: 'top/', type: 'dir' },
        { path: 'top/bin', content: '#!/bin/sh\n', mode: 0o4777 },
        { path: 'top/sub/data.txt', content: 'x' },
      ]);
      expect(files.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
        // setuid and world-write are dropped; the executable bits stay.
        { path: 'top/bin', mode: 0o755 },
        { path: 'top/sub/data.txt', mode: 0o644 },
      ]);
    });

    it(`refuses a symlink even when it points inside (${format})`, async () => {
      const err = await rejection(
        extract(format, [
          { path: 'top/a', content: 'x' },
          { path: 'top/link', type: 'symlink', linkpath: 'a' },
        ]),
      );
      expect(installFailureOf(err)).toBe('unsafe-archive');
    });

    it(`refuses a drive-letter path (${format})`, async () => {
      const err = await rejection(extract(format, [{ path: 'C:/evil.txt', content: 'x' }]));
      expect(installFailureOf(err)).toBe('unsafe-archive');
    });
  }

  it('refuses backslash traversal and NTFS streams in tar names', async () => {
    for (const name of ['top\\..\\..\\evil.txt', 'top/file.txt:stream']) {
      const err = await rejection(extract('tar.gz', [{ path: name, content: 'x' }]));
      expect(installFailureOf(err)).toBe('unsafe-archive');
    }
    expect(await evilFiles(dir)).toEqual([]);
  });

  it('refuses an archive that unpacks beyond the size limit', async () => {
    const archive = path.join(dir, 'big.tar.gz');
    await writeFile(archive, makeTarGz([{ path: 'top/big', content: Buffer.alloc(4096) }]));
    const err = await rejection(
      extractArchive(archive, 'tar.gz', path.join(dir, 'out'), { maxEntries: 10, maxTotalBytes: 1000 }),
    );
    expect(installFailureOf(err)).toBe('corrupt-archive');
  });

  it('reports a truncated archive as corrupt', async () => {
    const good = makeTarGz([{ path: 'top/file', content: Buffer.alloc(100_000, 7) }]);
    const archive = path.join(dir, 'cut.tar.gz');
    await writeFile(archive, good.subarray(0, Math.floor(good.length / 2)));
    const err = await rejection(extractArchive(archive, 'tar.gz', path.join(dir, 'out')));
    expect(installFailureOf(err)).toBe('corrupt-archive');
  });
});
