// Extracts a .tar.gz with node-tar's streaming parser, writing only regular files and folders whose
// paths stay inside the target; links of any kind and special files are refused, sizes are bounded.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { InstallError, cancelledError, storageError } from './errors';
import { safeEntrySegments, unsafeEntry } from './entry-path';
import type { ExtractLimits, ExtractedFile } from './extract-types';

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

function fileMode(mode: number | undefined): number {
  // Keep the executable bits the archive gives, never setuid/setgid/sticky or group/other write.
  return ((mode ?? 0o644) & 0o755) | 0o600;
}

function writeEntry(entry: ReadEntry, dest: string, mode: number, open: Set<WriteStream>): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(dest, { flags: 'wx', mode });
    open.add(out);
    out.on('error', (err) => {
      entry.resume();
      reject(storageError(`write ${dest}`, err));
    });
    out.on('close', () => {
      open.delete(out);
      resolve();
    });
    entry.pipe(out);
  });
}

export async function extractTarGz(
  archive: string,
  target: string,
  limits: ExtractLimits,
  signal?: AbortSignal,
): Promise<ExtractedFile[]> {
  const parser = new Parser({ strict: true });
  const files: ExtractedFile[] = [];
  // Stryker disable next-line ArrayDeclaration: equivalent, Promise.all and allSettled pass a stray string
  const writes: Promise<void>[] = [];
  const open = new Set<WriteStream>();
  let entries = 0;
  let totalBytes = 0;
  let failure: Error | null = null;
  let rejectFailure!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => (rejectFailure = reject));
  failed.catch(() => {});
  const fail = (err: Error) => {
    if (failure) return;
    failure = err;
    rejectFailure(err);
  };

  const handle = (entry: ReadEntry) => {
    if (failure) return void entry.resume();
    try {
      entries++;
      if (entries > limits.maxEntries) {
        throw new InstallError(
          'VERIFICATION_FAILED',
          'corrupt-archive',
          `The archive has more than ${limits.maxEntries} entries. Refused.`,
        );
      }
      const segments = safeEntrySegments(entry.path);
      if (entry.type === 'Directory') {
        entry.resume();
        if (segments.length > 0) {
          const dir = path.join(target, ...segments);
          writes.push(
            mkdir(dir, { recursive: true }).then(
              () => {},
              (err: unknown) => fail(storageError(`create ${dir}`, err)),
            ),
          );
        }
        return;
      }
      if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
        throw unsafeEntry(
          entry.path,
          `${entry.type === 'Link' ? 'hard' : 'symbolic'} link to ${entry.linkpath ?? '?'}`,
        );
      }
      if (!FILE_TYPES.has(entry.type)) throw unsafeEntry(entry.path, `special file (${entry.type})`);
      if (segments.length === 0) throw unsafeEntry(entry.path, 'file without a name');
      totalBytes += entry.size;
      if (totalBytes > limits.maxTotalBytes) {
        throw new InstallError(
          'VERIFICATION_FAILED',
          'corrupt-archive',
          `The archive unpacks to more than ${limits.maxTotalBytes} bytes. Refused.`,
        );
      }
      const rel = segments.join('/');
      const dest = path.join(target, ...segments);
      const mode = fileMode(entry.mode);
      files.push({ path: rel, mode });
      writes.push(
        mkdir(path.dirname(dest), { recursive: true })
          .then(() => {
            // A refusal may have come while the folder was being made: write nothing more.
            if (!failure) return writeEntry(entry, dest, mode, open);
            entry.resume();
          })
          .catch((err: Error) =>
            fail(err instanceof InstallError ? err : storageError(`write ${dest}`, err)),
          ),
      );
    } catch (err) {
      entry.resume();
      fail(err as Error);
    }
  };

  parser.on('entry', handle);
  parser.on('error', (err: Error) =>
    fail(
      new InstallError(
        'VERIFICATION_FAILED',
        'corrupt-archive',
        `The archive is not a valid tar.gz: ${err.message}`,
      ),
    ),
  );
  const ended = new Promise<void>((resolve) => parser.on('end', () => resolve()));

  // Stryker disable next-line ObjectLiteral: equivalent, only the chunk size (speed) changes
  const input = createReadStream(archive, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw cancelledError();
      // Stryker disable next-line ConditionalExpression: equivalent, handle() skips every entry after a failure
      if (failure) break;
      // Stryker disable next-line BlockStatement: equivalent, the parser buffers what it cannot take (memory only)
      if (!parser.write(chunk)) {
        await Promise.race([new Promise((r) => parser.once('drain', r)), failed]);
      }
    }
    // Stryker disable next-line ConditionalExpression: equivalent, after a failure the race below rejects at once
    if (!failure) {
      parser.end();
      await Promise.race([ended, failed]);
    }
    await Promise.race([Promise.all(writes), failed]);
  } catch (err) {
    // (for await closes the file when the loop ends, breaks or throws)
    fail(err as Error);
  }
  if (failure) {
    // Close what is still being written so the caller can delete the folder at once.
    for (const out of open) out.destroy();
    await Promise.allSettled(writes);
    throw failure;
  }
  return files;
}
