// @vitest-environment jsdom
// The chart's data model: min/max decimation to about one point per pixel, appended incrementally;
// breaks where a miner did not run (time gaps and stop/crash/start events) so gaps stay gaps; markers
// from state changes; a colour per miner that survives removals; and value axes in one unit.
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../shared/contract';
import { linearAxis, logAxis, timeTicks } from '../components/chart/chartAxes';
import { makeMiner, makeStats } from '../test/fixtures';
import { mergeEvents, snapshotEvents, transitionEvents } from './chartEvents';
import { buildLine, rangeSpec } from './chartModel';
import { useChartStore } from './chartStore';
import { DecimatedLine, type ChartPoint } from './decimate';
import { HashrateSeries, MINUTE_MS } from './hashrateSeries';
import { forgetSessionColors, LINE_COLORS, lineColors, resetLineColors } from './lineColors';

afterEach(() => {
  useChartStore.getState().reset();
  resetLineColors();
  localStorage.clear();
});

const values = (points: ChartPoint[]) => points.map((p) => p.v);
const segments = (points: ChartPoint[]) =>
  points.filter((p) => p.v === null).length + (points.length > 0 ? 1 : 0);

describe('DecimatedLine', () => {
  it('keeps each bucket’s minimum and maximum in time order, so spikes and dips survive', () => {
    const line = new DecimatedLine({ bucketMs: 10_000, gapMs: 10_000, pointResolutionMs: 1 });
    for (const [at, v] of [
      [0, 100],
      [1000, 300], // spike
      [2000, 100],
      [3000, 20], // dip
      [4000, 100],
      [10_000, 100],
    ] as const)
      line.put(at, v);
    expect(line.points(0)).toEqual([
      { at: 1000, v: 300 },
      { at: 3000, v: 20 },
      { at: 10_000, v: 100 },
    ]);
  });

  it('draws at most two points per bucket however many samples arrive', () => {
    const line = new DecimatedLine({ bucketMs: 60_000, gapMs: 5000, pointResolutionMs: 1 });
    for (let t = 0; t < 24 * 60 * 60_000; t += 1000) line.put(t, 1000 + Math.sin(t / 7000) * 100);
    const points = line.points(0);
    expect(points.length).toBeLessThanOrEqual(2 * 24 * 60);
    expect(points.length).toBeGreaterThan(24 * 60);
  });

  it('breaks the line across a gap longer than the range allows, and across a marked stop', () => {
    const line = new DecimatedLine({ bucketMs: 1000, gapMs: 5000, pointResolutionMs: 1 });
    line.put(0, 10);
    line.put(1000, 11);
    line.put(20_000, 12); // 19 s without samples: not joined
    line.put(21_000, 13);
    line.markBreak(21_500); // stopped and started again within the gap allowance
    line.put(23_000, 14);
    expect(values(line.points(0))).toEqual([10, 11, null, 12, 13, null, 14]);
  });

  it('replaces the newest point when it is updated in place (a minute still being averaged)', () => {
    const line = new DecimatedLine({ bucketMs: MINUTE_MS, gapMs: 150_000, pointResolutionMs: MINUTE_MS });
    line.put(0, 100);
    line.put(0, 120);
    line.put(MINUTE_MS, 90);
    expect(line.points(0)).toEqual([
      { at: 0, v: 120 },
      { at: MINUTE_MS, v: 90 },
    ]);
  });

  it('breaks minute points at a stop inside a minute, stamped at the minute’s start', () => {
    const line = new DecimatedLine({ bucketMs: MINUTE_MS, gapMs: 150_000, pointResolutionMs: MINUTE_MS });
    line.put(0, 100);
    line.markBreak(30_000);
    line.put(2 * MINUTE_MS, 100); // within the 150 s gap allowance, but the miner stopped in between
    expect(values(line.points(0))).toEqual([100, null, 100]);
  });

  it('drops points that slid out of the range and never starts with a break', () => {
    const line = new DecimatedLine({ bucketMs: 1000, gapMs: 5000, pointResolutionMs: 1 });
    line.put(0, 1);
    line.put(10_000, 2);
    line.put(11_000, 3);
    expect(line.points(5000)).toEqual([
      { at: 10_000, v: 2 },
      { at: 11_000, v: 3 },
    ]);
  });
});

describe('rangeSpec', () => {
  it('draws the day at about one point per pixel and never finer than the data', () => {
    const day = rangeSpec('24h', 1000, 1000);
    expect(day.source).toBe('minutes');
    expect(day.bucketMs % MINUTE_MS).toBe(0);
    expect((2 * 24 * 60 * MINUTE_MS) / day.bucketMs).toBeLessThanOrEqual(1000);
    const fiveMinutes = rangeSpec('5m', 1000, 1000);
    expect(fiveMinutes).toMatchObject({ source: 'raw', bucketMs: 1000, gapMs: 5000 });
    expect(rangeSpec('5m', 1000, 5000).gapMs).toBe(15_000);
  });
});

describe('buildLine', () => {
  it('breaks a history line at stop and start events between its points', () => {
    const series = new HashrateSeries();
    for (let t = 0; t <= 10_000; t += 1000) series.add({ at: t, value: 500 });
    for (let t = 13_000; t <= 16_000; t += 1000) series.add({ at: t, value: 600 });
    const events: HistoryEvent[] = [
      { at: 10_500, kind: 'stop', text: 'stopped' },
      { at: 12_800, kind: 'start', text: 'started' },
      { at: 14_500, kind: 'pause', text: 'paused' }, // a marker, not a break
    ];
    const spec = rangeSpec('5m', 1000, 1000);
    const points = buildLine(series, events, spec, 0).points(0);
    expect(segments(points)).toBe(2);
    expect(points.findIndex((p) => p.v === null)).toBe(11);
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
    const first = store.linesFor('5m', 1000, 1000, now).lines.get('m1') ?? [];
    expect(first).toHaveLength(11);
    store.addEvents(new Map([['m1', [{ at: now - 9500, kind: 'crash' as const, text: 'crashed' }]]]));
    store.addBatch(batch(now - 9000), miners);
    const second = store.linesFor('5m', 1000, 1000, now).lines.get('m1') ?? [];
    expect(values(second).slice(-3)).toEqual([590, null, 591]);
    expect(store.linesFor('5m', 1000, 1000, now).events.get('m1')?.[0]?.kind).toBe('crash');
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

  it('puts time ticks on clock boundaries inside the range', () => {
    const ticks = timeTicks(0, 60 * MINUTE_MS, 10 * MINUTE_MS);
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    expect(ticks.every((t) => t >= 0 && t <= 60 * MINUTE_MS)).toBe(true);
  });
});
