// App lifecycle decisions without Electron: what closing the window does, and the quit sequence that
// holds the first `before-quit`, awaits the service's shutdown (bounded) and then exits (Rancher Desktop).

export type CloseDecision = 'hide' | 'close';

/** Closing the window hides it to the tray unless the app is quitting or the user turned that off. */
export function decideClose(state: { quitting: boolean; closeToTray: boolean }): CloseDecision {
  return !state.quitting && state.closeToTray ? 'hide' : 'close';
}

export interface QuitControllerOptions {
  /** Stops every miner (graceful, then tree kill); the service makes it idempotent. */
  shutdown: () => Promise<void>;
  exit: (code: number) => void;
  /** Hard limit on the shutdown; past it the app exits anyway rather than hang with no window. */
  timeoutMs?: number;
  log?: (message: string, err?: unknown) => void;
}

export interface QuitController {
  readonly quitting: boolean;
  /** The `before-quit` handler. */
  onBeforeQuit(event: { preventDefault(): void }): void;
}

export const DEFAULT_QUIT_TIMEOUT_MS = 20_000;

export function createQuitController(options: QuitControllerOptions): QuitController {
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUIT_TIMEOUT_MS;
  const log = options.log ?? ((message, err) => console.error(message, err));
  let phase: 'running' | 'stopping' | 'done' = 'running';

  async function stop(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    let code = 0;
    try {
      const outcome = await Promise.race([options.shutdown().then(() => 'stopped' as const), deadline]);
      if (outcome === 'timeout') {
        log(`shutdown did not finish within ${timeoutMs} ms; exiting anyway`);
        code = 1;
      }
    } catch (err) {
      log('shutdown failed', err);
      code = 1;
    } finally {
      clearTimeout(timer);
    }
    phase = 'done';
    options.exit(code);
  }

  return {
    get quitting() {
      return phase !== 'running';
    },
    onBeforeQuit(event) {
      if (phase === 'done') return;
      // Every quit before the miners are down is held; the first one starts the shutdown.
      event.preventDefault();
      if (phase === 'stopping') return;
      phase = 'stopping';
      void stop();
    },
  };
}
