// The logs slice: one bounded LogBuffer per miner outside React state, plus a per-miner version
// number so the console re-renders only when its own miner's lines change.
import { create } from 'zustand';
import type { LogLine } from '../../../shared/model';
import { LogBuffer } from './logBuffer';

export interface LogsState {
  versions: Readonly<Record<string, number>>;
  buffers: ReadonlyMap<string, LogBuffer>;
  append: (id: string, lines: readonly LogLine[]) => void;
  merge: (id: string, lines: readonly LogLine[]) => void;
  drop: (id: string) => void;
  reset: () => void;
}

export const useLogsStore = create<LogsState>()((set) => {
  const buffers = new Map<string, LogBuffer>();
  const bufferFor = (id: string): LogBuffer => {
    let b = buffers.get(id);
    if (!b) {
      b = new LogBuffer();
      buffers.set(id, b);
    }
    return b;
  };
  const bump = (id: string): void =>
    set((s) => ({ versions: { ...s.versions, [id]: (s.versions[id] ?? 0) + 1 } }));
  return {
    versions: {},
    buffers,
    append: (id, lines) => {
      if (bufferFor(id).append(lines) > 0) bump(id);
    },
    merge: (id, lines) => {
      if (bufferFor(id).merge(lines)) bump(id);
    },
    drop: (id) => {
      if (!buffers.delete(id)) return;
      set((s) => {
        const { [id]: _dropped, ...versions } = s.versions;
        return { versions };
      });
    },
    reset: () => {
      buffers.clear();
      set({ versions: {} });
    },
  };
});

/** The lines of one miner, recomputed only when that miner's version changes. */
export function logLinesOf(id: string | null): LogLine[] {
  if (!id) return [];
  return useLogsStore.getState().buffers.get(id)?.toArray() ?? [];
}
