// Runs one operation on a miner at a time from the UI: marks the miner pending in the ui slice (which
// disables its buttons everywhere), keeps the error message for inline display, and clears both.
import { useCallback, useState } from 'react';
import { messageOf } from '../forms/fieldErrors';
import { useUiStore } from '../store/uiStore';

export interface MinerOperation {
  pending: string | null;
  error: string | null;
  run: <T>(op: string, fn: () => Promise<T>) => Promise<T | undefined>;
  clearError: () => void;
}

export function useMinerOperation(id: string): MinerOperation {
  const pending = useUiStore((s) => s.pending[id] ?? null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <T>(op: string, fn: () => Promise<T>): Promise<T | undefined> => {
      const ui = useUiStore.getState();
      if (ui.pending[id]) return undefined;
      ui.setPending(id, op);
      setError(null);
      try {
        return await fn();
      } catch (err) {
        setError(messageOf(err));
        return undefined;
      } finally {
        useUiStore.getState().setPending(id, null);
      }
    },
    [id],
  );
  const clearError = useCallback(() => setError(null), []);
  return { pending, error, run, clearError };
}
