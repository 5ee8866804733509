// Test doubles for the desktop shell: a fake ipcMain, sender events, miner snapshots and a fake service.
// Used only by the colocated tests; nothing here touches Electron.
import { settingsSchema } from '../../../shared/contract';
import type {
  CommandName,
  EventName,
  EventPayloads,
  Notice,
  Profile,
  SettingsView,
} from '../../../shared/contract';
import type { MinerSnapshot, MinerStats } from '../../../shared/model';
import type { IpcInvokeListener, IpcListener, IpcMainLike, IpcSenderEvent } from '../ipc/ipc-main';
import type { DesktopService } from '../types';

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, IpcInvokeListener>();
  readonly listeners = new Map<string, Set<IpcListener>>();

  handle(channel: string, listener: IpcInvokeListener): void {
    // Electron throws on a second handler for one channel; the fake does too, to catch double binding.
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: IpcListener): this {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    return this;
  }
  removeListener(channel: string, listener: IpcListener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  /** What the renderer's `ipcRenderer.invoke(channel, ...args)` would get back. */
  async invoke(channel: string, event: IpcSenderEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
  emit(channel: string, event: IpcSenderEvent, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener(event, ...args);
  }
}

export const RENDERER_FILE_URL = 'file:///opt/hashdeck/out/renderer/index.html';

export function senderEvent(
  options: { id?: number; url?: string; subframe?: boolean; frameGone?: boolean } = {},
): IpcSenderEvent {
  const parent = options.subframe ? { url: RENDERER_FILE_URL } : null;
  return {
    sender: { id: options.id ?? 1 },
    senderFrame: options.frameGone ? null : { url: options.url ?? RENDERER_FILE_URL, parent },
  };
}

export function stats(overrides: Partial<MinerStats> = {}): MinerStats {
  return {
    at: 0,
    hashrate: [1000, 1000, null],
    highest: null,
    warmingUp: false,
    threads: [],
    shares: { good: 0, total: 0, rejected: 0 },
    difficulty: null,
    avgShareTime: null,
    pool: null,
    ping: null,
    uptime: 10,
    paused: false,
    algo: 'rx/0',
    cpu: null,
    gpus: [],
    ...overrides,
  };
}

let nextId = 0;

export function miner(overrides: Partial<MinerSnapshot> & { cpuHint?: number } = {}): MinerSnapshot {
  const { cpuHint, ...rest } = overrides;
  nextId += 1;
  const id = rest.id ?? `m${nextId}`;
  return {
    id,
    name: rest.name ?? id,
    minerType: 'xmrig',
    profileId: null,
    state: 'running',
    reason: null,
    generation: 1,
    pid: 1000 + nextId,
    startedAt: 0,
    paused: false,
    config: {
      pool: 'pool.example:3333',
      wallet: 'w',
      password: 'x',
      tls: false,
      keepalive: true,
      threads: 0,
      cpuMaxThreadsHint: cpuHint ?? 100,
      cpuYield: true,
      hugePages: true,
      donateLevel: 1,
    },
    stats: stats(),
    apiError: null,
    lastExit: null,
    version: null,
    ...rest,
  };
}

export function profile(id: string, name: string): Profile {
  return { id, name, minerType: 'simulated', config: miner().config, createdAt: 0, updatedAt: 0 };
}

export type Invocation = { name: CommandName; input: unknown };

/** A service whose state tests set directly; `invoke` records calls and runs `respond`. */
export class FakeService implements DesktopService {
  minerList: MinerSnapshot[] = [];
  profileList: Profile[] = [];
  settingsView: SettingsView = { ...settingsSchema.parse({}), dataDir: '/data' };
  readonly calls: Invocation[] = [];
  readonly notices: Notice[] = [];
  readonly startupNotices: string[] = [];
  startCalls = 0;
  killAllSyncCalls = 0;
  async start(): Promise<void> {
    this.startCalls++;
  }
  killAllSync(): void {
    this.killAllSyncCalls++;
  }
  respond: (name: CommandName, input: unknown) => unknown = () => ({ ok: true });
  private readonly handlers = new Map<EventName, Set<(payload: never) => void>>();
  shutdownCalls = 0;

  miners(): MinerSnapshot[] {
    return this.minerList;
  }
  profiles(): Profile[] {
    return this.profileList;
  }
  settings(): SettingsView {
    return this.settingsView;
  }
  notify(level: Notice['level'], message: string): void {
    this.notices.push({ level, message });
  }
  async invoke<K extends CommandName>(name: K, input: unknown): Promise<never> {
    this.calls.push({ name, input });
    return (await this.respond(name, input)) as never;
  }
  on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    const h = handler as (payload: never) => void;
    set.add(h);
    return () => set.delete(h);
  }
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const h of [...(this.handlers.get(event) ?? [])]) (h as (p: EventPayloads[E]) => void)(payload);
  }
  listenerCount(event: EventName): number {
    return this.handlers.get(event)?.size ?? 0;
  }
  async shutdown(): Promise<void> {
    this.shutdownCalls += 1;
  }
}
