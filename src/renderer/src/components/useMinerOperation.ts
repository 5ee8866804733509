// A miner's operation state for components: what is in flight, its last error, and a runner.
import { useCallback } from 'react';
import { runMinerOperation, type OperationOptions } from '../store/minerOperations';
import { useUiStore } from '../store/uiStore';

export interface MinerOperation {
  pending: string | null;
  error: string | null;
  run: <T>(op: string, fn: () => Promise<T>, options?: OperationOptions) => Promise<T | undefined>;
  clearError: () => void;
}

export function useMinerOperation(id: string): MinerOperation {
  const pending = useUiStore((s) => s.pending[id] ?? null);
  const error = useUiStore((s) => s.opErrors[id] ?? null);
  const run = useCallback(
    <T>(op: string, fn: () => Promise<T>, options?: OperationOptions): Promise<T | undefined> =>
      runMinerOperation(id, op, fn, options),
    [id],
  );
  const clearError = useCallback(() => useUiStore.getState().setOpError(id, null), [id]);
  return { pending, error, run, clearError };
}
