// The chart slice: per-miner hashrate series kept outside React state (mutable ring buffers) plus a
// version counter that is the only reactive value; charts rebuild their rows when it changes.
import { create } from 'zustand';
import type { StatsBatch } from '../../../shared/contract';
import type { HashratePoint } from '../../../shared/model';
import { HashrateSeries, mergeHistory } from './hashrateSeries';
import type { MinersById } from './minersReducer';

export interface ChartState {
  version: number;
  series: ReadonlyMap<string, HashrateSeries>;
  /** Adds the 10 s hashrate of each current-generation miner in the batch. */
  addBatch: (batch: StatsBatch, miners: MinersById) => void;
  /** Merges fetched histories (miner id -> points) with one version bump, so the chart rebuilds once. */
  backfill: (histories: ReadonlyMap<string, readonly HashratePoint[]>) => void;
  drop: (id: string) => void;
  reset: () => void;
}

export const useChartStore = create<ChartState>()((set) => {
  const series = new Map<string, HashrateSeries>();
  const bump = (): void => set((s) => ({ version: s.version + 1 }));
  return {
    version: 0,
    series,
    addBatch: (batch, miners) => {
      let changed = false;
      for (const entry of batch.miners) {
        const miner = miners[entry.id];
        const value = entry.stats.hashrate[0];
        if (!miner || miner.generation !== entry.generation || value == null) continue;
        let s = series.get(entry.id);
        if (!s) {
          s = new HashrateSeries();
          series.set(entry.id, s);
        }
        changed = s.add({ at: entry.stats.at, value }) || changed;
      }
      if (changed) bump();
    },
    backfill: (histories) => {
      let changed = false;
      for (const [id, points] of histories) {
        if (points.length === 0) continue;
        series.set(id, mergeHistory(series.get(id), points));
        changed = true;
      }
      if (changed) bump();
    },
    drop: (id) => {
      if (series.delete(id)) bump();
    },
    reset: () => {
      series.clear();
      set({ version: 0 });
    },
  };
});
