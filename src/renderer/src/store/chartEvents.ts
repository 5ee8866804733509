// Chart markers from what the renderer sees: state changes between two snapshots of a miner (start,
// stop, crash, pause, resume, restart, throttle), merged with the events getHistory may carry.
import type { HistoryEvent, HistoryEventKind } from '../../../shared/contract';
import type { MinerSnapshot } from '../../../shared/model';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { describeExit } from './minerView';

export const MAX_EVENTS_PER_MINER = 200;
/** Two events of one kind this close are the same event seen twice (live and from history). */
const SAME_EVENT_MS = 3000;

/** Events after which the line must not be joined to what came before. */
export const BREAK_KINDS: ReadonlySet<HistoryEventKind> = new Set(['start', 'stop', 'crash', 'restart']);

const paused = (m: MinerSnapshot): boolean => m.paused || m.stats?.paused === true;
const live = (m: MinerSnapshot): boolean =>
  m.state === 'starting' || m.state === 'running' || m.state === 'stopping';

function throttleText(prev: MinerSnapshot, next: MinerSnapshot): string | null {
  const a = prev.config;
  const b = next.config;
  const parts: string[] = [];
  if (a.cpuMaxThreadsHint !== b.cpuMaxThreadsHint) parts.push(`CPU limit ${b.cpuMaxThreadsHint} %`);
  if (a.threads !== b.threads) parts.push(b.threads === 0 ? 'threads auto' : `${b.threads} threads`);
  if (a.cpuPriority !== b.cpuPriority) parts.push(`priority ${b.cpuPriority ?? 'default'}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** What happened between two snapshots of one miner, as chart events (`now` when no better time is known). */
export function transitionEvents(prev: MinerSnapshot, next: MinerSnapshot, now: number): HistoryEvent[] {
  if (next.generation < prev.generation) return [];
  const events: HistoryEvent[] = [];
  const name = next.name;
  if (next.generation > prev.generation) {
    const at = next.startedAt ?? now;
    events.push(
      live(prev)
        ? { at, kind: 'restart', text: `${name} restarted` }
        : { at, kind: 'start', text: `${name} started` },
    );
  }
  if (next.state !== prev.state || next.generation > prev.generation) {
    const at = next.lastExit?.at ?? now;
    if (next.state === 'stopped' && prev.state !== 'stopped')
      events.push({ at, kind: 'stop', text: `${name} stopped` });
    if (next.state === 'crashed' && prev.state !== 'crashed')
      events.push({ at, kind: 'crash', text: crashText(next) });
  }
  if (next.generation === prev.generation && live(next)) {
    if (paused(next) && !paused(prev)) events.push({ at: now, kind: 'pause', text: `${name} paused` });
    if (!paused(next) && paused(prev)) events.push({ at: now, kind: 'resume', text: `${name} resumed` });
    const throttle = throttleText(prev, next);
    if (throttle) events.push({ at: now, kind: 'throttle', text: `${name}: ${throttle}` });
  }
  return events;
}

function crashText(m: MinerSnapshot): string {
  return m.lastExit
    ? `${MINER_TYPE_LABELS[m.minerType]} ${m.name} crashed (${describeExit(m.lastExit)})`
    : `${m.name} crashed`;
}

/** Events a snapshot implies when the renderer first sees a miner (after a load or a reconnect). */
export function snapshotEvents(m: MinerSnapshot): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  if (m.startedAt !== null) events.push({ at: m.startedAt, kind: 'start', text: `${m.name} started` });
  if (m.lastExit && (m.state === 'stopped' || m.state === 'crashed')) {
    events.push(
      m.state === 'crashed'
        ? { at: m.lastExit.at, kind: 'crash', text: crashText(m) }
        : { at: m.lastExit.at, kind: 'stop', text: `${m.name} stopped` },
    );
  }
  return events;
}

/** `existing` plus the `incoming` events it does not hold yet, oldest first, bounded. */
export function mergeEvents(
  existing: readonly HistoryEvent[],
  incoming: readonly HistoryEvent[],
): readonly HistoryEvent[] {
  const seen = [...existing];
  let added = false;
  for (const e of incoming) {
    if (!Number.isFinite(e.at)) continue;
    if (seen.some((x) => x.kind === e.kind && Math.abs(x.at - e.at) < SAME_EVENT_MS)) continue;
    seen.push(e);
    added = true;
  }
  if (!added) return existing;
  const merged = seen.sort((a, b) => a.at - b.at);
  return merged.length > MAX_EVENTS_PER_MINER ? merged.slice(-MAX_EVENTS_PER_MINER) : merged;
}
