// The supervisor: binds the pure watchdog (one per miner, on the injected clock) to the manager. It
// listens to the manager's lifecycle events (launched, crash, launch-failed, user-stop, stats, api-error)
// and acts through the manager (kill a hung miner, start it again); every action is reported back.
import type { WatchdogSettings } from '../../../shared/watchdog-settings';
import type { MinerSupervision } from '../../../shared/model';
import type { ManagerEvents } from '../manager-events';
import type { Clock } from '../util/clock';
import { WatchdogRegistry } from './registry';
import type { WatchdogAction, WatchdogEvent } from './types';

/** What the supervisor needs of the manager (implemented by MinerManager). */
export interface SupervisedManager {
  on<K extends keyof ManagerEvents>(event: K, listener: (payload: ManagerEvents[K]) => void): () => void;
  /** Stops the current process for a restart (the intent stays "run"). */
  superviseKill(id: string, reason: string): Promise<void>;
  /** Starts the miner again; resolves once it runs, rejects when the start failed. */
  superviseStart(id: string, reason: string): Promise<{ generation: number }>;
  /** The watchdog acted (log line, chart marker, backoff / crash-loop state). */
  watchdogAction(id: string, action: WatchdogAction): void;
  /** A desktop notification (crash loop). */
  alert(id: string, title: string, message: string): void;
  supervisionError(id: string, err: unknown): void;
  /** Whether the miner is paused now (by anyone): its low hashrate is on purpose. */
  isPaused(id: string): boolean;
}

export interface SupervisorOptions {
  clock: Clock;
  settings: WatchdogSettings;
  checkIntervalMs?: number;
}

export class Supervisor {
  private readonly registry: WatchdogRegistry;
  private readonly offs: (() => void)[] = [];
  private disposed = false;

  constructor(
    private readonly manager: SupervisedManager,
    private readonly opts: SupervisorOptions,
  ) {
    this.registry = new WatchdogRegistry({
      clock: opts.clock,
      settings: opts.settings,
      checkIntervalMs: opts.checkIntervalMs,
      runtime: {
        kill: (id, reason) => manager.superviseKill(id, reason),
        start: (id, reason) => manager.superviseStart(id, reason),
        onAction: (id, action) => manager.watchdogAction(id, action),
        notify: (id, title, message) => manager.alert(id, title, message),
        onError: (id, err) => manager.supervisionError(id, err),
      },
    });
    const now = () => opts.clock.now();
    this.offs.push(
      manager.on('launched', (e) => {
        // A watchdog restart reports its own start once the miner runs (or the start failed). A process
        // spawned after the user asked for a stop is not supervised: the queued stop ends it, nothing restarts it.
        if (e.by === 'user' && e.wanted)
          this.dispatch(e.id, { type: 'started', at: now(), by: 'user', generation: e.generation });
      }),
      manager.on('crash', (e) =>
        this.dispatch(e.id, {
          type: 'crashed',
          at: now(),
          code: e.exit.code,
          signal: e.exit.signal,
          lastLines: e.lastLines,
          generation: e.generation,
        }),
      ),
      manager.on('launch-failed', (e) =>
        this.dispatch(e.id, { type: 'launch-failed', at: now(), reason: e.reason }),
      ),
      manager.on('user-stop', (e) => this.dispatch(e.id, { type: 'stopped-by-user', at: now() })),
      manager.on('stats', (batch) => {
        for (const m of batch.miners) {
          this.dispatch(m.id, {
            type: 'sample',
            at: now(),
            hashrate: m.stats.hashrate[0],
            paused: m.stats.paused || manager.isPaused(m.id),
            hashesTotal: m.stats.hashesTotal ?? null,
            generation: m.generation,
          });
        }
      }),
      manager.on('api-error', (e) =>
        this.dispatch(e.id, { type: 'api-error', at: now(), message: e.message, generation: e.generation }),
      ),
      manager.on('removed', (e) => this.registry.forget(e.id)),
    );
  }

  /** The snapshot's `supervision` (null while the miner is not supervised: idle, or the watchdog is off). */
  status(id: string): MinerSupervision | null {
    // After dispose the registry is empty and stays so (events are dropped): every miner reads idle.
    const s = this.registry.status(id);
    return s.phase === 'idle' && s.attempt === 0 ? null : s;
  }

  updateSettings(settings: WatchdogSettings): void {
    this.registry.updateSettings(settings);
  }

  /** App shutdown: no restart may start while the miners are being stopped. */
  dispose(): void {
    this.disposed = true;
    for (const off of this.offs) off();
    this.registry.dispose();
  }

  private dispatch(id: string, event: WatchdogEvent): void {
    if (!this.disposed) this.registry.dispatch(id, event);
  }
}
