// The lasting history on a real temp folder: write -> reopen -> read back, a torn last line skipped and
// healed, a corrupt file kept aside, retention pruning (daily on a fake clock), ranges across day files,
// gaps kept as gaps, and concurrent appends from several miners.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, type HistoryPoint } from '../../src/main/core/store/history-store';
import { DAY_MS, MINUTE_MS, dayKey, parseDay } from '../../src/main/core/store/history-store-format';
import { HistoryRecorder, MinuteAggregator } from '../../src/main/core/store/history-store-recorder';
import { FakeClock } from '../../src/main/core/util/clock';

const T0 = Date.UTC(2025, 2, 10, 0, 0, 0); // a Monday, 00:00 UTC
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hashdeck-history-'));
  dirs.push(d);
  return d;
}

function point(at: number, hashrate: number | null = 500, extra: Partial<HistoryPoint> = {}): HistoryPoint {
  return { at, hashrate, cpu: 95.5, accepted: 1, rejected: 0, ...extra };
}

/** Minute points of one run: `minutes` points from `from`. */
function run(from: number, minutes: number, rate = 500): HistoryPoint[] {
  return Array.from({ length: minutes }, (_, i) => point(from + i * MINUTE_MS, rate + (i % 7)));
}

describe('HistoryStore', () => {
  it('reads back after reopening exactly what was written, points and events', async () => {
    const dir = await tempDir();
    const a = new HistoryStore({ dir });
    const pts = [
      point(T0 + 5 * MINUTE_MS, 512.345),
      point(T0 + 6 * MINUTE_MS, null, { cpu: null, accepted: null }),
    ];
    await a.appendPoints('rig-1', pts);
    await a.appendEvent('rig-1', {
      at: T0 + 6 * MINUTE_MS + 10,
      kind: 'crash',
      text: 'exited with code 1: "quotes" ok',
    });
    await a.stop();

    const b = new HistoryStore({ dir });
    const r = await b.query('rig-1', T0, T0 + DAY_MS);
    expect(r.points).toEqual([{ ...pts[0], hashrate: 512.35 }, pts[1]]);
    expect(r.events).toEqual([
      { at: T0 + 6 * MINUTE_MS + 10, kind: 'crash', text: 'exited with code 1: "quotes" ok' },
    ]);
    expect(await b.miners()).toEqual(['rig-1']);
    // one file per miner per day, JSON lines
    expect(await readdir(join(dir, 'rig-1'))).toEqual(['2025-03-10.jsonl']);
  });

  it('skips a torn last line (power cut), then heals it before the next append', async () => {
    const dir = await tempDir();
    const notices: string[] = [];
    const store = new HistoryStore({ dir, onNotice: (m) => notices.push(m) });
    await store.appendPoints('rig', run(T0, 3));
    const file = join(dir, 'rig', '2025-03-10.jsonl');
    await appendFile(file, '[1741565160000,50'); // cut short mid-record

    const reopened = new HistoryStore({ dir, onNotice: (m) => notices.push(m) });
    expect((await reopened.query('rig', T0, T0 + DAY_MS)).points).toHaveLength(3);
    await reopened.appendPoint('rig', point(T0 + 10 * MINUTE_MS));
    const r = await reopened.query('rig', T0, T0 + DAY_MS, { gaps: false });
    expect(r.points.map((p) => p.at)).toEqual([T0, T0 + MINUTE_MS, T0 + 2 * MINUTE_MS, T0 + 10 * MINUTE_MS]);
    const parsed = parseDay(await readFile(file, 'utf8'));
    expect(parsed.badLines).toEqual([]);
    expect(parsed.tornTail).toBe(false);
    expect(notices).toEqual([]);
    expect(await readdir(join(dir, 'rig'))).toEqual(['2025-03-10.jsonl']); // nothing set aside
  });

  it('treats a tail of NUL bytes (a file system that lost the last block) as torn', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir });
    await store.appendPoints('rig', run(T0, 2));
    await appendFile(join(dir, 'rig', '2025-03-10.jsonl'), Buffer.alloc(4096));
    expect((await new HistoryStore({ dir }).query('rig', T0, T0 + DAY_MS)).points).toHaveLength(2);
  });

  it('keeps a record that only lacks its newline and puts the next one on its own line', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'rig'), { recursive: true });
    const file = join(dir, 'rig', '2025-03-10.jsonl');
    await writeFile(file, `[${T0},500,null,0,0]`);
    const store = new HistoryStore({ dir });
    await store.appendPoint('rig', point(T0 + MINUTE_MS));
    expect((await store.query('rig', T0, T0 + DAY_MS)).points.map((p) => p.at)).toEqual([T0, T0 + MINUTE_MS]);
  });

  it('keeps a corrupt file aside, untouched, and keeps its readable records', async () => {
    const dir = await tempDir();
    const notices: string[] = [];
    const clock = new FakeClock(T0 + DAY_MS);
    const store = new HistoryStore({ dir, clock, onNotice: (m) => notices.push(m) });
    await store.appendPoints('rig', run(T0, 2));
    const file = join(dir, 'rig', '2025-03-10.jsonl');
    const corrupt = `${await readFile(file, 'utf8')}garbage here\n{"at":"x"}\n${JSON.stringify([T0 + 5 * MINUTE_MS, 1, 2, 3, 4])}\n`;
    await writeFile(file, corrupt);

    const r = await store.query('rig', T0, T0 + DAY_MS, { gaps: false });
    expect(r.points.map((p) => p.at)).toEqual([T0, T0 + MINUTE_MS, T0 + 5 * MINUTE_MS]);
    const names = (await readdir(join(dir, 'rig'))).sort();
    expect(names).toHaveLength(2);
    const aside = names.find((n) => n.includes('.corrupt-'))!;
    expect(await readFile(join(dir, 'rig', aside), 'utf8')).toBe(corrupt);
    expect(parseDay(await readFile(file, 'utf8')).badLines).toEqual([]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/2 unreadable line\(s\) \(3, 4\).*kept as .*corrupt-.*3 readable record/);
    // the next read finds a clean file and sets nothing else aside
    await store.query('rig', T0, T0 + DAY_MS);
    expect(await readdir(join(dir, 'rig'))).toHaveLength(2);
  });

  it('returns ranges across day files in order (24 h, 7 d, 30 d)', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir, retentionDays: 60 });
    // one point per hour for 40 days
    const pts = Array.from({ length: 40 * 24 }, (_, i) => point(T0 + i * 3600_000, 100 + i));
    await store.appendPoints('rig', pts);
    expect(await readdir(join(dir, 'rig'))).toHaveLength(40);
    const now = T0 + 40 * DAY_MS - 1;
    const count = async (days: number) =>
      (await store.query('rig', now - days * DAY_MS, now, { gaps: false })).points.length;
    expect([await count(1), await count(7), await count(30)]).toEqual([24, 7 * 24, 30 * 24]);
    // around midnight: 23:00 and 00:00, 01:00 of the next day file
    const r = await store.query('rig', T0 + 23 * 3600_000, T0 + 25 * 3600_000, { gaps: false });
    expect(r.points.map((p) => dayKey(p.at))).toEqual(['2025-03-10', '2025-03-11', '2025-03-11']);
    expect(r.points.map((p) => p.hashrate)).toEqual([123, 124, 125]);
  });

  it('keeps gaps where the miner did not run, also when bucketed for the chart', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir });
    await store.appendPoints('rig', [
      ...run(T0 + 10 * 60 * MINUTE_MS, 30),
      ...run(T0 + 12 * 60 * MINUTE_MS, 30),
    ]);
    const raw = await store.query('rig', T0, T0 + DAY_MS);
    expect(raw.points).toHaveLength(61);
    const gap = raw.points[30]!;
    expect(gap).toEqual({
      at: T0 + 10 * 60 * MINUTE_MS + 30 * MINUTE_MS,
      hashrate: null,
      cpu: null,
      accepted: null,
      rejected: null,
    });
    const buckets = await store.query('rig', T0, T0 + DAY_MS, { stepMs: 30 * MINUTE_MS });
    expect(
      buckets.points.map((p) => [
        (p.at - T0) / MINUTE_MS,
        p.hashrate === null ? null : Math.round(p.hashrate),
        p.accepted,
      ]),
    ).toEqual([
      [600, 503, 30],
      [630, null, null],
      [720, 503, 30],
    ]);
    const noGaps = await store.query('rig', T0, T0 + DAY_MS, { gaps: false });
    expect(noGaps.points.every((p) => p.hashrate !== null)).toBe(true);
  });

  it('charts completed days from their summaries with exactly the numbers of the raw points', async () => {
    const dir = await tempDir();
    const pts = [...run(T0 + 3 * MINUTE_MS, 500), ...run(T0 + DAY_MS + 7 * MINUTE_MS, 200, 900)];
    pts[10] = { ...pts[10]!, hashrate: null, cpu: null, accepted: null, rejected: null };
    // "today" is the first day: nothing is complete, every bucket comes from raw points
    const rawStore = new HistoryStore({ dir, clock: new FakeClock(T0 + 3600_000) });
    await rawStore.appendPoints('rig', pts);
    await rawStore.appendEvent('rig', { at: T0 + 60 * MINUTE_MS, kind: 'crash', text: 'boom' });
    const range = [T0, T0 + 2 * DAY_MS - 1] as const;
    const raw = await rawStore.query('rig', ...range, { stepMs: 30 * MINUTE_MS });
    expect(await readdir(join(dir, 'rig'))).not.toContain('2025-03-10.sum.json');

    const later = new HistoryStore({ dir, clock: new FakeClock(T0 + 5 * DAY_MS) });
    const fromSummaries = await later.query('rig', ...range, { stepMs: 30 * MINUTE_MS });
    expect(await readdir(join(dir, 'rig'))).toContain('2025-03-10.sum.json');
    expect(fromSummaries).toEqual(raw);
    expect(raw.events).toHaveLength(1);
    expect(raw.points.length).toBeGreaterThan(20);
  });

  it('builds a summary again when its day file changed or it is unreadable', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + 3 * DAY_MS);
    const store = new HistoryStore({ dir, clock });
    await store.appendPoints('rig', run(T0, 60, 100));
    expect(await store.summarize()).toBe(1);
    expect(await store.summarize()).toBe(0); // current: nothing to do
    const day = [T0, T0 + DAY_MS - 1] as const;
    const mean = async () => (await store.query('rig', ...day, { stepMs: DAY_MS })).points[0]!.hashrate;
    const before = await mean();
    await store.appendPoint('rig', point(T0 + 2 * 3600_000, 100_000)); // a late point for a past day
    expect(await mean()).toBeGreaterThan(before! + 1000);
    await writeFile(join(dir, 'rig', '2025-03-10.sum.json'), '{"v":1,"torn');
    expect(await mean()).toBeGreaterThan(before! + 1000);
    expect(parseDay(await readFile(join(dir, 'rig', '2025-03-10.jsonl'), 'utf8')).points).toHaveLength(61);
  });

  it('prunes days beyond the retention, set-aside copies too, and does it daily on its clock', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + 39 * DAY_MS + 3600_000);
    const store = new HistoryStore({ dir, clock, retentionDays: 30 });
    for (let d = 0; d < 40; d++) await store.appendPoint('rig', point(T0 + d * DAY_MS));
    await store.appendPoint('old', point(T0));
    await writeFile(join(dir, 'rig', '2025-03-10.jsonl.corrupt-2025-03-11T00-00-00-000Z'), 'x');
    await writeFile(join(dir, 'rig', '2025-03-10.sum.json'), '{}');
    await writeFile(join(dir, 'rig', 'notes.txt'), 'not ours: never removed');

    store.start(); // prunes at once
    await store.stop();
    await clock.advance(0);
    let names = (await readdir(join(dir, 'rig'))).sort();
    expect(names.filter((n) => n.endsWith('.jsonl'))).toHaveLength(30);
    expect(names[0]).toBe(`${dayKey(T0 + 10 * DAY_MS)}.jsonl`);
    expect(names).toContain('notes.txt');
    expect(names.some((n) => n.includes('corrupt') || n.startsWith('2025-03-10'))).toBe(false);
    // the daily job also summarised every completed day it kept
    expect(names.filter((n) => n.endsWith('.sum.json'))).toHaveLength(29);
    expect(await store.miners()).toEqual(['rig']); // the empty folder of "old" is gone

    store.start();
    await clock.advance(DAY_MS);
    await store.stop();
    names = (await readdir(join(dir, 'rig'))).sort();
    expect(names.filter((n) => n.endsWith('.sum.json'))).toHaveLength(29);
    names = names.filter((n) => n.endsWith('.jsonl'));
    expect(names).toHaveLength(29);
    expect(names[0]).toBe(`${dayKey(T0 + 11 * DAY_MS)}.jsonl`);
  });

  it('takes concurrent appends from several miners without losing or mixing a line', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      for (let m = 0; m < 10; m++) {
        writes.push(store.appendPoint(`m${m}`, point(T0 + i * MINUTE_MS, m * 1000 + i)));
        if (i % 50 === 0)
          writes.push(
            store.appendEvent(`m${m}`, { at: T0 + i * MINUTE_MS, kind: 'watchdog', text: `e${i}` }),
          );
      }
    }
    await Promise.all(writes);
    const all = await new HistoryStore({ dir }).queryAll(T0, T0 + DAY_MS);
    expect(Object.keys(all)).toHaveLength(10);
    for (let m = 0; m < 10; m++) {
      const r = all[`m${m}`]!;
      expect(r.points.map((p) => p.hashrate)).toEqual(Array.from({ length: 200 }, (_, i) => m * 1000 + i));
      expect(r.events.map((e) => e.text)).toEqual(['e0', 'e50', 'e100', 'e150']);
    }
  });

  it('refuses miner ids that could leave the folder and values that are not real', async () => {
    const store = new HistoryStore({ dir: await tempDir() });
    expect(() => store.appendPoint('../etc', point(T0))).toThrow(/invalid miner id/);
    await expect(store.query('a/b', T0, T0 + 1)).rejects.toThrow(/invalid miner id/);
    expect(() => store.appendPoint('rig', point(T0, Number.NaN))).toThrow(/bad hashrate/);
    expect(() => store.appendPoint('rig', point(T0, 1, { accepted: 1.5 }))).toThrow(/bad accepted/);
    expect(() => store.appendEvent('rig', { at: T0, kind: 'nope' as never, text: '' })).toThrow(
      /unknown kind/,
    );
  });

  it('an empty or reversed range is empty, and a miner without history has none', async () => {
    const store = new HistoryStore({ dir: await tempDir() });
    expect(await store.query('rig', T0 + 10, T0)).toEqual({ points: [], events: [] });
    expect(await store.query('rig', 0, T0)).toEqual({ points: [], events: [] });
    expect(await store.queryAll(0, T0)).toEqual({});
  });
});

describe('minute points from samples', () => {
  const sample = (
    at: number,
    hashrate: number | null,
    good: number,
    generation = 1,
    cpu: number | null = 50,
  ) => ({
    at,
    generation,
    hashrate,
    cpu,
    shares: { good, rejected: 0 },
  });

  it('averages a minute and counts the shares found in it', () => {
    const agg = new MinuteAggregator();
    expect(agg.add('a', sample(T0 + 1000, 400, 3))).toBeNull();
    expect(agg.add('a', sample(T0 + 30_000, null, 4))).toBeNull(); // a null rate is not 0
    expect(agg.add('a', sample(T0 + 59_000, 600, 5, 1, null))).toBeNull();
    const done = agg.add('a', sample(T0 + 61_000, 500, 7));
    expect(done).toEqual({ at: T0, hashrate: 500, cpu: 50, accepted: 5, rejected: 0 });
    expect(agg.flush('a')).toEqual({ at: T0 + MINUTE_MS, hashrate: 500, cpu: 50, accepted: 2, rejected: 0 });
    expect(agg.flush('a')).toBeNull();
  });

  it('a new process generation counts its shares from zero', () => {
    const agg = new MinuteAggregator();
    agg.add('a', sample(T0, 400, 100, 1));
    agg.add('a', sample(T0 + 10_000, 400, 2, 2)); // restarted: 2 new shares, not -98
    expect(agg.flush('a')!.accepted).toBe(102);
  });

  it('the recorder writes completed minutes, the open one on stop, and reports write errors', async () => {
    const written: string[] = [];
    const errors: unknown[] = [];
    const rec = new HistoryRecorder(
      {
        appendPoint: async (id, p) => {
          if (id === 'bad') throw new Error('disk full');
          written.push(`${id}@${(p.at - T0) / MINUTE_MS}`);
        },
        appendEvent: async (id, e) => void written.push(`${id}:${e.kind}`),
        flush: async () => {},
      },
      (e) => errors.push(e),
    );
    rec.sample('a', sample(T0, 1, 0));
    rec.sample('a', sample(T0 + MINUTE_MS, 1, 0));
    rec.event('a', { at: T0, kind: 'start', text: 'started' });
    rec.sample('bad', sample(T0, 1, 0));
    rec.closeMinute('bad');
    await rec.close();
    expect(written).toEqual(['a@0', 'a:start', 'a@1']);
    expect(errors).toHaveLength(1);
  });
});
