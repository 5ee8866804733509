// One abort listener per signal: every subscriber is called once when it aborts, an unsubscribed one is
// not, and subscribing to an already-shared signal adds no second listener.
import { describe, expect, it, vi } from 'vitest';
import { onAbort } from './abort-hub';

describe('onAbort', () => {
  it('calls every subscriber once on abort, and not those that unsubscribed', () => {
    const ctl = new AbortController();
    const calls: string[] = [];
    onAbort(ctl.signal, () => calls.push('a'));
    const offB = onAbort(ctl.signal, () => calls.push('b'));
    onAbort(ctl.signal, () => calls.push('c'));
    offB();
    expect(calls).toEqual([]);
    ctl.abort();
    expect(calls).toEqual(['a', 'c']);
    ctl.abort();
    expect(calls).toEqual(['a', 'c']);
  });

  it('adds one listener to the signal however many subscribe, with once semantics', () => {
    const ctl = new AbortController();
    const add = vi.spyOn(ctl.signal, 'addEventListener');
    const offs = Array.from({ length: 50 }, () => onAbort(ctl.signal, () => {}));
    expect(add).toHaveBeenCalledTimes(1);
    expect(add).toHaveBeenCalledWith('abort', expect.any(Function), { once: true });
    for (const off of offs) off();
  });

  it('keeps signals apart: aborting one calls only its subscribers', () => {
    const one = new AbortController();
    const two = new AbortController();
    const calls: number[] = [];
    onAbort(one.signal, () => calls.push(1));
    onAbort(two.signal, () => calls.push(2));
    two.abort();
    expect(calls).toEqual([2]);
  });

  it('a subscriber that unsubscribes another during delivery does not stop the round', () => {
    const ctl = new AbortController();
    const calls: string[] = [];
    let offB: () => void = () => {};
    onAbort(ctl.signal, () => {
      calls.push('a');
      offB();
    });
    offB = onAbort(ctl.signal, () => calls.push('b'));
    ctl.abort();
    expect(calls).toEqual(['a', 'b']);
  });

  it('a late unsubscribe, after delivery, is harmless', () => {
    const ctl = new AbortController();
    const fn = vi.fn();
    const off = onAbort(ctl.signal, fn);
    ctl.abort();
    expect(() => off()).not.toThrow();
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
