import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQuitController, decideClose } from './lifecycle';

describe('decideClose', () => {
  it('hides to the tray when closeToTray is on', () => {
    expect(decideClose({ quitting: false, closeToTray: true })).toBe('hide');
  });
  it('closes when closeToTray is off', () => {
    expect(decideClose({ quitting: false, closeToTray: false })).toBe('close');
  });
  it('closes while quitting, whatever the setting', () => {
    expect(decideClose({ quitting: true, closeToTray: true })).toBe('close');
  });
});

function deferred() {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const quitEvent = () => ({ preventDefault: vi.fn() });

describe('createQuitController', () => {
  afterEach(() => vi.useRealTimers());

  it('holds the first quit, awaits the shutdown, then exits 0', async () => {
    const stop = deferred();
    const shutdown = vi.fn(() => stop.promise);
    const exit = vi.fn();
    const quit = createQuitController({ shutdown, exit });
    const event = quitEvent();
    quit.onBeforeQuit(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(quit.quitting).toBe(true);
    expect(shutdown).toHaveBeenCalledOnce();
    await Promise.resolve();
    expect(exit).not.toHaveBeenCalled();
    stop.resolve();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
  });

  it('holds repeated quits during the shutdown without starting another', () => {
    const shutdown = vi.fn(() => new Promise<void>(() => undefined));
    const quit = createQuitController({ shutdown, exit: vi.fn() });
    quit.onBeforeQuit(quitEvent());
    const second = quitEvent();
    quit.onBeforeQuit(second);
    expect(second.preventDefault).toHaveBeenCalled();
    expect(shutdown).toHaveBeenCalledOnce();
  });

  it('lets a quit through once the shutdown is done', async () => {
    const exit = vi.fn();
    const quit = createQuitController({ shutdown: () => Promise.resolve(), exit });
    quit.onBeforeQuit(quitEvent());
    await vi.waitFor(() => expect(exit).toHaveBeenCalled());
    const late = quitEvent();
    quit.onBeforeQuit(late);
    expect(late.preventDefault).not.toHaveBeenCalled();
  });

  it('exits 1 and logs when the shutdown fails', async () => {
    const exit = vi.fn();
    const log = vi.fn();
    const quit = createQuitController({
      shutdown: () => Promise.reject(new Error('kill failed')),
      exit,
      log,
    });
    quit.onBeforeQuit(quitEvent());
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
    expect(log).toHaveBeenCalledWith('shutdown failed', expect.any(Error));
  });

  it('exits 1 after the deadline when the shutdown hangs', async () => {
    vi.useFakeTimers();
    const exit = vi.fn();
    const log = vi.fn();
    const quit = createQuitController({
      shutdown: () => new Promise(() => undefined),
      exit,
      log,
      timeoutMs: 5000,
    });
    quit.onBeforeQuit(quitEvent());
    await vi.advanceTimersByTimeAsync(4999);
    expect(exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(log.mock.calls[0]?.[0]).toMatch(/did not finish within 5000 ms/);
  });
});
