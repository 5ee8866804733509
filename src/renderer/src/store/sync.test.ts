// @vitest-environment jsdom
// connectStore: snapshot load, events into slices, bounded logs, history backfill and resync.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../../shared/contract';
import type { LogLine } from '../../../shared/model';
import { createFakeClient } from '../test/fakeClient';
import { makeMiner, makeProfile, makeSettings, makeStats } from '../test/fixtures';
import { useChartStore } from './chartStore';
import { logLinesOf } from './logsStore';
import { useMinersStore } from './minersStore';
import { useProfilesStore } from './profilesStore';
import { connectStore, resetStores } from './sync';
import { useUiStore } from './uiStore';

afterEach(resetStores);

const line = (seq: number): LogLine => ({ seq, at: seq, stream: 'stdout', text: `l${seq}`, generation: 1 });

describe('connectStore', () => {
  it('loads the snapshot and flags the first run when there are no profiles and no miners', async () => {
    const client = createFakeClient();
    connectStore(client);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    expect(useUiStore.getState().firstRun).toBe(true);
  });

  it('never hides running miners behind the first run, even without profiles', async () => {
    const client = createFakeClient({ miners: [makeMiner({ id: 'm1' })] });
    connectStore(client);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    expect(useMinersStore.getState().order).toEqual(['m1']);
    expect(useUiStore.getState().firstRun).toBe(false);
  });

  it('reports a failed snapshot load', async () => {
    const client = createFakeClient();
    client.respond('getSnapshot', () => Promise.reject(new Error('boom')));
    connectStore(client);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('error'));
    expect(useUiStore.getState().loadError).toBe('boom');
  });

  it('keeps at most 1,000 log lines per miner from log events', async () => {
    const client = createFakeClient({ profiles: [makeProfile()], miners: [makeMiner({ id: 'm1' })] });
    connectStore(client);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    for (let i = 0; i < 12; i += 1) {
      client.emit('log', { id: 'm1', lines: Array.from({ length: 100 }, (_, j) => line(i * 100 + j)) });
    }
    const lines = logLinesOf('m1');
    expect(lines).toHaveLength(1000);
    expect(lines[0]?.seq).toBe(200);
  });

  it('adds stats samples to the chart and backfills history for a new miner', async () => {
    const client = createFakeClient({ profiles: [makeProfile()] });
    client.respond('getHistory', ({ id }) => ({ id, from: 0, to: 0, points: [{ at: 500, value: 42 }] }));
    connectStore(client);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    client.emit('minerState', makeMiner({ id: 'm9' }));
    await vi.waitFor(() => expect(useChartStore.getState().series.get('m9')?.raw.length).toBe(1));
    client.emit('stats', { at: 1000, miners: [{ id: 'm9', generation: 1, stats: makeStats({ at: 1000 }) }] });
    expect(useChartStore.getState().series.get('m9')?.raw.toArray()).toEqual([
      { at: 500, value: 42 },
      { at: 1000, value: 1500 },
    ]);
  });

  it("applies every miner's history of the snapshot in one chart update", async () => {
    const client = createFakeClient({
      profiles: [makeProfile()],
      miners: [makeMiner({ id: 'm1' }), makeMiner({ id: 'm2' }), makeMiner({ id: 'm3' })],
    });
    client.respond('getHistory', ({ id }) => {
      if (id === 'm3') throw new Error('no history');
      return { id, from: 0, to: 0, points: [{ at: 500, value: 42 }] };
    });
    // Series held at each chart update: the snapshot's start markers come first, then all history at once.
    const seriesAtUpdate: number[] = [];
    const unsubscribe = useChartStore.subscribe((s) => seriesAtUpdate.push(s.series.size));
    connectStore(client);
    await vi.waitFor(() => expect(useChartStore.getState().series.size).toBe(2));
    unsubscribe();
    expect(client.callsOf('getHistory')).toHaveLength(3);
    expect(seriesAtUpdate).toEqual([0, 2]);
    expect(useChartStore.getState().series.get('m2')?.raw.toArray()).toEqual([{ at: 500, value: 42 }]);
  });

  it('asks for history again when the chart range changes', async () => {
    const client = createFakeClient({ profiles: [makeProfile()], miners: [makeMiner({ id: 'm1' })] });
    connectStore(client, { now: () => 10_000_000 });
    await vi.waitFor(() => expect(client.callsOf('getHistory')).toHaveLength(1));
    useUiStore.getState().setChartRange('1h');
    expect(client.callsOf('getHistory')[1]).toEqual({
      id: 'm1',
      from: 10_000_000 - 3_600_000,
      to: 10_000_000,
    });
  });

  it('replaces profiles and settings from their events', async () => {
    const client = createFakeClient({ profiles: [makeProfile()] });
    connectStore(client);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    client.emit('profiles', [makeProfile({ id: 'p2', name: 'Two' })]);
    expect(useProfilesStore.getState().list.map((p) => p.id)).toEqual(['p2']);
  });

  it('applies a resync snapshot from a reconnecting transport, dropping vanished miners', async () => {
    const client = createFakeClient({ profiles: [makeProfile()], miners: [makeMiner({ id: 'm1' })] });
    let resync: ((s: Snapshot) => void) | null = null;
    const withResync = Object.assign(client, {
      onResync: (h: (s: Snapshot) => void) => {
        resync = h;
        return () => undefined;
      },
    });
    connectStore(withResync);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    const snapshot: Snapshot = {
      miners: [makeMiner({ id: 'm2' })],
      profiles: [],
      settings: makeSettings(),
      binaries: [],
    };
    (resync as ((s: Snapshot) => void) | null)?.(snapshot);
    expect(useMinersStore.getState().order).toEqual(['m2']);
  });

  it('stops applying events after dispose', async () => {
    const client = createFakeClient({ profiles: [makeProfile()] });
    const conn = connectStore(client);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    conn.dispose();
    expect(client.listenerCount('minerState')).toBe(0);
  });
});
