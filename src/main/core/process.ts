// The process-like handle the manager supervises: a real child process (supervisor.ts) or the
// in-process simulated miner. Injected through a spawner so concurrency tests can script exits.
import type { ExitInfo } from '../../shared/model';

export type LineStream = 'stdout' | 'stderr';

export interface MinerProcess {
  /** OS pid; null for in-process miners. */
  readonly pid: number | null;
  /** Resolves exactly once when the process has exited; never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** Registers the line sink; lines are delivered in order per stream. */
  onLine(listener: (stream: LineStream, text: string) => void): void;
  /** Writes to stdin; rejects with a TIMEOUT MinerError if the pipe does not drain in time. */
  write(data: string, timeoutMs?: number): Promise<void>;
  /** Graceful stop: SIGTERM (or the platform equivalent). */
  terminate(): void;
  /** Kills the whole process tree at once. */
  killTree(): Promise<void>;
}

export interface SpawnRequest {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

/** Starts a process; resolves once it is spawned, rejects with SPAWN_FAILED if it cannot start. */
export type Spawner = (req: SpawnRequest) => Promise<MinerProcess>;
