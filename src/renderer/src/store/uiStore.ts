// The ui slice: which page and miner are selected, the chart range, operations in flight per miner,
// the toast queue (bounded) and the loading status of the first snapshot.
import { create } from 'zustand';
import type { Notice } from '../../../shared/contract';
import type { ChartRange } from './chartRange';

export const PAGES = ['dashboard', 'miners', 'profiles', 'console', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export interface Toast extends Notice {
  id: number;
}

export type LoadStatus = 'loading' | 'ready' | 'error';

export const MAX_TOASTS = 5;

export interface UiState {
  page: Page;
  selectedMinerId: string | null;
  chartRange: ChartRange;
  /** Operation in flight per miner id ("stop", "throttle", ...); buttons of that miner are disabled. */
  pending: Readonly<Record<string, string>>;
  toasts: readonly Toast[];
  status: LoadStatus;
  loadError: string | null;
  /** Shown when the first snapshot had no profiles, until the user finishes or skips it. */
  firstRun: boolean;
  setPage: (page: Page) => void;
  selectMiner: (id: string | null) => void;
  setChartRange: (range: ChartRange) => void;
  setPending: (id: string, op: string | null) => void;
  pushToast: (notice: Notice) => void;
  dismissToast: (id: number) => void;
  setStatus: (status: LoadStatus, error?: string | null) => void;
  setFirstRun: (firstRun: boolean) => void;
  reset: () => void;
}

let nextToastId = 1;

const initial = {
  page: 'dashboard' as Page,
  selectedMinerId: null,
  chartRange: '5m' as ChartRange,
  pending: {},
  toasts: [],
  status: 'loading' as LoadStatus,
  loadError: null,
  firstRun: false,
};

export const useUiStore = create<UiState>()((set) => ({
  ...initial,
  setPage: (page) => set({ page }),
  selectMiner: (selectedMinerId) => set({ selectedMinerId }),
  setChartRange: (chartRange) => set({ chartRange }),
  setPending: (id, op) =>
    set((s) => {
      if (op) return { pending: { ...s.pending, [id]: op } };
      if (!(id in s.pending)) return {};
      const { [id]: _done, ...pending } = s.pending;
      return { pending };
    }),
  pushToast: (notice) =>
    set((s) => ({ toasts: [...s.toasts, { ...notice, id: nextToastId++ }].slice(-MAX_TOASTS) })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setStatus: (status, loadError = null) => set({ status, loadError }),
  setFirstRun: (firstRun) => set({ firstRun }),
  reset: () => set(initial),
}));
