// Error codes and the error shape that crosses every transport (IPC, HTTP, tests).
// Codes are a closed union so the UI can switch on them; `details` carries field errors or output.

export const ERROR_CODES = [
  'NOT_FOUND',
  'ALREADY_RUNNING',
  'INVALID_INPUT',
  'INVALID_STATE',
  'UNSUPPORTED',
  'BINARY_MISSING',
  'UNTRUSTED_BINARY',
  'SPAWN_FAILED',
  'MINER_API',
  'TIMEOUT',
  'SHUTTING_DOWN',
  'STORAGE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'INTERNAL',
  // Installer: a download failed (offline, rate-limited, cut), a check refused it, or the user cancelled.
  'NETWORK',
  'VERIFICATION_FAILED',
  'CANCELLED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class MinerError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'MinerError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into the wire shape; unknown errors become INTERNAL without leaking stacks. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof MinerError) return err.toPayload();
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}

/** HTTP status used by the headless transport for each code. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'NOT_FOUND':
      return 404;
    case 'ALREADY_RUNNING':
    case 'INVALID_STATE':
    case 'UNTRUSTED_BINARY':
      return 409;
    case 'INVALID_INPUT':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'UNSUPPORTED':
      return 501;
    case 'TIMEOUT':
      return 504;
    case 'MINER_API':
    case 'NETWORK':
      return 502;
    case 'VERIFICATION_FAILED':
      return 422;
    case 'CANCELLED':
      return 409;
    case 'SHUTTING_DOWN':
      return 503;
    default:
      return 500;
  }
}
