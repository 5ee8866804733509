// Rebuilds a MinerError from whatever a transport rejected with: the preload rejects with a plain
// `{ name: 'MinerError', code, message, details }` object (contextBridge drops Error fields).
import { MinerError, isErrorCode } from '../../../shared/errors';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function toMinerError(err: unknown): MinerError {
  if (err instanceof MinerError) return err;
  if (isRecord(err) && typeof err.message === 'string') {
    const code = isErrorCode(err.code) ? err.code : 'INTERNAL';
    return new MinerError(code, err.message, err.details);
  }
  return new MinerError('INTERNAL', String(err));
}
