// Reads and writes one validated JSON file. A file that does not parse or validate is moved aside
// with a timestamp (never silently overwritten) and the caller gets defaults plus a notice to show.
import { readFile, rename } from 'node:fs/promises';
import type { z } from 'zod';
import { atomicWrite } from '../util/atomic-write';

export interface LoadResult<T> {
  value: T;
  /** Set when the file was corrupt and moved aside: tell the user. */
  notice: string | null;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

export async function loadJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  fallback: () => z.output<S>,
  now: () => Date = () => new Date(),
): Promise<LoadResult<z.output<S>>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: fallback(), notice: null };
    throw err;
  }
  let problem: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { value: parsed.data, notice: null };
    const issue = parsed.error.issues[0];
    problem = `${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`;
  } catch (err) {
    problem = `not valid JSON (${(err as Error).message})`;
  }
  const aside = `${path}.corrupt-${stamp(now())}`;
  await rename(path, aside);
  return {
    value: fallback(),
    notice: `${path} could not be read (${problem}). It was moved to ${aside} and defaults are used; nothing was deleted.`,
  };
}

export function saveJsonFile(path: string, value: unknown): Promise<void> {
  return atomicWrite(path, `${JSON.stringify(value, null, 2)}\n`);
}
