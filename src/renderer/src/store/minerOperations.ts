// Runs one operation on a miner at a time from anywhere in the UI (a card, a row, "Stop all"): marks
// it pending (which disables that miner's buttons everywhere), records a failure as the miner's one
// error message, and clears that message when a later operation on the miner succeeds.
import { messageOf } from '../format/message';
import { useUiStore } from './uiStore';

export interface OperationOptions {
  /** Report a failure here instead of as the miner's error (a form that shows its own). */
  onError?: (message: string) => void;
}

export async function runMinerOperation<T>(
  id: string,
  op: string,
  fn: () => Promise<T>,
  options: OperationOptions = {},
): Promise<T | undefined> {
  const ui = useUiStore.getState();
  if (ui.pending[id]) return undefined;
  ui.setPending(id, op);
  try {
    const result = await fn();
    useUiStore.getState().setOpError(id, null);
    return result;
  } catch (err) {
    if (options.onError) options.onError(messageOf(err));
    else useUiStore.getState().setOpError(id, messageOf(err));
    return undefined;
  } finally {
    useUiStore.getState().setPending(id, null);
  }
}
