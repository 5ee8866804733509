// What the transports (Electron IPC, headless HTTP) see of the service: one invoke for every command,
// validated inside, and one subscription per event. Transports stay thin because of this seam.
import type { CommandName, CommandOutput, EventName, EventPayloads } from '../../shared/contract';

export interface ServiceApi {
  /** Validates `input` with the contract's schema and runs the command; throws MinerError on failure. */
  invoke<K extends CommandName>(name: K, input: unknown): Promise<CommandOutput<K>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void;
  /** Stops every miner (graceful, then tree kill); idempotent. */
  shutdown(): Promise<void>;
  /**
   * A transport says how many of its viewers show live stats now (SSE clients; 1 or 0 for a visible
   * window). With none anywhere, miners are polled less often. Optional for transports that cannot tell.
   */
  setViewers?(source: string, count: number): void;
}
