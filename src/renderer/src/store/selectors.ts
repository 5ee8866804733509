// Derived values over the miners slice: the dashboard's overview (what mines, how fast, at what CPU
// cost, what needs attention, which bulk actions apply), counting only miners that hash now.
import type { MinerSnapshot, MinerState } from '../../../shared/model';
import { canPause } from './minerCapabilities';
import { cpuUsageOf, displayStateOf, liveHashrate, problemOf, type DisplayState } from './minerView';
import { pauseViewOf } from './pauseView';
import type { MinersById } from './minersReducer';

export const isLive = (state: MinerState): boolean =>
  state === 'starting' || state === 'running' || state === 'stopping';

export interface Attention {
  id: string;
  name: string;
  text: string;
}

export interface Overview {
  total: number;
  /** Running processes (hashing, warming up or paused). */
  running: number;
  counts: Record<DisplayState, number>;
  /** Sum of the live 10 s rates of hashing miners; null when none hashes. */
  hashrate: number | null;
  /** Sum of the measured CPU % (of the whole computer) of running miners; null until any is measured. */
  cpuPercent: number | null;
  /** The same as cores busy, and the miners' resident memory (bytes), for the figure's details. */
  cpuCores: { busy: number; of: number } | null;
  rssBytes: number;
  /** Miners a pause rule holds, with the rule's words ("Paused: on battery"). */
  ruleHeld: { id: string; name: string; text: string; canMineAnyway: boolean }[];
  /** The earliest end of a timed pause by the user; null when none is timed. */
  pausedUntil: number | null;
  accepted: number;
  rejected: number;
  attention: Attention[];
  /** Ids each bulk action applies to (the same rules as the tray's). */
  stoppable: string[];
  pausable: string[];
  resumable: string[];
  startable: string[];
}

const emptyCounts = (): Record<DisplayState, number> => ({
  starting: 0,
  warming: 0,
  hashing: 0,
  paused: 0,
  stopping: 0,
  stopped: 0,
  crashed: 0,
  errored: 0,
});

function attentionOf(m: MinerSnapshot, opError: string | undefined): string | null {
  if (opError) return opError;
  const problem = problemOf(m);
  if (problem) return problem;
  if (m.state === 'running' && m.apiError) return `stats unavailable (${m.apiError})`;
  return null;
}

export function overviewOf(
  byId: MinersById,
  order: readonly string[],
  opErrors: Readonly<Record<string, string>> = {},
): Overview {
  const o: Overview = {
    total: 0,
    running: 0,
    counts: emptyCounts(),
    hashrate: null,
    cpuPercent: null,
    cpuCores: null,
    rssBytes: 0,
    ruleHeld: [],
    pausedUntil: null,
    accepted: 0,
    rejected: 0,
    attention: [],
    stoppable: [],
    pausable: [],
    resumable: [],
    startable: [],
  };
  for (const id of order) {
    const m = byId[id];
    if (!m) continue;
    o.total += 1;
    const display = displayStateOf(m);
    o.counts[display] += 1;
    if (m.state === 'running') o.running += 1;
    const rate = liveHashrate(m);
    if (rate !== null) o.hashrate = (o.hashrate ?? 0) + rate;
    const usage = cpuUsageOf(m);
    if (usage) {
      o.cpuPercent = (o.cpuPercent ?? 0) + usage.machineCpuPercent;
      const busy = (usage.machineCpuPercent / 100) * usage.logicalCores;
      o.cpuCores = { busy: (o.cpuCores?.busy ?? 0) + busy, of: usage.logicalCores };
      o.rssBytes += usage.rssBytes;
    }
    const paused = pauseViewOf(m);
    if (paused?.cause === 'rule') {
      const text = paused.detail ? `${paused.text} (${paused.detail})` : paused.text;
      o.ruleHeld.push({ id, name: m.name, text, canMineAnyway: paused.canMineAnyway });
    }
    if (paused?.until != null && (o.pausedUntil === null || paused.until < o.pausedUntil))
      o.pausedUntil = paused.until;
    if (isLive(m.state)) {
      if (m.stats) {
        o.accepted += m.stats.shares.good;
        o.rejected += m.stats.shares.rejected;
      }
    }
    const text = attentionOf(m, opErrors[id]);
    if (text) o.attention.push({ id, name: m.name, text });
    // A TT-Miner stopped to pause it counts as stoppable: stopping it for good keeps a rule from restarting it.
    if (m.state === 'starting' || m.state === 'running' || (m.state === 'stopped' && m.paused))
      o.stoppable.push(id);
    if ((display === 'hashing' || display === 'warming') && canPause(m)) o.pausable.push(id);
    if (display === 'paused') o.resumable.push(id);
    if ((m.state === 'stopped' && !m.paused) || m.state === 'crashed' || m.state === 'errored')
      o.startable.push(id);
  }
  return o;
}

export type Verdict = 'mining' | 'warming' | 'paused' | 'idle' | 'stopping';

/** The header's answer to "am I mining?", in the tray's words. */
export function verdictOf(o: Overview): { verdict: Verdict; text: string } {
  const c = o.counts;
  const miners = (n: number) => `${n} miner${n === 1 ? '' : 's'}`;
  const active = c.hashing + c.warming + c.starting;
  if (active + c.paused + c.stopping === 0) return { verdict: 'idle', text: 'Not mining' };
  if (active + c.paused === 0) return { verdict: 'stopping', text: `Stopping ${miners(c.stopping)}` };
  if (active === 0) return { verdict: 'paused', text: `Paused: ${miners(c.paused)}` };
  const notes = [
    c.warming + c.starting > 0 && c.hashing > 0 ? `${c.warming + c.starting} warming up` : null,
    c.paused > 0 ? `${c.paused} paused` : null,
  ].filter(Boolean);
  const tail = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  if (c.hashing === 0) return { verdict: 'warming', text: `Warming up ${miners(active)}${tail}` };
  return { verdict: 'mining', text: `Mining with ${miners(active)}${tail}` };
}
