// One 'abort' listener per signal, however many requests share it: the collector's tick deadline serves
// 100-200 requests, and adding/removing that many EventTarget listeners cost more than the requests'
// own parsing (bench/manager-overhead). Callbacks live in a Set: O(1) to add and remove.
const hubs = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` once when `signal` aborts; returns the unsubscribe. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = hubs.get(signal);
  if (!set) {
    const callbacks = new Set<() => void>();
    set = callbacks;
    hubs.set(signal, callbacks);
    signal.addEventListener(
      'abort',
      () => {
        for (const cb of [...callbacks]) cb();
        callbacks.clear();
      },
      { once: true },
    );
  }
  set.add(fn);
  const owner = set;
  return () => owner.delete(fn);
}
