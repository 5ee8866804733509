// Reads and writes one validated JSON file. Anything but a small regular file we can read (a symlink,
// FIFO, directory, oversized or corrupt file) is moved aside or left alone with a notice that never echoes
// its contents; the caller gets defaults. An unreadable file is reported, never fatal, never overwritten.
import { constants, type Stats } from 'node:fs';
import { lstat, open, rename } from 'node:fs/promises';
import type { z } from 'zod';
import { MinerError } from '../../../shared/errors';
import { atomicWrite } from '../util/atomic-write';

/** Settings and profiles are a few KiB; anything this large is not ours. */
export const MAX_JSON_FILE_BYTES = 4 * 1024 * 1024;

// O_NOFOLLOW: a symlink swapped in after lstat fails to open (ELOOP) instead of being followed.
// O_NONBLOCK: a FIFO swapped in after lstat opens at once instead of blocking until a writer appears.
// Both are 0 where the platform lacks them (Windows has neither FIFOs nor this kind of symlink race).
const SAFE_READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface LoadResult<T> {
  value: T;
  /** Set when the file could not be used (moved aside, or left alone because it is unreadable): tell the user. */
  notice: string | null;
}

/** The file turned out not to be one we may read; `what` describes it without its contents. */
class UnusableFile extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'unknown error';
}

function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isBlockDevice() || info.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}

function describeErrno(code: string): string {
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code;
}

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function tooLarge(bytes: number | null): UnusableFile {
  const size = bytes === null ? `over ${mib(MAX_JSON_FILE_BYTES)}` : mib(bytes);
  return new UnusableFile(`it is ${size} MiB, larger than the ${mib(MAX_JSON_FILE_BYTES)} MiB limit`);
}

/**
 * Reads a regular file of at most MAX_JSON_FILE_BYTES through a descriptor that cannot be a symlink or
 * block, and checks the descriptor is the very file lstat saw (nothing swapped in between).
 */
async function readSmallRegularFile(path: string, seen: Stats): Promise<string> {
  let handle;
  try {
    handle = await open(path, SAFE_READ_FLAGS);
  } catch (err) {
    if (errnoOf(err) === 'ELOOP') throw new UnusableFile('it is a symbolic link');
    throw err;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UnusableFile(`it is ${kindOf(info)}`);
    if (info.ino !== seen.ino || info.dev !== seen.dev)
      throw new UnusableFile('it was replaced while being read');
    // One byte more than the limit tells "exactly the limit" from "grew past it since lstat".
    // Stryker disable next-line MethodExpression: equivalent, a larger buffer only costs memory (reads stop at end of file)
    const buffer = Buffer.alloc(Math.min(info.size, MAX_JSON_FILE_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_JSON_FILE_BYTES) throw tooLarge(null);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** What is wrong with the JSON, without quoting it (V8's messages quote the text they choke on). */
function describeJsonError(err: unknown): string {
  const position = /position (\d+)/.exec((err as Error).message)?.[1];
  return position === undefined ? 'not valid JSON' : `not valid JSON (at character ${position})`;
}

/** Schema field names are ours; a key made up by the file is not quoted back. */
function describeIssuePath(path: readonly PropertyKey[]): string {
  const safe = path.every((p) => typeof p === 'number' || /^[A-Za-z][\w-]{0,39}$/.test(String(p)));
  return safe && path.length > 0 ? path.join('.') : 'file';
}

async function moveAside<T>(
  path: string,
  reason: string,
  tag: string,
  now: () => Date,
  fallback: () => T,
): Promise<LoadResult<T>> {
  const aside = `${path}.${tag}-${stamp(now())}`;
  try {
    await rename(path, aside);
  } catch (err) {
    return {
      value: fallback(),
      notice:
        `${path} was not used (${reason}) and could not be moved aside (${describeErrno(errnoOf(err))}). ` +
        'Defaults are used; the file is left as it is and changes will not be saved over it.',
    };
  }
  return {
    value: fallback(),
    notice: `${path} was not used (${reason}). It was moved to ${aside} and defaults are used; nothing was deleted.`,
  };
}

function unreadable<T>(path: string, code: string, fallback: () => T): LoadResult<T> {
  return {
    value: fallback(),
    notice:
      `${path} could not be read (${describeErrno(code)}). Defaults are used for now; the file is left ` +
      'untouched and changes will not be saved over it. Fix its permissions, then restart HashDeck.',
  };
}

export async function loadJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  fallback: () => z.output<S>,
  now: () => Date = () => new Date(),
): Promise<LoadResult<z.output<S>>> {
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (err) {
    const code = errnoOf(err);
    if (code === 'ENOENT') return { value: fallback(), notice: null };
    return unreadable(path, code, fallback);
  }
  if (!info.isFile()) return moveAside(path, `it is ${kindOf(info)}`, 'unsafe', now, fallback);
  if (info.size > MAX_JSON_FILE_BYTES)
    return moveAside(path, tooLarge(info.size).what, 'oversized', now, fallback);

  let text: string;
  try {
    text = await readSmallRegularFile(path, info);
  } catch (err) {
    if (err instanceof UnusableFile) return moveAside(path, err.what, 'unsafe', now, fallback);
    return unreadable(path, errnoOf(err), fallback);
  }
  let problem: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { value: parsed.data, notice: null };
    // A failed parse always carries at least one issue, and every issue has a message.
    const issue = parsed.error.issues[0]!;
    problem = `${describeIssuePath(issue.path)}: ${issue.message}`;
  } catch (err) {
    problem = describeJsonError(err);
  }
  return moveAside(path, `could not be read: ${problem}`, 'corrupt', now, fallback);
}

/**
 * Refuses to replace what we must not: something that is not a regular file (left where load could not
 * move it) or a file this user cannot read (load reported it; its owner decides what happens to it).
 */
async function assertReplaceable(path: string): Promise<void> {
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    throw new MinerError(
      'STORAGE',
      `${path} cannot be checked (${describeErrno(errnoOf(err))}); nothing was saved.`,
    );
  }
  if (!info.isFile()) {
    throw new MinerError(
      'STORAGE',
      `${path} is ${kindOf(info)}, not a regular file; it was left alone and nothing was saved. Move it away, then try again.`,
    );
  }
  try {
    await (await open(path, SAFE_READ_FLAGS)).close();
  } catch (err) {
    throw new MinerError(
      'STORAGE',
      `${path} cannot be read (${describeErrno(errnoOf(err))}), so it is not overwritten and nothing was saved. Fix its permissions, then try again.`,
    );
  }
}

export async function saveJsonFile(path: string, value: unknown): Promise<void> {
  await assertReplaceable(path);
  await atomicWrite(path, `${JSON.stringify(value, null, 2)}\n`);
}
