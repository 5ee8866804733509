// One watchdog per miner id, created on demand and bound to the runtime that can kill and start it:
// the thin layer the manager/service wires its lifecycle events and stats samples into.
import type { WatchdogSettings } from '../../../shared/watchdog-settings';
import { DEFAULT_WATCHDOG_SETTINGS } from '../../../shared/watchdog-settings';
import type { Clock } from '../util/clock';
import type { WatchdogAction, WatchdogEvent, WatchdogStatus } from './types';
import { MinerWatchdog } from './watchdog';

export interface SupervisedRuntime {
  kill(id: string, reason: string): Promise<void>;
  start(id: string, reason: string): Promise<{ generation?: number } | void>;
  onAction(id: string, action: WatchdogAction): void;
  notify?(id: string, title: string, message: string): void;
  onError?(id: string, err: unknown): void;
}

export interface RegistryOptions {
  clock: Clock;
  runtime: SupervisedRuntime;
  settings?: WatchdogSettings;
  checkIntervalMs?: number;
}

export class WatchdogRegistry {
  private readonly dogs = new Map<string, MinerWatchdog>();
  private settings: WatchdogSettings;

  constructor(private readonly opts: RegistryOptions) {
    this.settings = opts.settings ?? DEFAULT_WATCHDOG_SETTINGS;
  }

  dispatch(id: string, event: WatchdogEvent): void {
    this.get(id).dispatch(event);
  }

  status(id: string): WatchdogStatus {
    return this.dogs.get(id)?.status ?? { phase: 'idle', restartAt: null, reason: null, attempt: 0 };
  }

  /** The miner was removed: its timers go with it. */
  forget(id: string): void {
    this.dogs.get(id)?.dispose();
    this.dogs.delete(id);
  }

  updateSettings(settings: WatchdogSettings): void {
    this.settings = settings;
    for (const dog of this.dogs.values()) dog.updateSettings(settings);
  }

  /** App shutdown: no restart may start while the miners are being stopped. */
  dispose(): void {
    for (const dog of this.dogs.values()) dog.dispose();
    this.dogs.clear();
  }

  private get(id: string): MinerWatchdog {
    let dog = this.dogs.get(id);
    if (!dog) {
      const rt = this.opts.runtime;
      dog = new MinerWatchdog({
        clock: this.opts.clock,
        settings: this.settings,
        checkIntervalMs: this.opts.checkIntervalMs,
        handlers: {
          kill: (reason) => rt.kill(id, reason),
          start: (reason) => rt.start(id, reason),
          onAction: (action) => rt.onAction(id, action),
          notify: (title, message) => rt.notify?.(id, title, message),
          onError: (err) => rt.onError?.(id, err),
        },
      });
      this.dogs.set(id, dog);
    }
    return dog;
  }
}
