// What changed while the page was disconnected, in sentences for the "reconnected" banner: miners that
// stopped, crashed, restarted, paused or resumed, disappeared, or appeared, between two snapshots.
import type { MinerSnapshot } from '../../../shared/model';
import { describeExit } from './minerView';
import type { MinersById } from './minersReducer';

const live = (m: MinerSnapshot): boolean =>
  m.state === 'starting' || m.state === 'running' || m.state === 'stopping';
const paused = (m: MinerSnapshot): boolean => m.paused || m.stats?.paused === true;

function changeOf(before: MinerSnapshot, after: MinerSnapshot): string | null {
  const name = after.name;
  if (live(before) && !live(after)) {
    if (after.state === 'crashed')
      return `${name} crashed${after.lastExit ? ` (${describeExit(after.lastExit)})` : ''}.`;
    if (after.state === 'errored') return `${name} stopped with an error.`;
    return `${name} was stopped.`;
  }
  if (!live(before) && live(after)) return `${name} was started.`;
  if (after.generation > before.generation) return `${name} was restarted.`;
  if (live(after) && paused(after) !== paused(before))
    return `${name} was ${paused(after) ? 'paused' : 'resumed'}.`;
  return null;
}

/** A stop this close before the connection dropped was most likely the server shutting its miners down. */
const SHUTDOWN_WINDOW_MS = 15_000;

/**
 * `lostAt` is when the connection dropped: a miner that stopped just before it and is gone now was
 * stopped by the server's own shutdown, which the user may not have seen happen.
 */
export function describeChanges(
  before: MinersById,
  after: readonly MinerSnapshot[],
  lostAt: number | null = null,
): string[] {
  const changes: string[] = [];
  const seen = new Set<string>();
  for (const m of after) {
    seen.add(m.id);
    const old = before[m.id];
    const change = old ? changeOf(old, m) : `${m.name} was added${live(m) ? ' and is running' : ''}.`;
    if (change) changes.push(change);
  }
  for (const [id, m] of Object.entries(before)) {
    if (seen.has(id)) continue;
    const stoppedAtShutdown =
      lostAt !== null &&
      m.state === 'stopped' &&
      m.lastExit !== null &&
      lostAt - m.lastExit.at < SHUTDOWN_WINDOW_MS;
    if (live(m))
      changes.push(
        `${m.name} is gone: it was running before (HashDeck may have restarted, which stops its miners).`,
      );
    else if (stoppedAtShutdown) changes.push(`${m.name} was stopped when HashDeck shut down.`);
    else changes.push(`${m.name} was removed.`);
  }
  return changes;
}
