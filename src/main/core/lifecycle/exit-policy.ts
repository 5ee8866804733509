// Pure rules of the process lifecycle: what an exit means (a stale process, part of a stop, a failed
// start, a crash), how a miner becomes ready, and the words every outcome is reported with.
import type { ExitInfo, MinerState } from '../../../shared/model';
import type { MinerAdapter } from '../miners/adapter';

export type ExitVerdict =
  /** A replaced process (older generation): it changes nothing. */
  | 'stale'
  /** The exit a stop asked for: the stop records it. */
  | 'stopping'
  /** Exited before it was ready: the start failed, always reported as `errored` / SPAWN_FAILED. */
  | 'launch-failed'
  /** Exited on its own after it was ready. */
  | 'crash';

/**
 * What an exit means. Decided by the order of events the process itself produced (readiness, then exit),
 * never by a timer: a miner that opened its API and then died crashed, one that died first failed to start.
 */
export function classifyExit(current: boolean, state: MinerState): ExitVerdict {
  if (!current) return 'stale';
  if (state === 'starting') return 'launch-failed';
  if (state === 'running') return 'crash';
  return 'stopping';
}

/**
 * How the manager knows a started miner is ready, from what its adapter can tell:
 * 'spawned' in-process miners (and adapters with nothing to check) are ready at once;
 * 'bind-line' the miner prints that its API listens (XMRig ` * HTTP API 127.0.0.1:PORT`, or that it could not);
 * 'port-owner' the OS says the miner itself listens on its API port (TT-Miner prints nothing usable).
 */
export type Readiness = 'spawned' | 'bind-line' | 'port-owner';

export function readinessOf(adapter: Pick<MinerAdapter, 'apiCheck' | 'startInProcess'>): Readiness {
  if (adapter.startInProcess || adapter.apiCheck === 'none') return 'spawned';
  return adapter.apiCheck === 'log' ? 'bind-line' : 'port-owner';
}

export function describeExit(exit: ExitInfo): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

/** A miner that daemonised anyway: say plainly that it tried and that it was stopped. */
export function describeStrays(exit: ExitInfo): string | null {
  if (!exit.strays?.length) return null;
  return (
    `the miner had left its process group (daemonised): HashDeck found and killed ` +
    `${exit.strays.length} process(es) it left behind (pid ${exit.strays.join(', ')})`
  );
}

/** The reason of a start that ended before the miner was ready, with the line that usually says why. */
export function launchFailureReason(name: string, exit: ExitInfo, lastLines: readonly string[]): string {
  const strays = describeStrays(exit);
  if (strays) return `${name} ${describeExit(exit)} during start-up: ${strays}`;
  const last = lastLines.at(-1);
  return `${name} ${describeExit(exit)} during start-up${last ? `: ${last}` : ''}`;
}

export function crashReason(name: string, exit: ExitInfo, lastLine: string | undefined): string {
  return `${name} ${describeExit(exit)}${lastLine ? `: ${lastLine}` : ''}`;
}
