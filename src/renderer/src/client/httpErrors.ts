// Turns a failed HTTP response into the MinerError the headless server meant: `{ error: { code,
// message, details } }` when it sent one, otherwise a code guessed from the status.
import { MinerError, isErrorCode, type ErrorCode } from '../../../shared/errors';

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'INVALID_INPUT';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'INVALID_STATE';
    case 503:
      return 'SHUTTING_DOWN';
    case 504:
      return 'TIMEOUT';
    default:
      return 'INTERNAL';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function errorFromResponse(status: number, body: unknown): MinerError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error)) {
    const code = isErrorCode(error.code) ? error.code : codeForStatus(status);
    const message =
      typeof error.message === 'string' && error.message ? error.message : `Request failed (${status})`;
    return new MinerError(code, message, error.details);
  }
  return new MinerError(codeForStatus(status), `Request failed (${status})`);
}
