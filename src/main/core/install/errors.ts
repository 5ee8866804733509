// Installer failures: a MinerError whose details carry a closed `reason`, so the UI and the API can say
// exactly what went wrong (offline, rate-limited, bad signature, quarantined...) and what to do about it.
import { MinerError, type ErrorCode } from '../../../shared/errors';
import { INSTALL_FAILURES, type InstallFailure } from '../../../shared/installs';

export interface InstallErrorDetails {
  reason: InstallFailure;
  [key: string]: unknown;
}

export class InstallError extends MinerError {
  readonly reason: InstallFailure;

  constructor(code: ErrorCode, reason: InstallFailure, message: string, extra: Record<string, unknown> = {}) {
    super(code, message, { ...extra, reason } satisfies InstallErrorDetails);
    this.name = 'InstallError';
    this.reason = reason;
  }
}

/** The failure reason of any error thrown by the installer, or null when it is not an install failure. */
export function installFailureOf(err: unknown): InstallFailure | null {
  // An InstallError carries its reason in its details too (its constructor puts it there).
  if (err instanceof MinerError) {
    const reason = (err.details as Partial<InstallErrorDetails> | undefined)?.reason;
    return (INSTALL_FAILURES as readonly unknown[]).includes(reason) ? (reason as InstallFailure) : null;
  }
  return null;
}

export const cancelledError = () =>
  new InstallError('CANCELLED', 'cancelled', 'The XMRig install was cancelled');

/** Wraps a file-system failure in the installer's own terms without hiding the OS message. */
export function storageError(what: string, err: unknown): InstallError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return new InstallError('STORAGE', 'storage', `Could not ${what}: ${message}`, code ? { errno: code } : {});
}
