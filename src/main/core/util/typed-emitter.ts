// A minimal typed event emitter: listeners are keyed by event name with payload types checked, and a
// throwing listener is isolated so one bad subscriber cannot break the engine's bookkeeping.

export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  protected emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (err) {
        queueMicrotask(() => {
          // Surface the bug without unwinding the engine's state update.
          console.error(`listener for "${String(event)}" threw`, err);
        });
      }
    }
  }
}
