// What the desktop shell needs from the mining service: the transport seam (ServiceApi), cheap synchronous
// views for the tray and the window lifecycle, and the few start-up hooks every transport calls.
import type { Notice, Profile, SettingsView } from '../../shared/contract';
import type { MinerSnapshot } from '../../shared/model';
import type { ServiceApi } from '../service/types';

export interface DesktopService extends ServiceApi {
  settings(): SettingsView;
  profiles(): Profile[];
  miners(): MinerSnapshot[];
  /** Problems found while loading (corrupt files moved aside, orphans stopped), to show once. */
  readonly startupNotices: readonly string[];
  /** Emits a `notice` event to whichever UI is attached. */
  notify(level: Notice['level'], message: string): void;
  /** Starts every loop (stats, history, CPU control) and resumes miners; once a transport forwards events. */
  start(): Promise<unknown>;
  /** Last resort from a synchronous exit hook: SIGKILL every live miner tree now. */
  killAllSync(): void;
}
