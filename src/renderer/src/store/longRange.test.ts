// @vitest-environment jsdom
// The 7 d and 30 d chart ranges: asked of the main process for that span (it answers from the lasting
// history in 10 / 30 minute buckets), drawn from those buckets plus this session's newer minutes, with a
// gap where the miner did not run.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeClient } from '../test/fakeClient';
import { makeMiner } from '../test/fixtures';
import { useChartStore } from './chartStore';
import { CHART_RANGES, RANGE_MS } from './chartRange';
import { connectStore, resetStores } from './sync';
import { useUiStore } from './uiStore';

afterEach(resetStores);

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const NOW = Date.UTC(2026, 0, 31, 12, 0, 0);

describe('long chart ranges', () => {
  it('offers 7 d and 30 d next to the live ranges', () => {
    expect(CHART_RANGES).toEqual(['5m', '1h', '24h', '7d', '30d']);
  });

  it('asks getHistory for the last 7 days and 30 days when the range is chosen', async () => {
    const client = createFakeClient({ miners: [makeMiner({ id: 'm1' })] });
    connectStore(client, { now: () => NOW });
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    useUiStore.getState().setChartRange('7d');
    useUiStore.getState().setChartRange('30d');
    await vi.waitFor(() => expect(client.callsOf('getHistory')).toHaveLength(3));
    expect(client.callsOf('getHistory').slice(1)).toEqual([
      { id: 'm1', from: NOW - 7 * DAY, to: NOW },
      { id: 'm1', from: NOW - 30 * DAY, to: NOW },
    ]);
  });

  it('draws the stored buckets, breaks the line where the miner did not run, and keeps live minutes apart', () => {
    const store = useChartStore.getState();
    const step = 10 * MIN;
    const from = NOW - RANGE_MS['7d'];
    const first = Array.from({ length: 6 }, (_, i) => ({ at: from + DAY + i * step, value: 500 }));
    // two days without a point: the miner did not run
    const second = Array.from({ length: 6 }, (_, i) => ({ at: from + 4 * DAY + i * step, value: 800 }));
    store.backfill(new Map([['m1', { points: [...first, ...second] }]]), '7d');
    const lines = store.linesFor('7d', 1000, 1000, NOW);
    const buckets = lines.lines.get('m1') ?? [];
    expect(buckets.length).toBeGreaterThan(1);
    expect(buckets.filter((b) => b.breakBefore)).toHaveLength(1);
    expect(Math.max(...buckets.map((b) => Math.max(b.a, b.b)))).toBe(800);
    // The short ranges never see those buckets: they come from the live series.
    expect(store.linesFor('24h', 1000, 1000, NOW).lines.get('m1')).toBeUndefined();
  });
});
