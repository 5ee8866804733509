// Field-error maps shared by every form: zod issues and server INVALID_INPUT details both become
// { 'config.pool': 'message' } so each input can show the message meant for it.
import { z } from 'zod';
import { fieldErrors } from '../../../shared/schemas';
import { MinerError } from '../../../shared/errors';

export { messageOf } from '../format/message';

export type ErrorMap = Readonly<Record<string, string>>;

/** Keeps the first message per path (zod lists the most basic failure first). */
export function toErrorMap(errors: readonly { path: string; message: string }[]): ErrorMap {
  const map: Record<string, string> = {};
  for (const e of errors) map[e.path] ??= e.message;
  return map;
}

export function zodErrorMap(error: z.ZodError): ErrorMap {
  return toErrorMap(fieldErrors(error));
}

const detailsSchema = z.array(z.object({ path: z.string(), message: z.string() }));

/** Field errors carried by a server INVALID_INPUT error, or null for any other error. */
export function serverFieldErrors(err: unknown): ErrorMap | null {
  if (!(err instanceof MinerError) || err.code !== 'INVALID_INPUT') return null;
  const parsed = detailsSchema.safeParse(err.details);
  return parsed.success && parsed.data.length > 0 ? toErrorMap(parsed.data) : null;
}

/** Entries whose path is not one of `known` (shown at the form level so none is lost). */
export function unmatchedErrors(errors: ErrorMap, known: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([path]) => !known.includes(path))
    .map(([path, message]) => (path ? `${path}: ${message}` : message));
}
