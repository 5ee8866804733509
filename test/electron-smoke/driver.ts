// Launches the BUILT desktop main process (out/main/index.js) under plain Node with the emulated
// `electron` module, and drives it like a user and the OS would; every wait is for a reported event.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(import.meta.dirname, '../..');
/** HASHDECK_SMOKE_ENTRY replays the cases against another build (e.g. the commit before a fix). */
export const MAIN_ENTRY = process.env['HASHDECK_SMOKE_ENTRY'] ?? join(ROOT, 'out/main/index.js');
export const FAKE_XMRIG = join(ROOT, 'test/fakes/fake-xmrig.mjs');
export const FAKE_TTMINER = join(ROOT, 'test/fakes/fake-ttminer.mjs');
const REGISTER = pathToFileURL(join(import.meta.dirname, 'emulator/register.mjs')).href;

/** Fake miners that warm up at once, so states are reached in well under a second. */
export const FAST_FAKES: Record<string, string> = {
  FAKE_WARMUP_MS: '200',
  FAKE_XMRIG_PRINT_MS: '500',
  FAKE_XMRIG_WINDOW_SCALE: '0.05',
  FAKE_SHARE_MS: '1000',
};

export interface EmuEvent {
  name: string;
  data: Record<string, unknown>;
  at: number;
}

export interface ExitReport {
  code: number;
  liveChildren: { pid: number; cmd: string }[] | null;
  liveTrays: number;
  liveWindows: number;
  counts: {
    windowsCreated: number;
    traysCreated: number;
    handlersRegistered: number;
    listenersAdded: number;
  };
  handlers: string[];
}

export interface MenuItemState {
  id: string | null;
  label: string;
  type: string;
  enabled: boolean;
  visible: boolean;
  checked: boolean;
}

export interface WindowState {
  id: number;
  webContentsId: number;
  visible: boolean;
  focused: boolean;
  destroyed: boolean;
  url: string | null;
  crashed: boolean;
  pageAlive: boolean;
  icon: { path: string; empty: boolean } | null;
}

export interface ShellState {
  ready: boolean;
  windows: WindowState[];
  trays: {
    destroyed: boolean;
    image: { path: string; empty: boolean; scales: number[] };
    tooltip: string;
    menu: MenuItemState[] | null;
  }[];
  handlers: string[];
  counts: ExitReport['counts'];
  errorBoxes: { title: string; content: string; shown: boolean }[];
  notifications: { title: string; body: string }[];
  openDialogs: { windowId: number | null; options: { title?: string; properties?: string[] } }[];
  externalUrls: string[];
  sessionSecured: boolean;
}

export type InvokeResult<T = unknown> =
  { ok: true; value: T } | { ok: false; error: { code?: string; message: string } };

export interface LaunchOptions {
  /** --data-dir; a fresh temp folder when omitted, none at all when null. */
  dataDir?: string | null;
  /** Arguments after the script, replacing `--data-dir DIR` when given. */
  args?: string[];
  env?: Record<string, string>;
  /** Keep `ready` back until `call('ready')`. */
  holdReady?: boolean;
  /** Another build of the main bundle (a copy with files missing). */
  entry?: string;
}

export class Shell {
  readonly events: EmuEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters = new Set<{ check: (e: EmuEvent) => boolean; resolve: (e: EmuEvent) => void }>();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private out = '';

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string | null,
    private readonly ownsDataDir: boolean,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.out += chunk));
    child.on('message', (message: unknown) => this.onMessage(message));
    this.exited = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => {
        for (const p of this.pending.values()) p.reject(new Error(`the app exited (${code ?? signal})`));
        this.pending.clear();
        resolveExit({ code, signal });
      }),
    );
  }

  static async launch(options: LaunchOptions = {}): Promise<Shell> {
    const entry = options.entry ?? MAIN_ENTRY;
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
    let dataDir: string | null = null;
    let owns = false;
    if (options.dataDir === undefined) {
      dataDir = await mkdtemp(join(tmpdir(), 'hashdeck-smoke-'));
      owns = true;
    } else {
      dataDir = options.dataDir;
    }
    const args = options.args ?? (dataDir === null ? [] : ['--data-dir', join(dataDir, 'data')]);
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...FAST_FAKES };
    delete env['ELECTRON_RENDERER_URL'];
    env['HASHDECK_EMU_CONTROL'] = '1';
    if (options.holdReady) env['HASHDECK_EMU_HOLD_READY'] = '1';
    Object.assign(env, options.env);
    const child = fork(entry, args, {
      cwd: ROOT,
      env,
      execArgv: ['--import', REGISTER],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const shell = new Shell(child, dataDir, owns);
    await shell.waitFor('emulator-loaded');
    return shell;
  }

  /** The data folder the app was given (`<temp>/data`). */
  get appDataDir(): string {
    if (this.dataDir === null) throw new Error('launched without a data dir');
    return join(this.dataDir, 'data');
  }

  output(): string {
    return this.out;
  }

  private onMessage(message: unknown): void {
    const m = message as { t: string; id?: number; ok?: boolean; value?: unknown; error?: string } & EmuEvent;
    if (m.t === 'reply' && m.id !== undefined) {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
      return;
    }
    if (m.t !== 'event') return;
    const event = { name: m.name, data: m.data, at: m.at };
    this.events.push(event);
    for (const w of [...this.waiters]) {
      if (w.check(event)) {
        this.waiters.delete(w);
        w.resolve(event);
      }
    }
  }

  call<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolveCall, reject) => {
      this.pending.set(id, { resolve: resolveCall as (v: unknown) => void, reject });
      this.child.send({ t: 'call', id, op, args });
    });
  }

  /** The first event (already seen or still to come) named `name` that matches `where`. */
  waitFor(
    name: string,
    where: (data: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<EmuEvent> {
    const check = (e: EmuEvent) => e.name === name && where(e.data);
    const seen = this.events.find(check);
    if (seen) return Promise.resolve(seen);
    return this.waitForNext(name, where, timeoutMs);
  }

  /** The next event named `name` from now on. */
  waitForNext(
    name: string,
    where: (data: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<EmuEvent> {
    return new Promise((resolveWait, reject) => {
      const waiter = {
        check: (e: EmuEvent) => e.name === name && where(e.data),
        resolve: (e: EmuEvent) => {
          clearTimeout(timer);
          resolveWait(e);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no "${name}" event within ${timeoutMs} ms; app output:\n${this.out}`));
      }, timeoutMs);
      this.waiters.add(waiter);
      void this.exited.then(() => {
        if (!this.waiters.has(waiter)) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`the app exited before "${name}"; app output:\n${this.out}`));
      });
    });
  }

  /** Resolves once `read()` passes `check`, polling the app's state (for changes with no single event). */
  async until<T>(
    read: () => Promise<T>,
    check: (value: T) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (check(value)) return value;
      if (Date.now() > end) {
        throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}\n${this.out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  state(): Promise<ShellState> {
    return this.call<ShellState>('state');
  }

  /** A command through the page's own client (`window.mining.<command>(payload)`). */
  invoke<T = unknown>(command: string, payload: unknown = {}, windowId?: number): Promise<InvokeResult<T>> {
    return this.call('invoke', { command, payload, ...(windowId === undefined ? {} : { windowId }) });
  }

  /** Like invoke, for commands that must succeed. */
  async run<T = unknown>(command: string, payload: unknown = {}): Promise<T> {
    const result = await this.invoke<T>(command, payload);
    if (!result.ok) throw new Error(`${command} failed: ${result.error.message}`);
    return result.value;
  }

  async trayMenu(): Promise<MenuItemState[]> {
    const tray = (await this.state()).trays.find((t) => !t.destroyed);
    return tray?.menu ?? [];
  }

  async trayItem(id: string): Promise<MenuItemState | undefined> {
    return (await this.trayMenu()).find((item) => item.id === id);
  }

  /** The exit report the emulation sends from app.exit/quit, and the process's own exit. */
  async exit(): Promise<{ report: ExitReport; code: number | null }> {
    const report = (await this.waitFor('exit')).data as unknown as ExitReport;
    const { code } = await this.exited;
    return { report, code };
  }

  /** Ends the app if a test left it running (gracefully first, so its miners stop), then cleans up. */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.ownsDataDir && this.dataDir !== null) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** True while a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
