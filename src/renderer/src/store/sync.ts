// Wires a MiningClient to the store slices: loads the snapshot, applies every event to its slice,
// backfills chart history (points and events) for new miners and on range changes, turns miner state
// changes into chart markers, and after a reconnect resyncs and says what changed meanwhile. The
// installed miners are not in the snapshot: they are listed after it and follow their own events.
import type { HistoryEvent, MiningClient, Snapshot } from '../../../shared/contract';
import { canResync, reportsConnection } from '../client/resync';
import { messageOf } from '../format/message';
import { snapshotEvents, transitionEvents } from './chartEvents';
import { RANGE_MS } from './chartRange';
import { useBinariesStore } from './binariesStore';
import { useChartStore, type HistoryChunk } from './chartStore';
import { useInstallsStore } from './installsStore';
import { useLogsStore } from './logsStore';
import { useMinersStore, type LastRate } from './minersStore';
import { useProfilesStore } from './profilesStore';
import { displayStateOf } from './minerView';
import type { MinersById } from './minersReducer';
import { describeChanges } from './reconnectChanges';
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

/**
 * After a reload, the "last" rate of miners that do not hash now, from their history: the newest point
 * of a stopped one; for a paused one the newest point before its pause (its average decays after it),
 * when the pause is known.
 */
function lastRatesFrom(
  histories: ReadonlyMap<string, HistoryChunk>,
  miners: MinersById,
): Record<string, LastRate> {
  const rates: Record<string, LastRate> = {};
  for (const [id, chunk] of histories) {
    const miner = miners[id];
    if (!miner) continue;
    const display = displayStateOf(miner);
    let before = Number.POSITIVE_INFINITY;
    if (display === 'paused') {
      const pause = useChartStore
        .getState()
        .events.get(id)
        ?.findLast((e) => e.kind === 'pause');
      if (!pause) continue;
      before = pause.at;
    } else if (display !== 'stopped' && display !== 'crashed' && display !== 'errored') continue;
    const last = chunk.points.findLast((p) => p.at < before && p.value > 0);
    if (last) rates[id] = { value: last.value, at: last.at };
  }
  return rates;
}

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
        .then((res) => [id, { points: res.points, events: res.events, cpu: res.cpu }] as const)
        .catch(() => null) // no history: that miner's line simply starts from live samples
        .finally(() => historyInFlight.delete(keyOf(id))),
    );
    void Promise.all(requests).then((results) => {
      if (disposed) return;
      const known = useMinersStore.getState().byId;
      const histories = new Map<string, HistoryChunk>();
      for (const r of results) if (r && r[0] in known) histories.set(r[0], r[1]);
      useChartStore.getState().backfill(histories);
      useMinersStore.getState().seedLastRates(lastRatesFrom(histories, known));
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

  /** The installed versions and any install running now (a window opened mid-install shows it). */
  function loadInstalled(): void {
    client.listInstalled({}).then(
      (list) => {
        if (!disposed) useInstallsStore.getState().setInstalled(list);
      },
      // An older server without installs, or a failed listing: the panel asks again when it opens.
      () => undefined,
    );
  }

  function applySnapshot(snapshot: Snapshot, resync: boolean): void {
    if (disposed) return;
    const known = useMinersStore.getState().byId;
    const dropped = Object.keys(known).filter((id) => !snapshot.miners.some((m) => m.id === id));
    const changes = resync
      ? describeChanges(known, snapshot.miners, useUiStore.getState().connection.since)
      : [];
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
    if (resync) {
      // Errors of actions tried while the server was away no longer say anything true.
      ui.clearOpErrors();
      ui.setOnline(changes);
    }
    backfill(snapshot.miners.filter((m) => resync || !(m.id in known)).map((m) => m.id));
    loadInstalled();
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
    client.on('installProgress', (status) => useInstallsStore.getState().applyProgress(status)),
    client.on('installs', (list) => useInstallsStore.getState().setInstalled(list)),
    useUiStore.subscribe((s, prev) => {
      if (s.chartRange === prev.chartRange) return;
      backfill(useMinersStore.getState().order);
    }),
    // Every path that changes a miner (events, command results, resyncs) passes here: its state
    // changes become chart markers and line breaks.
    useMinersStore.subscribe((s, prev) => {
      if (s.byId === prev.byId) return;
      const at = now();
      const found = new Map<string, HistoryEvent[]>();
      for (const [id, next] of Object.entries(s.byId)) {
        const before = prev.byId[id];
        if (before === next) continue;
        const events = before ? transitionEvents(before, next, at) : snapshotEvents(next);
        if (events.length > 0) found.set(id, events);
      }
      if (found.size > 0) useChartStore.getState().addEvents(found);
    }),
  ];
  if (canResync(client)) unsubscribers.push(client.onResync((snapshot) => applySnapshot(snapshot, true)));
  if (reportsConnection(client)) {
    unsubscribers.push(
      client.onConnection((state) => {
        const ui = useUiStore.getState();
        // Coming back online is announced by the resync, which knows what changed.
        if (!state.online && ui.status === 'ready') ui.setOffline(now(), state.refused);
      }),
    );
  }

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
  useInstallsStore.getState().reset();
  useUiStore.getState().reset();
}
