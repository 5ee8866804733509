// What the manager tells its subscribers: the contract's streams (state, stats, log) plus the lifecycle
// events the watchdog and the lasting history subscribe to (launched, exit, crash, launch-failed, ...).
import type { HistoryEvent, LogBatch, StatsBatch } from '../../shared/contract';
import type { ExitInfo, MinerSnapshot } from '../../shared/model';

/** Who started a process: the user (a command, a rule's resume, a resume at launch) or the watchdog. */
export type LaunchedBy = 'user' | 'watchdog';

export interface ManagerEvents {
  state: MinerSnapshot;
  stats: StatsBatch;
  log: LogBatch;
  /**
   * A process was spawned (it is `starting`; `state` says when it is running). `wanted` is false when a
   * stop was asked for while it was being spawned: that stop is queued and ends it; nobody supervises it.
   */
  launched: { id: string; generation: number; by: LaunchedBy; at: number; wanted: boolean };
  /** Every exit of a current process, asked for (`expected`) or not. */
  exit: { id: string; generation: number; exit: ExitInfo; expected: boolean };
  /** An exit nobody asked for, after the miner was ready. */
  crash: { id: string; generation: number; exit: ExitInfo; lastLines: string[]; at: number };
  /** A start that did not get a ready miner: spawn refused, or the process exited before it was ready. */
  'launch-failed': {
    id: string;
    generation: number;
    by: LaunchedBy;
    reason: string;
    exit: ExitInfo | null;
    at: number;
  };
  /** Someone stopped the miner on purpose (user, pause by stop, removal, shutdown): supervise nothing. */
  'user-stop': { id: string; at: number };
  /** A stats request failed (the watchdog counts silence, not errors; this lets it judge at once). */
  'api-error': { id: string; generation: number; message: string; at: number };
  /** A marker for the miner's history (state change, watchdog action). */
  history: { id: string; event: HistoryEvent };
  /** Something the user should be told about even when no window is open (a crash loop). */
  alert: { id: string; title: string; message: string };
  /** The miner was forgotten (removeMiner). */
  removed: { id: string };
}
