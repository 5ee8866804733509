// The lasting history's exact guarantees, each pinned by what a reader finds on disk or gets back: range
// bounds, day order and summaries, the corrupt copy's name and the records written back, torn tails,
// flush() and the write queue, miner listing, pruning next to stray files, and the files' modes.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, type HistoryPoint } from '../../src/main/core/store/history-store';
import { DAY_MS, MINUTE_MS, encodeEvent } from '../../src/main/core/store/history-store-format';
import { FakeClock } from '../../src/main/core/util/clock';

const T0 = Date.UTC(2025, 2, 10, 0, 0, 0);
const HOUR = 60 * MINUTE_MS;
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hashdeck-history-mut-'));
  dirs.push(d);
  return d;
}

function point(at: number, hashrate: number | null = 500): HistoryPoint {
  return { at, hashrate, cpu: 50, accepted: 1, rejected: 0 };
}
const line = (p: HistoryPoint) => JSON.stringify([p.at, p.hashrate, p.cpu, p.accepted, p.rejected]);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A store whose day file for T0 holds `text`; notices are collected. */
async function withDayFile(text: string, now = T0 + DAY_MS) {
  const dir = await tempDir();
  await mkdir(join(dir, 'rig'));
  const file = join(dir, 'rig', '2025-03-10.jsonl');
  await writeFile(file, text);
  const notices: string[] = [];
  const store = new HistoryStore({ dir, clock: new FakeClock(now), onNotice: (m) => notices.push(m) });
  return { dir, file, store, notices };
}

describe('history ranges', () => {
  it('answers a one-instant range, and reads no file for a reversed one', async () => {
    const good = `${line(point(T0))}\n${line(point(T0 + MINUTE_MS, 7))}\n`;
    const { dir, store, notices } = await withDayFile(`${good}bad\n`);
    // Reversed within the day of a corrupt file: nothing is read, so nothing is set aside.
    expect(await store.query('rig', T0 + 10 * MINUTE_MS, T0 + 5 * MINUTE_MS)).toEqual({
      points: [],
      events: [],
    });
    expect(notices).toEqual([]);
    expect(await readdir(join(dir, 'rig'))).toEqual(['2025-03-10.jsonl']);
    const instant = await store.query('rig', T0 + MINUTE_MS, T0 + MINUTE_MS);
    expect(instant.points).toEqual([point(T0 + MINUTE_MS, 7)]);
  });

  it('includes a record at the exact end of the range from the next day file, and reads no later day', async () => {
    const dir = await tempDir();
    const notices: string[] = [];
    const store = new HistoryStore({ dir, onNotice: (m) => notices.push(m) });
    await store.appendPoints('rig', [point(T0 + DAY_MS - MINUTE_MS, 1), point(T0 + DAY_MS, 2)]);
    await writeFile(join(dir, 'rig', '2025-03-12.jsonl'), 'not a record\n');
    const r = await store.query('rig', T0 + DAY_MS - MINUTE_MS, T0 + DAY_MS, { gaps: false });
    expect(r.points.map((p) => p.hashrate)).toEqual([1, 2]);
    expect(notices).toEqual([]);
    expect((await readdir(join(dir, 'rig'))).sort()).toEqual([
      '2025-03-10.jsonl',
      '2025-03-11.jsonl',
      '2025-03-12.jsonl',
    ]);
  });

  it('reads only day files, whatever else lies in the folder, also for a range from the epoch', async () => {
    const { dir, store } = await withDayFile(`${line(point(T0, 1))}\n`);
    await writeFile(join(dir, 'rig', 'notes.txt'), 'mine\n');
    await writeFile(join(dir, 'rig', 'undefined.jsonl'), `${line(point(T0 + 5 * MINUTE_MS, 9))}\n`);
    const r = await store.query('rig', 0, T0 + DAY_MS, { gaps: false });
    expect(r.points).toEqual([point(T0, 1)]);
  });

  it('takes a step of a minute or less as the stored points, times as written', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir });
    const pts = [point(T0 + 30_000, 1), point(T0 + 90_000, 2), point(T0 + 150_000, 3)];
    await store.appendPoints('rig', pts);
    for (const stepMs of [30_000, MINUTE_MS]) {
      const r = await store.query('rig', T0, T0 + DAY_MS, { stepMs });
      expect(r.points, String(stepMs)).toEqual(pts);
    }
  });

  it('uses a summary only for a finished day that ends inside the range', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir, clock: new FakeClock(T0 + 3 * DAY_MS) });
    await store.appendPoints('rig', [point(T0 + HOUR, 1), point(T0 + 18 * HOUR, 2)]);
    const r = await store.query('rig', T0, T0 + 12 * HOUR, { stepMs: 30 * MINUTE_MS, gaps: false });
    expect(r.points.map((p) => [p.at, p.hashrate])).toEqual([[T0 + HOUR, 1]]);
    expect(await readdir(join(dir, 'rig'))).toEqual(['2025-03-10.jsonl']);
  });

  it('answers from a current summary as it stands, and summarize() rebuilds one its day outgrew', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir, clock: new FakeClock(T0 + 3 * DAY_MS) });
    await store.appendPoints('rig', [point(T0, 100), point(T0 + MINUTE_MS, 100)]);
    expect(await store.summarize()).toBe(1);
    const sumFile = join(dir, 'rig', '2025-03-10.sum.json');
    const summary = JSON.parse(await readFile(sumFile, 'utf8')) as { sums: number[][] };
    summary.sums[0]![1] = 2 * 7777; // hs: the sum over two minutes
    await writeFile(sumFile, JSON.stringify(summary));
    const day = [T0, T0 + DAY_MS - 1] as const;
    const mean = async () => (await store.query('rig', ...day, { stepMs: DAY_MS })).points[0]!.hashrate;
    expect(await mean()).toBe(7777);
    await store.appendPoint('rig', point(T0 + 2 * MINUTE_MS, 400)); // a late point for a past day
    expect(await store.summarize()).toBe(1);
    expect(await mean()).toBe(200);
    const src = (JSON.parse(await readFile(sumFile, 'utf8')) as { src: number }).src;
    expect(src).toBe((await stat(join(dir, 'rig', '2025-03-10.jsonl'))).size);
  });

  it('saves no summary from a read that found a corrupt or an empty day file', async () => {
    const { dir, file, store } = await withDayFile(`${line(point(T0, 100))}\nbad\n`, T0 + 5 * DAY_MS);
    await writeFile(join(dir, 'rig', '2025-03-11.jsonl'), '');
    const range = [T0, T0 + 2 * DAY_MS - 1] as const;
    const sums = async () => (await readdir(join(dir, 'rig'))).filter((n) => n.endsWith('.sum.json'));
    const first = await store.query('rig', ...range, { stepMs: DAY_MS, gaps: false });
    expect(first.points.map((p) => p.hashrate)).toEqual([100]);
    expect(await sums()).toEqual([]);
    // The rewritten file is clean: its summary is saved and describes it.
    const again = await store.query('rig', ...range, { stepMs: DAY_MS, gaps: false });
    expect(again).toEqual(first);
    expect(await sums()).toEqual(['2025-03-10.sum.json']);
    const sumText = await readFile(join(dir, 'rig', '2025-03-10.sum.json'), 'utf8');
    expect((JSON.parse(sumText) as { src: number }).src).toBe((await stat(file)).size);
  });
});

describe('vanished day files', () => {
  it('charts a finished day whose file vanished as empty', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'rig'));
    await symlink(join(dir, 'nowhere.jsonl'), join(dir, 'rig', '2025-03-10.jsonl'));
    const store = new HistoryStore({ dir, clock: new FakeClock(T0 + 3 * DAY_MS) });
    expect(await store.query('rig', T0, T0 + DAY_MS - 1, { stepMs: DAY_MS })).toEqual({
      points: [],
      events: [],
    });
  });
});

describe('corrupt day files', () => {
  it('keeps the copy under a stamped name, writes the good records back in time order, lists five lines whole', async () => {
    const ev = (at: number, text: string) => encodeEvent({ at, kind: 'start', text });
    const text = [
      line(point(T0)),
      'x1',
      line(point(T0 + 2000)),
      'x2',
      'x3',
      ev(T0 + 1000, 'a'),
      'x4',
      'x5',
      ev(T0 + 3000, 'b'),
    ].join('\n');
    const { dir, file, store, notices } = await withDayFile(`${text}\n`, T0 + DAY_MS + 12_345);
    await store.query('rig', T0, T0 + DAY_MS);
    const aside = '2025-03-10.jsonl.corrupt-2025-03-11T00-00-12-345Z';
    expect((await readdir(join(dir, 'rig'))).sort()).toEqual(['2025-03-10.jsonl', aside]);
    expect(await readFile(join(dir, 'rig', aside), 'utf8')).toBe(`${text}\n`);
    expect(await readFile(file, 'utf8')).toBe(
      `${[line(point(T0)), ev(T0 + 1000, 'a'), line(point(T0 + 2000)), ev(T0 + 3000, 'b')].join('\n')}\n`,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(notices).toEqual([
      `History file ${file} had 5 unreadable line(s) (2, 4, 5, 7, 8). It was kept as ${join(dir, 'rig', aside)}; the 4 readable record(s) were kept.`,
    ]);
  });

  it('writes nothing back when no line was readable', async () => {
    const { dir, store, notices } = await withDayFile('junk\nmore junk\n');
    expect(await store.query('rig', T0, T0 + DAY_MS)).toEqual({ points: [], events: [] });
    expect(await readdir(join(dir, 'rig'))).toEqual(['2025-03-10.jsonl.corrupt-2025-03-11T00-00-00-000Z']);
    expect(notices[0]).toContain('the 0 readable record(s) were kept');
  });

  it('sets a file aside once when two reads find it corrupt at the same time', async () => {
    const text = `${line(point(T0))}\nbad\n`;
    const { dir, store, notices } = await withDayFile(text);
    const [a, b] = await Promise.all([
      store.query('rig', T0, T0 + DAY_MS),
      store.query('rig', T0, T0 + DAY_MS),
    ]);
    expect(a.points).toEqual([point(T0)]);
    expect(b.points).toEqual([point(T0)]);
    expect(notices).toHaveLength(1);
    const aside = join(dir, 'rig', '2025-03-10.jsonl.corrupt-2025-03-11T00-00-00-000Z');
    expect(await readFile(aside, 'utf8')).toBe(text);
  });
});

describe('torn tails', () => {
  const head = `${line(point(T0))}\n`;
  const next = `${line(point(T0 + MINUTE_MS))}\n`;
  const appendNext = async (text: string) => {
    const { file, store } = await withDayFile(text);
    await store.appendPoint('rig', point(T0 + MINUTE_MS));
    return readFile(file, 'utf8');
  };

  it('cuts a tail of blanks instead of ending it with a newline', async () => {
    expect(await appendNext(`${head}   `)).toBe(`${head}${next}`);
  });

  it('keeps an event that only lacks its newline', async () => {
    const ev = encodeEvent({ at: T0 + 1, kind: 'stop', text: 'bye' });
    expect(await appendNext(`${head}${ev}`)).toBe(`${head}${ev}\n${next}`);
  });

  it('cuts a torn record that fills the last 64 KiB but one byte, after a newline', async () => {
    const torn = `[${T0 + 5},"`.padEnd(64 * 1024 - 1, 'z');
    expect(await appendNext(`${head}${torn}`)).toBe(`${head}${next}`);
  });

  it('leaves no file open after checking the tails', async () => {
    const fds = '/proc/self/fd';
    if (!existsSync(fds)) return; // only Linux lists a process's open files
    const { dir, store } = await withDayFile(`${head}[torn`);
    await writeFile(join(dir, 'rig', '2025-03-11.jsonl'), head);
    await store.appendPoints('rig', [point(T0 + MINUTE_MS), point(T0 + DAY_MS)]);
    const open = readdirSync(fds).filter((fd) => {
      try {
        return readlinkSync(join(fds, fd)).startsWith(dir);
      } catch {
        return false; // closed while listing
      }
    });
    expect(open).toEqual([]);
  });
});

describe('history writes, miners and pruning', () => {
  it('flush() waits for appends nobody awaited, also one queued behind a finished one', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir });
    const file = join(dir, 'rig', '2025-03-10.jsonl');
    void store.appendPoint('rig', point(T0));
    await store.flush();
    expect(readFileSync(file, 'utf8')).toBe(`${line(point(T0))}\n`);
    const first = store.appendPoint('rig', point(T0 + MINUTE_MS));
    void store.appendPoint('rig', point(T0 + 2 * MINUTE_MS));
    await first;
    await nextTurn();
    await store.flush();
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
    // Nothing of the miner's queue is kept once its writes are done.
    await nextTurn();
    expect((store as unknown as { queues: Map<string, unknown> }).queues.size).toBe(0);
  });

  it('writes day files 0600 in a 0700 folder, summaries 0600', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir, clock: new FakeClock(T0 + 2 * DAY_MS) });
    await store.appendPoint('rig', point(T0));
    expect(await store.summarize()).toBe(1);
    const mode = async (name: string) => (await stat(join(dir, 'rig', name))).mode & 0o777;
    expect([await mode(''), await mode('2025-03-10.jsonl'), await mode('2025-03-10.sum.json')]).toEqual([
      0o700, 0o600, 0o600,
    ]);
  });

  it('lists only miner ids, sorted', async () => {
    const dir = await tempDir();
    for (const name of ['zeta', '.hidden', 'alpha', 'has space', 'mid-1', 'Beta', 'k_9', '-x'])
      await mkdir(join(dir, name));
    expect(await new HistoryStore({ dir }).miners()).toEqual(['Beta', 'alpha', 'k_9', 'mid-1', 'zeta']);
  });

  it('has no miners, prunes and summarises nothing, before its folder exists', async () => {
    const store = new HistoryStore({ dir: join(await tempDir(), 'history'), clock: new FakeClock(T0) });
    expect(await store.miners()).toEqual([]);
    expect(await store.queryAll(0, T0)).toEqual({});
    expect(await store.prune()).toEqual([]);
    expect(await store.summarize()).toBe(0);
  });

  it('prunes and summarises past a stray file in the history folder', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir, retentionDays: 2, clock: new FakeClock(T0 + 3 * DAY_MS) });
    for (let d = 0; d < 4; d++) await store.appendPoint('rig', point(T0 + d * DAY_MS));
    await writeFile(join(dir, 'readme'), 'not a miner');
    expect((await store.prune()).sort()).toEqual([
      join('rig', '2025-03-10.jsonl'),
      join('rig', '2025-03-11.jsonl'),
    ]);
    expect(await store.summarize()).toBe(1);
    expect((await readdir(join(dir, 'rig'))).sort()).toEqual([
      '2025-03-12.jsonl',
      '2025-03-12.sum.json',
      '2025-03-13.jsonl',
    ]);
  });

  it('lets two prunes run at once, each finding files the other removed', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir, retentionDays: 1, clock: new FakeClock(T0 + 20 * DAY_MS) });
    await store.appendPoints(
      'rig',
      Array.from({ length: 10 }, (_, d) => point(T0 + d * DAY_MS)),
    );
    const [a, b] = await Promise.all([store.prune(), store.prune()]);
    expect(a).toHaveLength(10);
    expect(b).toHaveLength(10);
    expect(await store.miners()).toEqual([]);
  });
});
