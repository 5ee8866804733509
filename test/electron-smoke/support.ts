// Per-test bookkeeping for the smoke tests: every app a test launches is ended and its temp folder removed
// afterwards, whatever the test did; miner pids it saw are checked dead.
import { afterEach } from 'vitest';
import { isAlive, Shell, type LaunchOptions } from './driver';

export function useShells(): (options?: LaunchOptions) => Promise<Shell> {
  const shells: Shell[] = [];
  afterEach(async () => {
    await Promise.all(shells.splice(0).map((s) => s.dispose()));
  });
  return async (options) => {
    const shell = await Shell.launch(options);
    shells.push(shell);
    return shell;
  };
}

/** Polls until the pid is gone (a process we started and stopped; never a pid we do not own). */
export async function waitDead(pid: number, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > end) throw new Error(`process ${pid} is still alive`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
