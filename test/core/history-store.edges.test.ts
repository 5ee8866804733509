// The lasting history's less travelled paths: the exact refusals of bad values, long event texts, lines
// that parse as JSON but are not records, out-of-order records, torn tails without any newline, day files
// that vanish or cannot be read, summaries that cannot be saved or decoded, and a changed retention.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, type HistoryPoint } from '../../src/main/core/store/history-store';
import {
  checkEvent,
  checkPoint,
  DAY_MS,
  dayStart,
  encodeEvent,
  isHistoryEventKind,
  MAX_EVENT_TEXT,
  MINUTE_MS,
  parseDay,
} from '../../src/main/core/store/history-store-format';
import {
  bucketSums,
  buildSummary,
  decodeSummary,
  encodeSummary,
  isSorted,
  pointSums,
  SUMMARY_STEP_MS,
  sumsPoint,
  withGaps,
} from '../../src/main/core/store/history-store-summary';
import { MinuteAggregator } from '../../src/main/core/store/history-store-recorder';
import { FakeClock } from '../../src/main/core/util/clock';

const T0 = Date.UTC(2025, 2, 10, 0, 0, 0);
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'hashdeck-history-edges-'));
  dirs.push(d);
  return d;
}

function point(at: number, hashrate: number | null = 500, extra: Partial<HistoryPoint> = {}): HistoryPoint {
  return { at, hashrate, cpu: 50, accepted: 1, rejected: 0, ...extra };
}
const line = (p: HistoryPoint) => JSON.stringify([p.at, p.hashrate, p.cpu, p.accepted, p.rejected]);

describe('history format', () => {
  it('knows the event kinds, and nothing else is one', () => {
    expect(isHistoryEventKind('crash')).toBe(true);
    expect(isHistoryEventKind('watchdog')).toBe(true);
    expect(isHistoryEventKind('nope')).toBe(false);
    expect(isHistoryEventKind('')).toBe(false);
    expect(isHistoryEventKind(5)).toBe(false);
    expect(isHistoryEventKind(null)).toBe(false);
  });

  it('names the bad field and value when it refuses a record', () => {
    expect(() => checkPoint(point(-1))).toThrow(new RangeError('history point: bad time -1'));
    expect(() => checkPoint(point(1.5))).toThrow(new RangeError('history point: bad time 1.5'));
    expect(() => checkPoint(point(0, -2))).toThrow(new RangeError('history point: bad hashrate -2'));
    expect(() => checkPoint(point(0, 1, { cpu: Infinity }))).toThrow(
      new RangeError('history point: bad CPU Infinity'),
    );
    expect(() => checkPoint(point(0, 1, { accepted: -1 }))).toThrow(
      new RangeError('history point: bad accepted count -1'),
    );
    expect(() => checkPoint(point(0, 1, { rejected: 0.5 }))).toThrow(
      new RangeError('history point: bad rejected count 0.5'),
    );
    expect(() => checkPoint(point(0, null, { cpu: null, accepted: null, rejected: null }))).not.toThrow();
    expect(() => checkEvent({ at: -5, kind: 'stop', text: '' })).toThrow(
      new RangeError('history event: bad time -5'),
    );
    expect(() => checkEvent({ at: 0, kind: 'stop', text: 1 as never })).toThrow(
      new RangeError('history event: text must be a string'),
    );
    expect(() => checkEvent({ at: 0, kind: 'stop', text: '' })).not.toThrow();
  });

  it('cuts a long event text to its limit with an ellipsis, and keeps one at the limit whole', () => {
    const long = JSON.parse(encodeEvent({ at: 1, kind: 'error', text: 'x'.repeat(600) })) as { text: string };
    expect(long.text).toBe(`${'x'.repeat(MAX_EVENT_TEXT - 1)}…`);
    expect(long.text).toHaveLength(MAX_EVENT_TEXT);
    const exact = 'y'.repeat(MAX_EVENT_TEXT);
    expect(JSON.parse(encodeEvent({ at: 1, kind: 'error', text: exact }))).toEqual({
      at: 1,
      kind: 'error',
      text: exact,
    });
  });

  it('skips blank lines and surrounding spaces, CRLF too, even on the line-by-line path', () => {
    const good = line(point(T0));
    for (const text of [`${good}\r\n   \n\t${good} \n`, `${good}\n\nnot json\n  \n${good}\n`]) {
      const parsed = parseDay(text);
      expect(parsed.points, text).toHaveLength(2);
      expect(parsed.badLines.length, text).toBe(text.includes('not json') ? 1 : 0);
    }
    expect(parseDay('').points).toEqual([]);
  });

  it('a tail of blanks is no torn write; one that is JSON but not a record is', () => {
    const good = line(point(T0));
    expect(parseDay(`${good}\n  \t`)).toMatchObject({ tornTail: false, badLines: [] });
    expect(parseDay(`${good}\n[1,2]`)).toMatchObject({ tornTail: true, points: [point(T0)] });
    expect(parseDay(`${good}\nnull`)).toMatchObject({ tornTail: true });
    expect(parseDay(`${good}\n[1741565160000,50`)).toMatchObject({ tornTail: true, points: [point(T0)] });
    expect(parseDay(`${good}\n{"at":5,"kind":"stop","text":""}`)).toMatchObject({
      tornTail: false,
      events: [{ at: 5 }],
    });
  });

  it('knows only real days, written exactly as day files are named', () => {
    expect(dayStart('2025-03-10')).toBe(T0);
    for (const key of [
      '2025-3-10',
      '2025-02-30',
      'x2025-03-10',
      '2025-03-10x',
      '2025-03-10T00',
      '',
      '+02025-03-10',
    ])
      expect(dayStart(key), key).toBeNull();
  });

  it('calls a line bad when it is JSON but not a record, and keeps the good ones around it', () => {
    const good = line(point(T0));
    const text = [good, '[1,2]', '42', '"text"', 'null', `[${T0},-1,0,0,0]`, `[${T0},1,1,1.5,0]`, good].join(
      '\n',
    );
    const parsed = parseDay(`${text}\n`);
    expect(parsed.badLines).toEqual([2, 3, 4, 5, 6, 7]);
    expect(parsed.points).toHaveLength(2);
    // The whole-file fast path also falls back when only a value, not the JSON, is wrong.
    expect(parseDay(`${good}\n[1,2]\n`)).toMatchObject({ badLines: [2], points: [point(T0)] });
    expect(parseDay(`${good}\n{"at":1,"kind":"nope","text":""}\n`).badLines).toEqual([2]);
    const odd = [
      '["1",1,1,1,1]',
      '[-1,1,1,1,1]',
      '[1,"1",1,1,1]',
      '[1,1,1,"1",1]',
      '{"at":-1,"kind":"stop","text":""}',
    ];
    const more = [
      '{"at":"1","kind":"stop","text":""}',
      '{"at":1,"kind":"stop","text":5}',
      '{"at":1,"kind":5,"text":""}',
    ];
    expect(parseDay(`${[...odd, ...more].join('\n')}\n`).badLines).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The epoch itself is a time; a sixth value makes a point something else.
    expect(parseDay('[0,0,0,0,0]\n{"at":0,"kind":"stop","text":""}\n[1,1,1,1,1,1]\n')).toMatchObject({
      points: [{ at: 0, hashrate: 0, cpu: 0, accepted: 0, rejected: 0 }],
      events: [{ at: 0 }],
      badLines: [3],
    });
    expect(parseDay(`${good}\n{"at":1,"kind":"stop","text":""}\n`)).toMatchObject({
      badLines: [],
      events: [{ at: 1 }],
    });
  });
});

describe('history summaries', () => {
  const sum = (at: number) => ({ at, hs: 10, hn: 1, cs: 5, cn: 1, acc: 1, rej: 0 });

  it('sorts the points of a day whose clock stepped back before summing them', () => {
    const built = buildSummary(7, [point(T0 + 25 * MINUTE_MS, 300), point(T0 + MINUTE_MS, 100)], []);
    expect(built.sums.map((s) => [s.at, s.hs])).toEqual([
      [T0, 100],
      [T0 + 2 * SUMMARY_STEP_MS, 300],
    ]);
    expect(isSorted([{ at: 2 }, { at: 1 }])).toBe(false);
    expect(isSorted([{ at: 1 }, { at: 1 }, { at: 2 }])).toBe(true);
  });

  it('round-trips events, and refuses a summary with any malformed row or event', () => {
    const good = {
      srcBytes: 10,
      sums: [sum(T0)],
      events: [{ at: T0, kind: 'crash' as const, text: 'boom' }],
    };
    expect(decodeSummary(encodeSummary(good))).toEqual(good);
    const withEvents = (events: unknown[]) =>
      JSON.stringify({ v: 1, src: 10, step: SUMMARY_STEP_MS, sums: [], events });
    expect(decodeSummary(withEvents([]))).toEqual({ srcBytes: 10, sums: [], events: [] });
    for (const bad of [
      null,
      5,
      'crash',
      { at: -1, kind: 'crash', text: '' },
      { at: 1, kind: 'nope', text: '' },
      { at: 1, kind: 'crash', text: 3 },
    ]) {
      expect(decodeSummary(withEvents([bad])), JSON.stringify(bad)).toBeNull();
    }
    const withRow = (row: unknown[]) =>
      JSON.stringify({
        v: 1,
        src: 10,
        step: SUMMARY_STEP_MS,
        sums: [[T0, 1, 1, 1, 1, null, null], row],
        events: [],
      });
    expect(decodeSummary(withRow([T0, 1, 1, 1, 1, 1, 1]))?.sums).toHaveLength(2);
    expect(decodeSummary(withRow([T0, 1, 1, 1, 1, -1, 1]))).toBeNull();
    expect(decodeSummary(withRow([T0, 1, 1, 1, 1, 1]))).toBeNull();
    expect(decodeSummary(withRow([T0, 1, 1, 1, 1, 1, 1, 1]))).toBeNull();
    expect(decodeSummary(withRow({ 0: T0, length: 7 } as never))).toBeNull();
    expect(decodeSummary(withRow('1234567' as never))).toBeNull();
    expect(decodeSummary(withRow([T0, '1', 1, 1, 1, 1, 1]))).toBeNull();
    expect(decodeSummary(withRow([T0, 1, 1, 1, 1, '1', 1]))).toBeNull();
    for (const text of [
      'null',
      '5',
      '"x"',
      '[]',
      '{"v":1',
      '{"v":2,"src":1,"step":600000,"sums":[],"events":[]}',
    ]) {
      expect(decodeSummary(text), text).toBeNull();
    }
    expect(
      decodeSummary(JSON.stringify({ v: 1, src: 1, step: SUMMARY_STEP_MS * 2, sums: [], events: [] })),
    ).toBeNull();
    expect(
      decodeSummary(JSON.stringify({ v: 1, src: '1', step: SUMMARY_STEP_MS, sums: [], events: [] })),
    ).toBeNull();
    expect(
      decodeSummary(JSON.stringify({ v: 1, src: 1, step: SUMMARY_STEP_MS, sums: {}, events: [] })),
    ).toBeNull();
    expect(
      decodeSummary(JSON.stringify({ v: 1, src: 1, step: SUMMARY_STEP_MS, sums: [], events: {} })),
    ).toBeNull();
  });
});

describe('MinuteAggregator shares and means', () => {
  const sample = (at: number, generation: number, good: number | null, rejected = 0) => ({
    at,
    generation,
    hashrate: null,
    cpu: null,
    shares: good === null ? null : { good, rejected },
  });

  it('leaves a minute without hashrate, CPU or share readings as not measured, never 0', () => {
    const agg = new MinuteAggregator();
    agg.add('a', sample(T0, 1, null));
    agg.add('a', sample(T0 + 1000, 1, null));
    expect(agg.flush('a')).toEqual({ at: T0, hashrate: null, cpu: null, accepted: null, rejected: null });
  });

  it('counts accepted and rejected shares found since the last reading, per process', () => {
    const agg = new MinuteAggregator();
    agg.add('a', sample(T0, 1, 10, 2)); // first reading: all of it is new
    agg.add('a', sample(T0 + 10_000, 1, 10, 2)); // nothing new
    expect(agg.add('a', sample(T0 + MINUTE_MS, 1, 13, 3))).toMatchObject({ accepted: 10, rejected: 2 });
    agg.add('a', sample(T0 + MINUTE_MS + 1, 1, 13, 3));
    // A new process counts from 0, even when its counters are already above the old ones.
    agg.add('a', sample(T0 + MINUTE_MS + 2, 2, 20, 5));
    expect(agg.flush('a')).toMatchObject({ accepted: 3 + 20, rejected: 1 + 5 });
    // A counter that went down (reset) counts from 0 as well.
    agg.add('a', sample(T0 + 2 * MINUTE_MS, 2, 4, 1));
    expect(agg.flush('a')).toMatchObject({ accepted: 4, rejected: 1 });
  });
});

describe('bucketSums', () => {
  it('keeps share counts unknown where no point had them, and sums the known ones', () => {
    const s = (at: number, acc: number | null, rej: number | null) => ({
      at,
      hs: 1,
      hn: 1,
      cs: 1,
      cn: 1,
      acc,
      rej,
    });
    expect(bucketSums([s(T0, null, null), s(T0 + MINUTE_MS, null, null)], SUMMARY_STEP_MS)).toEqual([
      { at: T0, hs: 2, hn: 2, cs: 2, cn: 2, acc: null, rej: null },
    ]);
    expect(
      bucketSums([s(T0, 2, 1), s(T0 + MINUTE_MS, null, null), s(T0 + 2 * MINUTE_MS, 3, 4)], SUMMARY_STEP_MS),
    ).toEqual([{ at: T0, hs: 3, hn: 3, cs: 3, cn: 3, acc: 5, rej: 5 }]);
  });
});

describe('bucket means and gaps', () => {
  it('averages only the measured minutes, and a bucket with none is not measured', () => {
    const sums = [point(T0, 500, { cpu: null }), point(T0 + MINUTE_MS, null, { cpu: 40 })].map(pointSums);
    expect(sums.map((s) => [s.hn, s.cn])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const [bucket] = bucketSums(sums, SUMMARY_STEP_MS).map(sumsPoint);
    expect(bucket).toMatchObject({ hashrate: 500, cpu: 40 });
    expect(sumsPoint({ at: T0, hs: 0, hn: 0, cs: 0, cn: 0, acc: null, rej: null })).toEqual({
      at: T0,
      hashrate: null,
      cpu: null,
      accepted: null,
      rejected: null,
    });
  });

  it('marks a gap only where more than one and a half steps are missing', () => {
    const at = (ms: number) => point(ms);
    expect(withGaps([at(0), at(90_000)], MINUTE_MS).map((p) => p.at)).toEqual([0, 90_000]);
    expect(withGaps([at(0), at(90_001)], MINUTE_MS).map((p) => p.at)).toEqual([0, MINUTE_MS, 90_001]);
  });
});

describe('MinuteAggregator.forget', () => {
  it('drops a removed miner: no open minute, and its share counters start again', () => {
    const agg = new MinuteAggregator();
    const s = (at: number, good: number) => ({
      at,
      generation: 1,
      hashrate: 1,
      cpu: null,
      shares: { good, rejected: 0 },
    });
    agg.add('a', s(T0, 10));
    agg.add('b', s(T0, 1));
    agg.forget('a');
    expect(agg.ids()).toEqual(['b']);
    expect(agg.flush('a')).toBeNull();
    agg.add('a', s(T0 + MINUTE_MS, 12));
    expect(agg.flush('a')?.accepted).toBe(12);
  });
});

describe('HistoryStore edges', () => {
  it('returns a partly covered day in time order, events in the range only, even after the clock stepped back', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir });
    await store.appendPoints('rig', [
      point(T0 + 10 * MINUTE_MS, 10),
      point(T0 + 5 * MINUTE_MS, 5),
      point(T0 + 7 * MINUTE_MS, 7),
    ]);
    for (const [m, text] of [
      [20, 'late'],
      [6, 'early'],
      [1, 'before'],
      [9, 'mid'],
    ] as const) {
      await store.appendEvent('rig', { at: T0 + m * MINUTE_MS, kind: 'pause', text });
    }
    const part = await store.query('rig', T0 + 5 * MINUTE_MS, T0 + 9 * MINUTE_MS, { gaps: false });
    expect(part.points.map((p) => p.hashrate)).toEqual([5, 7]);
    expect(part.events.map((e) => e.text)).toEqual(['early', 'mid']);
    // Bounds are inclusive at both ends.
    const edges = await store.query('rig', T0 + 6 * MINUTE_MS, T0 + 20 * MINUTE_MS, { gaps: false });
    expect(edges.events.map((e) => e.text)).toEqual(['early', 'mid', 'late']);
    expect(edges.points.map((p) => p.hashrate)).toEqual([7, 10]);
    const whole = await store.query('rig', T0, T0 + DAY_MS, { gaps: false });
    expect(whole.points.map((p) => p.hashrate)).toEqual([5, 7, 10]);
    expect(whole.events.map((e) => e.text)).toEqual(['before', 'early', 'mid', 'late']);
  });

  it('heals a file that holds only a torn record: the next record starts the file', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'rig'));
    const file = join(dir, 'rig', '2025-03-10.jsonl');
    await writeFile(file, `[${T0},50`);
    const store = new HistoryStore({ dir });
    await store.appendPoint('rig', point(T0 + MINUTE_MS));
    expect(await readFile(file, 'utf8')).toBe(`${line(point(T0 + MINUTE_MS))}\n`);
  });

  it('heals a torn record of exactly 64 KiB, and leaves a longer one it cannot see the start of', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'rig'));
    const exact = join(dir, 'rig', '2025-03-10.jsonl');
    await writeFile(exact, `[${T0},"${'z'.repeat(64 * 1024 - 20)}`.padEnd(64 * 1024, 'z'));
    const longer = join(dir, 'rig', '2025-03-11.jsonl');
    const longText = `[${T0 + DAY_MS},"${'z'.repeat(70_000)}`;
    await writeFile(longer, longText);
    const store = new HistoryStore({ dir });
    await store.appendPoints('rig', [point(T0), point(T0 + DAY_MS)]);
    expect(await readFile(exact, 'utf8')).toBe(`${line(point(T0))}\n`);
    expect(await readFile(longer, 'utf8')).toBe(`${longText}${line(point(T0 + DAY_MS))}\n`);
  });

  it('reads a day file that vanished as empty, and reports one it cannot read', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'rig'));
    await symlink(join(dir, 'nowhere.jsonl'), join(dir, 'rig', '2025-03-10.jsonl'));
    const store = new HistoryStore({ dir });
    expect(await store.query('rig', T0, T0 + DAY_MS)).toEqual({ points: [], events: [] });
    await mkdir(join(dir, 'rig', '2025-03-11.jsonl'));
    await expect(store.query('rig', T0, T0 + 2 * DAY_MS)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('tells when the daily job failed, and keeps running', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'rig', '2025-03-10.jsonl'), { recursive: true }); // a past day that is a folder
    const notices: string[] = [];
    const clock = new FakeClock(T0 + 3 * DAY_MS);
    const store = new HistoryStore({ dir, clock, onNotice: (m) => notices.push(m) });
    store.start();
    await clock.advance(0);
    await clock.advance(DAY_MS);
    await store.stop();
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/^History pruning failed: Error: EISDIR/);
  });

  it('tells when a summary cannot be saved, and still answers from the day file', async () => {
    const dir = await tempDir();
    const notices: string[] = [];
    const store = new HistoryStore({
      dir,
      clock: new FakeClock(T0 + 3 * DAY_MS),
      onNotice: (m) => notices.push(m),
    });
    await store.appendPoints('rig', [point(T0, 100), point(T0 + MINUTE_MS, 300)]);
    await mkdir(join(dir, 'rig', '2025-03-10.sum.json')); // in the way of the summary
    const r = await store.query('rig', T0, T0 + DAY_MS - 1, { stepMs: DAY_MS });
    expect(r.points).toEqual([{ at: T0, hashrate: 200, cpu: 50, accepted: 2, rejected: 0 }]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^Could not save the history summary of rig 2025-03-10: Error: /);
  });

  it('keeps the readable events of a corrupt file, and lists at most five bad lines', async () => {
    const dir = await tempDir();
    const notices: string[] = [];
    const store = new HistoryStore({
      dir,
      clock: new FakeClock(T0 + DAY_MS),
      onNotice: (m) => notices.push(m),
    });
    await store.appendPoint('rig', point(T0));
    await store.appendEvent('rig', { at: T0 + 1, kind: 'start', text: 'go' });
    const file = join(dir, 'rig', '2025-03-10.jsonl');
    await writeFile(file, `${await readFile(file, 'utf8')}${'bad\n'.repeat(7)}`);
    const r = await store.query('rig', T0, T0 + DAY_MS);
    expect(r.events).toEqual([{ at: T0 + 1, kind: 'start', text: 'go' }]);
    expect(notices[0]).toContain('had 7 unreadable line(s) (3, 4, 5, 6, 7…)');
    expect(notices[0]).toContain('the 2 readable record(s) were kept');
    expect(parseDay(await readFile(file, 'utf8'))).toMatchObject({ badLines: [], events: [{ text: 'go' }] });
  });

  it('prunes by the retention it was last given', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir, retentionDays: 30, clock: new FakeClock(T0 + 9 * DAY_MS) });
    for (let d = 0; d < 10; d++) await store.appendPoint('rig', point(T0 + d * DAY_MS));
    expect(await store.prune()).toEqual([]);
    store.setRetentionDays(3);
    const removed = await store.prune();
    expect(removed).toHaveLength(7);
    expect(removed[0]).toBe(join('rig', '2025-03-10.jsonl'));
    expect((await readdir(join(dir, 'rig'))).sort()[0]).toBe('2025-03-17.jsonl');
  });

  it('runs one daily job however often it is started, and none after stop', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + 3 * DAY_MS);
    const store = new HistoryStore({ dir, clock });
    store.start();
    store.start();
    expect(clock.pending).toBe(1);
    await store.stop();
    expect(clock.pending).toBe(0);
  });

  it('summarises only for 10-minute multiples, only completed days, only days wholly in the range', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + DAY_MS + 12 * 3600_000); // noon of the second day
    const store = new HistoryStore({ dir, clock });
    const day1 = Array.from({ length: 24 }, (_, h) => point(T0 + h * 3600_000, 100 + h));
    const day2 = Array.from({ length: 12 }, (_, h) => point(T0 + DAY_MS + h * 3600_000, 200 + h));
    await store.appendPoints('rig', [...day1, ...day2]);
    const sums = async () => (await readdir(join(dir, 'rig'))).filter((n) => n.endsWith('.sum.json'));

    await store.query('rig', T0, T0 + 2 * DAY_MS - 1, { stepMs: 15 * MINUTE_MS });
    expect(await sums()).toEqual([]);
    // The first day only in part: its summary would bring points from outside the range.
    const part = await store.query('rig', T0 + 6 * 3600_000, T0 + 2 * DAY_MS - 1, {
      stepMs: 30 * MINUTE_MS,
      gaps: false,
    });
    expect(await sums()).toEqual([]);
    expect(part.points[0]).toMatchObject({ at: T0 + 6 * 3600_000, hashrate: 106 });
    // Today is still being written: never summarised.
    await store.query('rig', T0 + DAY_MS, T0 + 2 * DAY_MS - 1, { stepMs: 30 * MINUTE_MS });
    expect(await sums()).toEqual([]);
    const whole = await store.query('rig', T0, T0 + 2 * DAY_MS - 1, { stepMs: 30 * MINUTE_MS, gaps: false });
    expect(await sums()).toEqual(['2025-03-10.sum.json']);
    expect(whole.points.map((p) => p.hashrate)).toEqual([...day1, ...day2].map((p) => p.hashrate));
  });

  it('takes a 1-minute step as the stored points', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir, clock: new FakeClock(T0 + 3 * DAY_MS) });
    await store.appendPoints('rig', [point(T0, 1), point(T0 + 3 * MINUTE_MS, 3)]);
    const r = await store.query('rig', T0, T0 + DAY_MS - 1, { stepMs: MINUTE_MS });
    expect(r.points.map((p) => p.hashrate)).toEqual([1, null, 3]);
    expect((await readdir(join(dir, 'rig'))).some((n) => n.endsWith('.sum.json'))).toBe(false);
  });

  it('appends again to a miner whose folder retention removed', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(T0 + 40 * DAY_MS);
    const store = new HistoryStore({ dir, clock, retentionDays: 30 });
    await store.appendPoint('rig', point(T0));
    expect(await store.prune()).toEqual([join('rig', '2025-03-10.jsonl')]);
    expect(await store.miners()).toEqual([]);
    await store.appendPoint('rig', point(T0 + 40 * DAY_MS));
    expect((await store.query('rig', T0 + 40 * DAY_MS, T0 + 41 * DAY_MS)).points).toHaveLength(1);
  });

  it('writes nothing, not even a folder, for no points', async () => {
    const dir = await tempDir();
    const store = new HistoryStore({ dir });
    await store.appendPoints('rig', []);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a failed append fails alone: the next one of the same miner still lands', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'rig', '2025-03-10.jsonl'), { recursive: true }); // the day file is a folder
    const store = new HistoryStore({ dir });
    await expect(store.appendPoint('rig', point(T0))).rejects.toMatchObject({ code: 'EISDIR' });
    await store.appendPoint('rig', point(T0 + DAY_MS));
    expect((await store.query('rig', T0 + DAY_MS, T0 + 2 * DAY_MS)).points).toHaveLength(1);
  });
});
