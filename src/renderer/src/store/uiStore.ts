// The ui slice: which page and miner are selected, chart range/view/hidden lines, operations in flight
// and their errors per miner, the toast queue (bounded), the first-snapshot status, the connection to
// the app (browser mode) and where the UI runs (desktop window or browser).
import { create } from 'zustand';
import type { Notice } from '../../../shared/contract';
import type { ChartRange } from './chartRange';
import type { ChartMetric } from './chartStore';

export const PAGES = ['dashboard', 'miners', 'profiles', 'console', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export interface Toast extends Notice {
  id: number;
}

export type LoadStatus = 'loading' | 'ready' | 'error';
/** 'desktop': the Electron window (preload IPC); 'browser': the headless server's page (HTTP + SSE). */
export type Host = 'desktop' | 'browser';
/** Shared linear axis, shared log axis, or one small chart per miner. */
export type ChartView = 'linear' | 'log' | 'split';

export interface Connection {
  online: boolean;
  /** When the connection was lost (ms), while offline. */
  since: number | null;
  /** Set when the server refused the session (a restart with a new token): reconnecting cannot help. */
  refused: boolean;
  /** What changed while offline, shown once the connection is back until dismissed. */
  changes: readonly string[] | null;
}

export const MAX_TOASTS = 5;

export interface UiState {
  page: Page;
  selectedMinerId: string | null;
  chartRange: ChartRange;
  chartView: ChartView;
  /** Hashrate, or the miners' measured CPU (% of this computer). */
  chartMetric: ChartMetric;
  /** Miner ids whose chart line the user hid with the legend. */
  hiddenLines: Readonly<Record<string, true>>;
  /** Operation in flight per miner id ("stop", "throttle", ...); buttons of that miner are disabled. */
  pending: Readonly<Record<string, string>>;
  /** The last failed operation per miner id; cleared by its next success or a resync. */
  opErrors: Readonly<Record<string, string>>;
  toasts: readonly Toast[];
  status: LoadStatus;
  loadError: string | null;
  /** Shown when the first snapshot had no profiles, until the user finishes or skips it. */
  firstRun: boolean;
  host: Host;
  connection: Connection;
  setPage: (page: Page) => void;
  selectMiner: (id: string | null) => void;
  setChartRange: (range: ChartRange) => void;
  setChartView: (view: ChartView) => void;
  setChartMetric: (metric: ChartMetric) => void;
  toggleLine: (id: string) => void;
  setPending: (id: string, op: string | null) => void;
  setOpError: (id: string, message: string | null) => void;
  clearOpErrors: () => void;
  pushToast: (notice: Notice) => void;
  dismissToast: (id: number) => void;
  setStatus: (status: LoadStatus, error?: string | null) => void;
  setFirstRun: (firstRun: boolean) => void;
  setHost: (host: Host) => void;
  setOffline: (at: number, refused?: boolean) => void;
  setOnline: (changes: readonly string[] | null) => void;
  dismissChanges: () => void;
  reset: () => void;
}

let nextToastId = 1;

const ONLINE: Connection = { online: true, since: null, refused: false, changes: null };

const initial = {
  page: 'dashboard' as Page,
  selectedMinerId: null,
  chartRange: '5m' as ChartRange,
  chartView: 'linear' as ChartView,
  chartMetric: 'hashrate' as ChartMetric,
  hiddenLines: {},
  pending: {},
  opErrors: {},
  toasts: [],
  status: 'loading' as LoadStatus,
  loadError: null,
  firstRun: false,
  host: 'browser' as Host,
  connection: ONLINE,
};

/** `record` without `key` (the same object when it has no such key). */
function without<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

export const useUiStore = create<UiState>()((set) => ({
  ...initial,
  setPage: (page) => set({ page }),
  selectMiner: (selectedMinerId) => set({ selectedMinerId }),
  setChartRange: (chartRange) => set({ chartRange }),
  setChartView: (chartView) => set({ chartView }),
  setChartMetric: (chartMetric) => set({ chartMetric }),
  toggleLine: (id) =>
    set((s) => ({
      hiddenLines: id in s.hiddenLines ? without(s.hiddenLines, id) : { ...s.hiddenLines, [id]: true },
    })),
  setPending: (id, op) =>
    set((s) => (op ? { pending: { ...s.pending, [id]: op } } : { pending: without(s.pending, id) })),
  setOpError: (id, message) =>
    set((s) =>
      message ? { opErrors: { ...s.opErrors, [id]: message } } : { opErrors: without(s.opErrors, id) },
    ),
  clearOpErrors: () => set({ opErrors: {} }),
  pushToast: (notice) =>
    set((s) => ({ toasts: [...s.toasts, { ...notice, id: nextToastId++ }].slice(-MAX_TOASTS) })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setStatus: (status, loadError = null) => set({ status, loadError }),
  setFirstRun: (firstRun) => set({ firstRun }),
  setHost: (host) => set({ host }),
  setOffline: (at, refused = false) =>
    set((s) => ({
      connection: {
        online: false,
        since: s.connection.online ? at : s.connection.since,
        refused,
        changes: null,
      },
    })),
  setOnline: (changes) =>
    set((s) => (s.connection.online && changes === null ? {} : { connection: { ...ONLINE, changes } })),
  dismissChanges: () => set((s) => ({ connection: { ...s.connection, changes: null } })),
  reset: () => set(initial),
}));
