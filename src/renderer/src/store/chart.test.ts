// @vitest-environment jsdom
// The chart's data model: min/max decimation to at most one value per two pixels, appended to
// incrementally; breaks where a miner did not run (time gaps and stop/crash/start events) laid on a
// shared grid so gaps stay gaps and only gaps; markers from state changes; a colour per miner that
// survives removals; and value axes in one unit.
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../shared/contract';
import { linearAxis, logAxis, percentAxis, timeTicks } from '../components/chart/chartAxes';
import { makeMiner, makeStats } from '../test/fixtures';
import { mergeEvents, snapshotEvents, transitionEvents } from './chartEvents';
import { buildLine, rangeSpec } from './chartModel';
import { useChartStore } from './chartStore';
import { buildGrid, lineKey } from './chartRows';
import { DecimatedLine } from './decimate';
import { HashrateSeries, MINUTE_MS } from './hashrateSeries';
import { forgetSessionColors, LINE_COLORS, lineColors, resetLineColors } from './lineColors';

afterEach(() => {
  useChartStore.getState().reset();
  resetLineColors();
  localStorage.clear();
});

type Row = Record<string, number | null>;
const column = (rows: readonly Row[], id: string) => rows.map((r) => r[lineKey(id)] ?? null);
/** Drawn pieces of a column: runs of numbers separated by null or missing cells. */
const segments = (cells: (number | null)[]) =>
  cells.reduce<{ n: number; inRun: boolean }>(
    (acc, v) => (v === null ? { n: acc.n, inRun: false } : { n: acc.inRun ? acc.n : acc.n + 1, inRun: true }),
    { n: 0, inRun: false },
  ).n;
const line = (bucketMs: number, gapMs: number, pointResolutionMs = 1) =>
  new DecimatedLine({ bucketMs, gapMs, pointResolutionMs });

describe('DecimatedLine', () => {
  it('keeps each bucket’s minimum and maximum in time order, so spikes and dips survive', () => {
    const l = line(10_000, 10_000);
    for (const [at, v] of [
      [0, 100],
      [1000, 300], // spike
      [2000, 100],
      [3000, 20], // dip
      [4000, 100],
      [10_000, 100],
    ] as const)
      l.put(at, v);
    expect(l.bucketsFrom(0).map((b) => [b.start, b.a, b.b])).toEqual([
      [0, 300, 20],
      [10_000, 100, 100],
    ]);
  });

  it('breaks across a gap longer than the range allows, and across a marked stop', () => {
    const l = line(1000, 5000);
    l.put(0, 10);
    l.put(1000, 11);
    l.put(20_000, 12); // 19 s without samples: not joined
    l.put(21_000, 13);
    l.markBreak(21_500); // stopped and started again within the gap allowance
    l.put(23_000, 14);
    expect(l.bucketsFrom(0).map((b) => b.breakBefore)).toEqual([false, false, true, false, true]);
  });

  it('replaces the newest sample when it is updated in place (a minute still being averaged)', () => {
    const l = line(MINUTE_MS, 150_000, MINUTE_MS);
    l.put(0, 100);
    const before = l.revision;
    l.put(0, 120);
    expect(l.revision).toBeGreaterThan(before);
    l.put(MINUTE_MS, 90);
    expect(l.bucketsFrom(0).map((b) => b.a)).toEqual([120, 90]);
  });

  it('breaks minute points at a stop inside a minute, stamped at the minute’s start', () => {
    const l = line(MINUTE_MS, 150_000, MINUTE_MS);
    l.put(0, 100);
    l.markBreak(30_000);
    l.put(2 * MINUTE_MS, 100); // within the 150 s allowance, but the miner stopped in between
    expect(l.bucketsFrom(0).map((b) => b.breakBefore)).toEqual([false, true]);
  });

  it('drops buckets that slid out of the range', () => {
    const l = line(1000, 5000);
    for (const t of [0, 10_000, 11_000]) l.put(t, t);
    expect(l.bucketsFrom(5000).map((b) => b.start)).toEqual([10_000, 11_000]);
  });
});

describe('buildGrid', () => {
  const grid = (lines: { id: string; l: DecimatedLine }[], to: number, slots: 1 | 2 = 1, bucketMs = 1000) =>
    buildGrid(
      lines.map(({ id, l }) => ({ id, buckets: l.bucketsFrom(0) })),
      { bucketMs, slots, from: 0, to },
    );

  it('fills a bucket a late sample skipped, so a slow API is not drawn as a stop', () => {
    const a = line(1000, 5000);
    for (const t of [0, 1000, 3100, 4000]) a.put(t, 100); // no sample in [2000, 3000)
    const b = line(1000, 5000);
    for (const t of [0, 1000, 2000, 3000, 4000]) b.put(t, 50);
    const { rows, breaks } = grid(
      [
        { id: 'a', l: a },
        { id: 'b', l: b },
      ],
      5000,
    );
    expect(column(rows, 'a')).toEqual([100, 100, 100, 100, 100]);
    expect(segments(column(rows, 'a'))).toBe(1);
    expect(breaks).toBe(0);
  });

  it('leaves a line undrawn where it stopped, even between adjacent buckets, without breaking the others', () => {
    const a = line(1000, 5000);
    a.put(0, 100);
    a.put(1000, 100);
    a.markBreak(1500);
    a.put(2000, 200);
    const b = line(1000, 5000);
    for (const t of [0, 1000, 2000]) b.put(t, 50);
    const { rows, breaks } = grid(
      [
        { id: 'a', l: a },
        { id: 'b', l: b },
      ],
      3000,
    );
    // A break row sits between 1000 and 2000: null for a, interpolated for b.
    expect(rows.map((r) => r.at)).toEqual([0, 1000, 1999, 2000]);
    expect(column(rows, 'a')).toEqual([100, 100, null, 200]);
    expect(column(rows, 'b')).toEqual([50, 50, 50, 50]);
    expect(segments(column(rows, 'a'))).toBe(2);
    expect(breaks).toBe(1);
  });

  it('puts a min/max bucket in two slots and makes 0 H/s a break on a log scale', () => {
    const a = line(10_000, 20_000);
    for (const [t, v] of [
      [0, 5],
      [5000, 0],
      [10_000, 7],
    ] as const)
      a.put(t, v);
    const buckets = a.bucketsFrom(0);
    const linear = buildGrid([{ id: 'a', buckets }], { bucketMs: 10_000, slots: 2, from: 0, to: 20_000 });
    expect(column(linear.rows, 'a')).toEqual([5, 0, 7, 7]);
    const log = buildGrid([{ id: 'a', buckets }], {
      bucketMs: 10_000,
      slots: 2,
      from: 0,
      to: 20_000,
      positiveOnly: true,
    });
    expect(column(log.rows, 'a')).toEqual([5, null, 7, 7]);
  });
});

describe('rangeSpec', () => {
  it('draws at most one value per two pixels per line, and never finer than the data', () => {
    const day = rangeSpec('24h', 1000, 1000);
    expect(day).toMatchObject({ source: 'minutes', slots: 2 });
    expect(day.bucketMs % MINUTE_MS).toBe(0);
    expect((2 * 24 * 60 * MINUTE_MS) / day.bucketMs).toBeLessThanOrEqual(500);
    expect(rangeSpec('5m', 1000, 1000)).toMatchObject({
      source: 'raw',
      bucketMs: 1000,
      slots: 1,
      gapMs: 5000,
    });
    expect(rangeSpec('1h', 1000, 1000)).toMatchObject({ source: 'minutes', bucketMs: MINUTE_MS, slots: 1 });
    expect(rangeSpec('5m', 1000, 5000).gapMs).toBe(15_000);
  });

  it('keeps a 24 h day of 1 Hz samples to a few hundred values per line', () => {
    const spec = rangeSpec('24h', 1000, 1000);
    const l = new DecimatedLine({ bucketMs: spec.bucketMs, gapMs: spec.gapMs, pointResolutionMs: MINUTE_MS });
    for (let m = 0; m < 24 * 60; m += 1) l.put(m * MINUTE_MS, 1000 + Math.sin(m / 7) * 100);
    const { points } = buildGrid([{ id: 'a', buckets: l.bucketsFrom(0) }], {
      bucketMs: spec.bucketMs,
      slots: spec.slots,
      from: 0,
      to: 24 * 60 * MINUTE_MS,
    });
    expect(points).toBeLessThanOrEqual(500);
    expect(points).toBeGreaterThan(400);
  });
});

describe('buildLine', () => {
  it('breaks a history line at stop and start events between its samples, not at pauses', () => {
    const series = new HashrateSeries();
    for (let t = 0; t <= 10_000; t += 1000) series.add({ at: t, value: 500 });
    for (let t = 13_000; t <= 16_000; t += 1000) series.add({ at: t, value: 600 });
    const events: HistoryEvent[] = [
      { at: 10_500, kind: 'stop', text: 'stopped' },
      { at: 12_800, kind: 'start', text: 'started' },
      { at: 14_500, kind: 'pause', text: 'paused' },
    ];
    const buckets = buildLine(series, events, rangeSpec('5m', 1000, 1000), 0).bucketsFrom(0);
    expect(buckets.filter((b) => b.breakBefore).map((b) => b.start)).toEqual([13_000]);
  });
});

describe('chart store', () => {
  it('appends live samples to the built line without rebuilding it, and breaks it on a crash event', () => {
    const store = useChartStore.getState();
    const miners = { m1: makeMiner({ id: 'm1' }) };
    const now = 10 * MINUTE_MS;
    const batch = (at: number) => ({
      at,
      miners: [{ id: 'm1', generation: 1, stats: makeStats({ at, hashrate: [at / 1000, null, null] }) }],
    });
    for (let t = now - 20_000; t <= now - 10_000; t += 1000) store.addBatch(batch(t), miners);
    expect(store.linesFor('5m', 1000, 1000, now).lines.get('m1')).toHaveLength(11);
    store.addEvents(new Map([['m1', [{ at: now - 9500, kind: 'crash' as const, text: 'crashed' }]]]));
    store.addBatch(batch(now - 9000), miners);
    const buckets = store.linesFor('5m', 1000, 1000, now).lines.get('m1') ?? [];
    expect(buckets.at(-1)).toMatchObject({ a: 591, breakBefore: true });
    expect(store.linesFor('5m', 1000, 1000, now).events.get('m1')?.[0]?.kind).toBe('crash');
  });

  it('redraws minute-based views only when a minute closes or every few batches', () => {
    const store = useChartStore.getState();
    const miners = { m1: makeMiner({ id: 'm1' }) };
    const batch = (at: number) => ({
      at,
      miners: [{ id: 'm1', generation: 1, stats: makeStats({ at, hashrate: [100, null, null] }) }],
    });
    store.addBatch(batch(MINUTE_MS), miners); // a new line: drawn at once
    const coarse = useChartStore.getState().coarseVersion;
    for (let s = 1; s <= 10; s += 1) store.addBatch(batch(MINUTE_MS + s * 1000), miners);
    expect(useChartStore.getState().coarseVersion).toBe(coarse);
    expect(useChartStore.getState().version).toBeGreaterThanOrEqual(11);
    store.addBatch(batch(2 * MINUTE_MS), miners); // the first minute closes
    expect(useChartStore.getState().coarseVersion).toBe(coarse + 1);
  });

  it('keeps history events from getHistory and drops live duplicates of them', () => {
    const store = useChartStore.getState();
    store.backfill(
      new Map([
        [
          'm1',
          {
            points: [{ at: 1000, value: 5 }],
            events: [{ at: 1000, kind: 'start' as const, text: 'started' }],
          },
        ],
      ]),
    );
    store.addEvents(new Map([['m1', [{ at: 1800, kind: 'start' as const, text: 'm1 started' }]]]));
    expect(useChartStore.getState().events.get('m1')).toHaveLength(1);
  });

  it('keeps the CPU history from getHistory apart from the hashrate, and draws either on request', () => {
    const store = useChartStore.getState();
    const now = Date.now();
    const points = [0, 1, 2].map((i) => ({ at: now - 60_000 + i * 1000, value: 1000 + i }));
    const cpu = [0, 1, 2, 3].map((i) => ({ at: now - 60_000 + i * 1000, value: 20 + i }));
    store.backfill(new Map([['m1', { points, cpu }]]));
    const values = (metric: 'hashrate' | 'cpu') =>
      (store.linesFor('5m', 1000, 1000, now, metric).lines.get('m1') ?? []).map((b) => b.a);
    expect(values('hashrate')).toEqual([1000, 1001, 1002]);
    expect(values('cpu')).toEqual([20, 21, 22, 23]);
    // a live sample goes to the line on screen (CPU now), the other series keeps its own
    store.addBatch(
      {
        at: now - 1000,
        miners: [
          {
            id: 'm1',
            generation: 1,
            stats: makeStats({
              at: now - 1000,
              hashrate: [1003, null, null],
              usage: { machineCpuPercent: 30, logicalCores: 4, rssBytes: 1, processes: 1, at: now - 1000 },
            }),
          },
        ],
      },
      { m1: makeMiner({ id: 'm1' }) },
    );
    expect(values('cpu').at(-1)).toBe(30);
    expect(values('hashrate').at(-1)).toBe(1003);
    store.drop('m1');
    expect(useChartStore.getState().cpu.has('m1')).toBe(false);
  });
});

describe('chart events from state changes', () => {
  const running = makeMiner({ id: 'm1', name: 'Rig', generation: 2, startedAt: 100 });

  it('names stops, crashes, restarts, pauses and throttle changes', () => {
    const at = 5000;
    expect(
      transitionEvents(
        running,
        { ...running, state: 'stopped', lastExit: { code: 0, signal: null, at: 4000 } },
        at,
      ),
    ).toEqual([{ at: 4000, kind: 'stop', text: 'Rig stopped' }]);
    expect(
      transitionEvents(
        running,
        { ...running, state: 'crashed', lastExit: { code: null, signal: 'SIGKILL', at: 4100 } },
        at,
      )[0],
    ).toMatchObject({ at: 4100, kind: 'crash', text: 'Simulated Rig crashed (killed by SIGKILL)' });
    expect(transitionEvents(running, { ...running, generation: 3, startedAt: 4500 }, at)).toEqual([
      { at: 4500, kind: 'restart', text: 'Rig restarted' },
    ]);
    expect(transitionEvents(running, { ...running, paused: true }, at)).toEqual([
      { at, kind: 'pause', text: 'Rig paused' },
    ]);
    expect(
      transitionEvents(running, { ...running, config: { ...running.config, cpuMaxThreadsHint: 50 } }, at)[0]
        ?.text,
    ).toBe('Rig: CPU limit 50 %');
    // A stats tick changes nothing worth a marker.
    expect(transitionEvents(running, { ...running, stats: makeStats() }, at)).toEqual([]);
  });

  it('derives a start and a stop from a snapshot seen for the first time', () => {
    const stopped = { ...running, state: 'stopped' as const, lastExit: { code: 0, signal: null, at: 900 } };
    expect(snapshotEvents(stopped).map((e) => e.kind)).toEqual(['start', 'stop']);
  });

  it('bounds and orders merged events', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      at: i * 10_000,
      kind: 'pause' as const,
      text: '',
    }));
    const merged = mergeEvents([], many);
    expect(merged).toHaveLength(200);
    expect(merged[0]?.at).toBe(100 * 10_000);
  });
});

describe('lineColors', () => {
  it('keeps each miner’s colour when another miner is removed or added', () => {
    const first = lineColors(['a', 'b', 'c']);
    expect(new Set(Object.values(first)).size).toBe(3);
    const afterRemoval = lineColors(['a', 'c']);
    expect(afterRemoval.a).toBe(first.a);
    expect(afterRemoval.c).toBe(first.c);
    const withNew = lineColors(['d', 'a', 'c']);
    expect(withNew.a).toBe(first.a);
    expect([withNew.a, withNew.c]).not.toContain(withNew.d);
  });

  it('remembers assignments across reloads through localStorage', () => {
    const first = lineColors(['rig-1', 'rig-2']);
    expect(LINE_COLORS).toContain(first['rig-1']);
    forgetSessionColors(); // a new page: the module state is gone, localStorage is not
    // Loading from storage: the same colours come back whatever the order.
    expect(lineColors(['rig-2', 'rig-1'])).toEqual({ 'rig-2': first['rig-2'], 'rig-1': first['rig-1'] });
  });
});

describe('value axes', () => {
  it('labels every tick of a linear axis in one unit', () => {
    const axis = linearAxis(1234);
    expect(axis.unit).toBe('kH/s');
    expect(axis.ticks.map(axis.format)).toEqual(['0.0 kH/s', '0.5 kH/s', '1.0 kH/s', '1.5 kH/s']);
    const small = linearAxis(700);
    expect(small.ticks.map(small.format)).toEqual(['0 H/s', '200 H/s', '400 H/s', '600 H/s', '800 H/s']);
  });

  it('spans whole decades on a log axis so a 20 H/s line is readable beside a 1.2 kH/s one', () => {
    const axis = logAxis(20, 1200);
    expect(axis.domain).toEqual([10, 10_000]);
    expect(axis.ticks.map(axis.format)).toEqual(['0.01 kH/s', '0.1 kH/s', '1 kH/s', '10 kH/s']);
  });

  it('labels a CPU axis in % of the computer, from 0 and at least to 5 %', () => {
    const axis = percentAxis(47);
    expect(axis.ticks.map(axis.format)).toEqual(['0 %', '20 %', '40 %', '60 %']);
    const idle = percentAxis(0.3);
    expect(idle.domain).toEqual([0, 6]);
    expect(idle.ticks.map(idle.format)).toEqual(['0 %', '2 %', '4 %', '6 %']);
  });

  it('puts time ticks on clock boundaries inside the range', () => {
    const ticks = timeTicks(0, 60 * MINUTE_MS, 10 * MINUTE_MS);
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    expect(ticks.every((t) => t >= 0 && t <= 60 * MINUTE_MS)).toBe(true);
  });
});
