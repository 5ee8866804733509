// What the command groups share: the engine, the stores and the service's event and notice channels.
// Each group (miners, profiles, settings, trust, history; installs in install-commands.ts) gets this.
import type {
  CommandName,
  CommandOutput,
  CommandParsed,
  EventName,
  EventPayloads,
  Profile,
  SettingsView,
} from '../../../shared/contract';
import type { MinerManager } from '../../core/manager';
import type { ProfileStore } from '../../core/store/profile-store';
import type { SettingsStore } from '../../core/store/settings-store';
import type { Governor } from '../../core/throttle/governor';
import type { TrustStore } from '../../core/trust/trust-store';
import type { Clock } from '../../core/util/clock';
import type { HistoryFeed } from '../history-feed';

export type Handler<K extends CommandName> = (input: CommandParsed<K>) => Promise<CommandOutput<K>>;
export type Handlers<K extends CommandName> = { [N in K]: Handler<N> };

/** Starting with the computer: the desktop shell's login item (absent in headless mode). */
export interface LoginItemControl {
  /** What the operating system says now. */
  get(): boolean;
  set(enabled: boolean): Promise<void> | void;
}

export interface ServiceContext {
  readonly manager: MinerManager;
  readonly profiles: ProfileStore;
  readonly settings: SettingsStore;
  readonly trust: TrustStore;
  readonly governor: Governor;
  readonly history: HistoryFeed;
  readonly clock: Clock;
  readonly dataDir: string;
  readonly loginItem: LoginItemControl | null;
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  notify(level: 'info' | 'warning' | 'error', message: string): void;
  profileList(): Profile[];
  settingsView(): SettingsView;
}
