// Derived values over the miners slice. They return primitives or small objects compared with
// useShallow, so a stats tick re-renders a summary only when one of its numbers changed.
import type { MinerSnapshot, MinerState } from '../../../shared/model';
import type { MinersById } from './minersReducer';

export interface Totals {
  running: number;
  /** Sum of 10 s hashrates of running miners; null while none of them reports a rate yet. */
  hashrate: number | null;
  accepted: number;
  rejected: number;
  /** Longest uptime (s) among running miners; null when none runs. */
  uptime: number | null;
}

export function computeTotals(byId: MinersById, order: readonly string[]): Totals {
  const totals: Totals = { running: 0, hashrate: null, accepted: 0, rejected: 0, uptime: null };
  for (const id of order) {
    const m = byId[id];
    if (!m || m.state !== 'running') continue;
    totals.running += 1;
    const s = m.stats;
    if (!s) continue;
    const rate = s.hashrate[0];
    if (rate != null) totals.hashrate = (totals.hashrate ?? 0) + rate;
    totals.accepted += s.shares.good;
    totals.rejected += s.shares.rejected;
    totals.uptime = Math.max(totals.uptime ?? 0, s.uptime);
  }
  return totals;
}

export const isLive = (state: MinerState): boolean =>
  state === 'starting' || state === 'running' || state === 'stopping';

export const canRemove = (m: MinerSnapshot): boolean =>
  m.state === 'stopped' || m.state === 'crashed' || m.state === 'errored';

export const isPaused = (m: MinerSnapshot): boolean => m.paused || m.stats?.paused === true;
