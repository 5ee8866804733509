import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the first call at once', () => {
    const fn = vi.fn();
    throttle(fn, 1000)();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('folds a burst into one trailing call at the end of the interval', () => {
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    t();
    for (let i = 0; i < 10; i += 1) t();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(999);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('never runs more than once per interval under a steady stream', () => {
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    for (let ms = 0; ms < 10_000; ms += 100) {
      t();
      vi.advanceTimersByTime(100);
    }
    expect(fn.mock.calls.length).toBeLessThanOrEqual(11);
    expect(fn.mock.calls.length).toBeGreaterThanOrEqual(10);
  });

  it('runs immediately again after a quiet interval', () => {
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    t();
    vi.advanceTimersByTime(5000);
    t();
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('drops the trailing call when cancelled', () => {
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    t();
    t();
    t.cancel();
    vi.advanceTimersByTime(2000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
