// The miners slice: every miner instance by id with its latest stats, plus a stable id order.
// Components select one miner by id, so a stats batch re-renders only the miners it changed.
import { create } from 'zustand';
import type { StatsBatch } from '../../../shared/contract';
import type { MinerSnapshot } from '../../../shared/model';
import { applyStatsBatch, orderOf, replaceMiners, upsertMiner, type MinersById } from './minersReducer';

export interface MinersState {
  byId: MinersById;
  order: readonly string[];
  setAll: (list: readonly MinerSnapshot[]) => void;
  upsert: (miner: MinerSnapshot) => void;
  remove: (id: string) => void;
  applyStats: (batch: StatsBatch) => void;
  reset: () => void;
}

const withOrder = (s: MinersState, byId: MinersById): Partial<MinersState> =>
  byId === s.byId ? {} : { byId, order: orderOf(s.order, byId) };

export const useMinersStore = create<MinersState>()((set) => ({
  byId: {},
  order: [],
  setAll: (list) => set((s) => withOrder(s, replaceMiners(s.byId, list))),
  upsert: (miner) => set((s) => withOrder(s, upsertMiner(s.byId, miner))),
  remove: (id) =>
    set((s) => {
      if (!(id in s.byId)) return {};
      const { [id]: _removed, ...rest } = s.byId;
      return withOrder(s, rest);
    }),
  applyStats: (batch) => set((s) => withOrder(s, applyStatsBatch(s.byId, batch))),
  reset: () => set({ byId: {}, order: [] }),
}));

/** One miner by id; re-renders only when that miner's object is replaced. */
export const useMiner = (id: string): MinerSnapshot | undefined => useMinersStore((s) => s.byId[id]);
export const useMinerIds = (): readonly string[] => useMinersStore((s) => s.order);
