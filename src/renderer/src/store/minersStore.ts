// The miners slice: every miner instance by id with its latest stats, a stable id order, and the last
// hashrate each miner had while it hashed (shown, marked "last", once it stops or pauses).
// Components select one miner by id, so a stats batch re-renders only the miners it changed.
import { create } from 'zustand';
import type { StatsBatch } from '../../../shared/contract';
import type { MinerSnapshot } from '../../../shared/model';
import { liveHashrate } from './minerView';
import { applyStatsBatch, orderOf, replaceMiners, upsertMiner, type MinersById } from './minersReducer';

export interface LastRate {
  value: number;
  at: number;
}

export interface MinersState {
  byId: MinersById;
  order: readonly string[];
  lastRates: Readonly<Record<string, LastRate>>;
  setAll: (list: readonly MinerSnapshot[]) => void;
  upsert: (miner: MinerSnapshot) => void;
  remove: (id: string) => void;
  applyStats: (batch: StatsBatch) => void;
  /** Seeds the last rate of miners that have none yet (from history, after a reload). */
  seedLastRates: (rates: Readonly<Record<string, LastRate>>) => void;
  reset: () => void;
}

/** lastRates with the live rate of every miner in `ids` that hashes now; the same object if none changed. */
function withLastRates(
  rates: Readonly<Record<string, LastRate>>,
  byId: MinersById,
  ids: Iterable<string>,
): Readonly<Record<string, LastRate>> {
  let next: Record<string, LastRate> | null = null;
  for (const id of ids) {
    const m = byId[id];
    const value = m ? liveHashrate(m) : null;
    if (!m || value === null || rates[id]?.value === value) continue;
    next ??= { ...rates };
    next[id] = { value, at: m.stats?.at ?? 0 };
  }
  return next ?? rates;
}

const changes = (s: MinersState, byId: MinersById, ids: Iterable<string>): Partial<MinersState> =>
  byId === s.byId
    ? {}
    : { byId, order: orderOf(s.order, byId), lastRates: withLastRates(s.lastRates, byId, ids) };

export const useMinersStore = create<MinersState>()((set) => ({
  byId: {},
  order: [],
  lastRates: {},
  setAll: (list) =>
    set((s) =>
      changes(
        s,
        replaceMiners(s.byId, list),
        list.map((m) => m.id),
      ),
    ),
  upsert: (miner) => set((s) => changes(s, upsertMiner(s.byId, miner), [miner.id])),
  remove: (id) =>
    set((s) => {
      if (!(id in s.byId)) return {};
      const { [id]: _removed, ...rest } = s.byId;
      const { [id]: _rate, ...lastRates } = s.lastRates;
      return { byId: rest, order: orderOf(s.order, rest), lastRates };
    }),
  applyStats: (batch) =>
    set((s) =>
      changes(
        s,
        applyStatsBatch(s.byId, batch),
        batch.miners.map((e) => e.id),
      ),
    ),
  seedLastRates: (rates) =>
    set((s) => {
      const missing = Object.entries(rates).filter(([id]) => !(id in s.lastRates));
      return missing.length === 0 ? {} : { lastRates: { ...s.lastRates, ...Object.fromEntries(missing) } };
    }),
  reset: () => set({ byId: {}, order: [], lastRates: {} }),
}));

/** One miner by id; re-renders only when that miner's object is replaced. */
export const useMiner = (id: string): MinerSnapshot | undefined => useMinersStore((s) => s.byId[id]);
export const useMinerIds = (): readonly string[] => useMinersStore((s) => s.order);
export const useLastRate = (id: string): LastRate | undefined => useMinersStore((s) => s.lastRates[id]);
