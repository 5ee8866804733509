// @vitest-environment jsdom
// The pure parts of the store slices: the miners reducer (a stats batch replaces only the miners it
// changes) and the bounded buffers (ring, 1,000-line logs, two-tier hashrate series).
import { describe, expect, it } from 'vitest';
import type { StatsBatch } from '../../../shared/contract';
import type { LogLine } from '../../../shared/model';
import { makeMiner, makeStats } from '../test/fixtures';
import { HashrateSeries, MINUTE_CAPACITY, MINUTE_MS, RAW_CAPACITY, mergeHistory } from './hashrateSeries';
import { LogBuffer, MAX_LOG_LINES } from './logBuffer';
import {
  applyStatsBatch,
  mergeMiner,
  orderOf,
  replaceMiners,
  upsertMiner,
  type MinersById,
} from './minersReducer';
import { useMinersStore } from './minersStore';
import { RingBuffer } from './ringBuffer';
const byId = (): MinersById => ({
  m1: makeMiner({ id: 'm1', generation: 1 }),
  m2: makeMiner({ id: 'm2', generation: 3 }),
});

const batch = (entries: StatsBatch['miners']): StatsBatch => ({ at: 5000, miners: entries });

describe('applyStatsBatch', () => {
  it('replaces the changed miner and preserves the identity of the others', () => {
    const before = byId();
    const stats = makeStats({ at: 5000 });
    const after = applyStatsBatch(before, batch([{ id: 'm1', generation: 1, stats }]));
    expect(after).not.toBe(before);
    expect(after.m1).not.toBe(before.m1);
    expect(after.m1?.stats).toBe(stats);
    expect(after.m2).toBe(before.m2);
  });

  it('returns the same object when nothing applies', () => {
    const before = byId();
    const after = applyStatsBatch(
      before,
      batch([
        { id: 'ghost', generation: 1, stats: makeStats() },
        { id: 'm2', generation: 2, stats: makeStats() },
      ]),
    );
    expect(after).toBe(before);
  });

  it('ignores stats from an older process generation', () => {
    const before = byId();
    const after = applyStatsBatch(
      before,
      batch([{ id: 'm2', generation: 2, stats: makeStats({ at: 9000 }) }]),
    );
    expect(after.m2?.stats).toBeNull();
  });

  it('ignores a sample that is not newer than the one held', () => {
    const first = applyStatsBatch(
      byId(),
      batch([{ id: 'm1', generation: 1, stats: makeStats({ at: 5000 }) }]),
    );
    const again = applyStatsBatch(
      first,
      batch([{ id: 'm1', generation: 1, stats: makeStats({ at: 5000 }) }]),
    );
    expect(again).toBe(first);
  });
});

describe('mergeMiner and upsertMiner', () => {
  it('never lets an older generation overwrite a newer one', () => {
    const newer = makeMiner({ generation: 4, state: 'running' });
    expect(mergeMiner(newer, makeMiner({ generation: 3, state: 'crashed' }))).toBe(newer);
  });

  it('keeps newer stats when a same-generation snapshot carries older ones', () => {
    const current = makeMiner({ stats: makeStats({ at: 9000 }) });
    const merged = mergeMiner(current, makeMiner({ state: 'stopping', stats: makeStats({ at: 1000 }) }));
    expect(merged.state).toBe('stopping');
    expect(merged.stats?.at).toBe(9000);
  });

  it('upsert returns the same map when the snapshot is stale', () => {
    const before = byId();
    expect(upsertMiner(before, makeMiner({ id: 'm2', generation: 1 }))).toBe(before);
  });

  it('replaceMiners drops miners missing from the snapshot', () => {
    const next = replaceMiners(byId(), [makeMiner({ id: 'm2', generation: 3 })]);
    expect(Object.keys(next)).toEqual(['m2']);
  });
});

describe('orderOf', () => {
  it('keeps the previous array while membership is unchanged', () => {
    const prev = ['m1', 'm2'];
    expect(orderOf(prev, byId())).toBe(prev);
  });

  it('appends new ids and removes gone ones, preserving order', () => {
    const { m1: _m1, ...rest } = byId();
    expect(orderOf(['m1', 'm2'], { ...rest, m3: makeMiner({ id: 'm3' }) })).toEqual(['m2', 'm3']);
  });
});

describe('useMinersStore', () => {
  it('keeps the order array stable across stats batches', () => {
    const store = useMinersStore.getState();
    store.setAll([makeMiner({ id: 'a' }), makeMiner({ id: 'b' })]);
    const order = useMinersStore.getState().order;
    const b = useMinersStore.getState().byId.b;
    store.applyStats(batch([{ id: 'a', generation: 1, stats: makeStats({ at: 7000 }) }]));
    expect(useMinersStore.getState().order).toBe(order);
    expect(useMinersStore.getState().byId.b).toBe(b);
    store.reset();
  });
});

const line = (seq: number): LogLine => ({
  seq,
  at: seq,
  stream: 'stdout',
  text: `line ${seq}`,
  generation: 1,
});

describe('RingBuffer', () => {
  it('keeps only the newest `capacity` items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i += 1) ring.push(i);
    expect(ring.length).toBe(3);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.last()).toBe(5);
    expect(ring.at(0)).toBe(3);
  });

  it('finds the first item matching a monotonic predicate', () => {
    const ring = new RingBuffer<number>(4);
    for (const n of [1, 3, 5, 7, 9]) ring.push(n);
    expect(ring.lowerBound((n) => n >= 6)).toBe(2);
    expect(ring.slice(ring.lowerBound((n) => n >= 6))).toEqual([7, 9]);
  });
});

describe('LogBuffer', () => {
  it('is bounded to 1,000 lines per miner', () => {
    const buf = new LogBuffer();
    buf.append(Array.from({ length: 1500 }, (_, i) => line(i)));
    expect(buf.length).toBe(MAX_LOG_LINES);
    expect(buf.toArray()[0]?.seq).toBe(500);
    expect(buf.lastSeq).toBe(1499);
  });

  it('skips lines it already holds when events overlap', () => {
    const buf = new LogBuffer();
    buf.append([line(1), line(2)]);
    expect(buf.append([line(2), line(3)])).toBe(1);
    expect(buf.toArray().map((l) => l.seq)).toEqual([1, 2, 3]);
  });

  it('merges an older backlog in sequence order without duplicates', () => {
    const buf = new LogBuffer(5);
    buf.append([line(8), line(9)]);
    expect(buf.merge([line(5), line(6), line(7), line(8)])).toBe(true);
    expect(buf.toArray().map((l) => l.seq)).toEqual([5, 6, 7, 8, 9]);
    expect(buf.merge([line(6), line(9)])).toBe(false);
  });
});

describe('HashrateSeries', () => {
  it('bounds raw samples and one-minute means', () => {
    const s = new HashrateSeries();
    for (let i = 0; i < RAW_CAPACITY + 100; i += 1) s.add({ at: i * 1000, value: 100 });
    expect(s.raw.length).toBe(RAW_CAPACITY);
    const days = new HashrateSeries();
    for (let m = 0; m < MINUTE_CAPACITY + 50; m += 1) days.add({ at: m * MINUTE_MS, value: m });
    expect(days.minutes.length).toBe(MINUTE_CAPACITY);
  });

  it('averages samples into a minute point when the minute closes', () => {
    const s = new HashrateSeries();
    s.add({ at: 0, value: 100 });
    s.add({ at: 30_000, value: 200 });
    expect(s.currentMinute()).toEqual({ at: 0, value: 150 });
    s.add({ at: MINUTE_MS, value: 50 });
    expect(s.minutes.toArray()).toEqual([{ at: 0, value: 150 }]);
  });

  it('ignores samples that are not newer than the last one', () => {
    const s = new HashrateSeries();
    expect(s.add({ at: 10, value: 1 })).toBe(true);
    expect(s.add({ at: 10, value: 2 })).toBe(false);
    expect(s.add({ at: 5, value: 2 })).toBe(false);
  });

  it('merges history before live samples without duplicates', () => {
    const live = new HashrateSeries();
    live.add({ at: 10 * MINUTE_MS, value: 500 });
    const merged = mergeHistory(live, [
      { at: 8 * MINUTE_MS, value: 100 },
      { at: 9 * MINUTE_MS, value: 200 },
      { at: 10 * MINUTE_MS, value: 999 },
    ]);
    expect(merged.raw.toArray().map((p) => p.value)).toEqual([100, 200, 500]);
  });
});
