// The lasting history on a file system that lists a folder in no particular order (Node sorts names on
// Linux and macOS, not on Windows, where FAT and exFAT list in creation order): readdir reversed here.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, type HistoryPoint } from '../../src/main/core/store/history-store';
import { DAY_MS } from '../../src/main/core/store/history-store-format';

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const readdir = async (path: string) => (await fs.readdir(path)).reverse();
  return { ...fs, readdir, default: { ...fs, readdir } };
});

const T0 = Date.UTC(2025, 2, 10, 0, 0, 0);
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hashdeck-history-order-'));
  dirs.push(d);
  return d;
}

const point = (at: number, hashrate: number): HistoryPoint => ({
  at,
  hashrate,
  cpu: 50,
  accepted: 1,
  rejected: 0,
});

describe('history in the order of time, not of the folder listing', () => {
  it('returns days oldest first', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir });
    await store.appendPoints(
      'rig',
      [0, 1, 2, 3].map((d) => point(T0 + d * DAY_MS, d)),
    );
    const r = await store.query('rig', T0, T0 + 4 * DAY_MS, { gaps: false });
    expect(r.points.map((p) => p.hashrate)).toEqual([0, 1, 2, 3]);
  });

  it('lists miners sorted', async () => {
    const dir = await tempDir();
    for (const name of ['alpha', 'beta', 'gamma']) await mkdir(join(dir, name));
    expect(await new HistoryStore({ dir }).miners()).toEqual(['alpha', 'beta', 'gamma']);
  });
});
