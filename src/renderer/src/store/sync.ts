// Wires a MiningClient to the store slices: loads the snapshot, applies every event to its slice,
// backfills chart history for new miners and on range changes, and resyncs after a reconnect.
import type { MiningClient, Snapshot } from '../../../shared/contract';
import type { HashratePoint } from '../../../shared/model';
import { canResync } from '../client/resync';
import { RANGE_MS } from './chartRange';
import { useBinariesStore } from './binariesStore';
import { useChartStore } from './chartStore';
import { useLogsStore } from './logsStore';
import { useMinersStore } from './minersStore';
import { useProfilesStore } from './profilesStore';
import { useSettingsStore } from './settingsStore';
import { useUiStore } from './uiStore';

export interface StoreConnection {
  /** Fetches the snapshot again (used by the "Retry" button after a failed first load). */
  reload: () => Promise<void>;
  dispose: () => void;
}

export interface SyncOptions {
  now?: () => number;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function connectStore(client: MiningClient, options: SyncOptions = {}): StoreConnection {
  const now = options.now ?? Date.now;
  let disposed = false;
  const historyInFlight = new Set<string>();

  /**
   * Fetches the visible range's history of `ids` in parallel and applies it in one store update: a
   * chart with 10 lines then rebuilds and re-renders once on load, not once per arriving response.
   */
  function backfill(ids: readonly string[]): void {
    const range = useUiStore.getState().chartRange;
    const keyOf = (id: string) => `${id}:${range}`;
    const wanted = ids.filter((id) => !historyInFlight.has(keyOf(id)));
    if (wanted.length === 0) return;
    for (const id of wanted) historyInFlight.add(keyOf(id));
    const to = now();
    const from = to - RANGE_MS[range];
    const requests = wanted.map((id) =>
      client
        .getHistory({ id, from, to })
        .then((res) => [id, res.points] as const)
        .catch(() => null) // no history: that miner's line simply starts from live samples
        .finally(() => historyInFlight.delete(keyOf(id))),
    );
    void Promise.all(requests).then((results) => {
      if (disposed) return;
      const known = useMinersStore.getState().byId;
      const histories = new Map<string, readonly HashratePoint[]>();
      for (const r of results) if (r && r[0] in known) histories.set(r[0], r[1]);
      useChartStore.getState().backfill(histories);
    });
  }

  function catchUpLogs(): void {
    const logs = useLogsStore.getState();
    for (const [id, buffer] of logs.buffers) {
      if (!(id in useMinersStore.getState().byId)) continue;
      client
        .getLogs({ id, afterSeq: buffer.lastSeq })
        .then((res) => !disposed && useLogsStore.getState().append(id, res.lines))
        .catch(() => undefined);
    }
  }

  function applySnapshot(snapshot: Snapshot, resync: boolean): void {
    if (disposed) return;
    const known = useMinersStore.getState().byId;
    const dropped = Object.keys(known).filter((id) => !snapshot.miners.some((m) => m.id === id));
    useMinersStore.getState().setAll(snapshot.miners);
    for (const id of dropped) {
      useChartStore.getState().drop(id);
      useLogsStore.getState().drop(id);
    }
    useProfilesStore.getState().setAll(snapshot.profiles);
    useSettingsStore.getState().set(snapshot.settings);
    useBinariesStore.getState().setAll(snapshot.binaries);
    const ui = useUiStore.getState();
    // The guided first run is for an empty app; miners already running (started by a script or the
    // tray) must never be hidden behind it.
    if (ui.status !== 'ready' && !resync) {
      ui.setFirstRun(snapshot.profiles.length === 0 && snapshot.miners.length === 0);
    }
    ui.setStatus('ready');
    backfill(snapshot.miners.filter((m) => resync || !(m.id in known)).map((m) => m.id));
    if (resync) catchUpLogs();
  }

  const unsubscribers = [
    client.on('minerState', (miner) => {
      const isNew = !(miner.id in useMinersStore.getState().byId);
      useMinersStore.getState().upsert(miner);
      if (isNew) backfill([miner.id]);
    }),
    client.on('stats', (batch) => {
      useMinersStore.getState().applyStats(batch);
      useChartStore.getState().addBatch(batch, useMinersStore.getState().byId);
    }),
    client.on('log', (batch) => useLogsStore.getState().append(batch.id, batch.lines)),
    client.on('profiles', (list) => useProfilesStore.getState().setAll(list)),
    client.on('settings', (settings) => useSettingsStore.getState().set(settings)),
    client.on('notice', (notice) => useUiStore.getState().pushToast(notice)),
    client.on('binaries', (list) => useBinariesStore.getState().setAll(list)),
    useUiStore.subscribe((s, prev) => {
      if (s.chartRange === prev.chartRange) return;
      backfill(useMinersStore.getState().order);
    }),
  ];
  if (canResync(client)) unsubscribers.push(client.onResync((snapshot) => applySnapshot(snapshot, true)));

  async function reload(): Promise<void> {
    useUiStore.getState().setStatus('loading');
    try {
      applySnapshot(await client.getSnapshot({}), false);
    } catch (err) {
      if (!disposed) useUiStore.getState().setStatus('error', messageOf(err));
    }
  }

  void reload();

  return {
    reload,
    dispose: () => {
      disposed = true;
      for (const u of unsubscribers) u();
    },
  };
}

/** Clears every slice (tests and a fresh connection). */
export function resetStores(): void {
  useMinersStore.getState().reset();
  useChartStore.getState().reset();
  useLogsStore.getState().reset();
  useProfilesStore.getState().reset();
  useSettingsStore.getState().reset();
  useBinariesStore.getState().reset();
  useUiStore.getState().reset();
}
