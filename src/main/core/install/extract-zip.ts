// Extracts a .zip with yauzl one entry at a time, writing only regular files and folders whose paths stay
// inside the target; symlinks, encrypted entries and oversized archives are refused.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { InstallError, cancelledError, storageError } from './errors';
import { safeEntrySegments, unsafeEntry } from './entry-path';
import type { ExtractLimits, ExtractedFile } from './extract-types';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

function corrupt(message: string): InstallError {
  return new InstallError(
    'VERIFICATION_FAILED',
    'corrupt-archive',
    `The archive is not a valid zip: ${message}`,
  );
}

/** yauzl validates names itself; its refusals are path escapes, anything else is a broken archive. */
function mapYauzlError(err: Error): InstallError {
  if (err instanceof InstallError) return err;
  // Stryker disable next-line Regex: equivalent, yauzl's messages start with these words; /s lets .* reach the end
  const m = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(err.message);
  // Both groups always match when the expression does.
  if (m) return unsafeEntry(m[2]!, m[1]!);
  return corrupt(err.message);
}

function openZip(archive: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      archive,
      {
        lazyEntries: true,
        autoClose: true,
        decodeStrings: true,
        validateEntrySizes: true,
        strictFileNames: false,
      },
      // yauzl gives a zip or an error, never both: the fallback error only keeps the types honest.
      (err, zip) => (zip ? resolve(zip) : reject(mapYauzlError(err ?? new Error('no zip')))),
    );
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) =>
      stream ? resolve(stream) : reject(mapYauzlError(err ?? new Error('no stream'))),
    );
  });
}

/** The Unix mode when the entry was made on Unix (version made by, high byte 3), else null. */
function unixMode(entry: yauzl.Entry): number | null {
  if (entry.versionMadeBy >> 8 !== 3) return null;
  return (entry.externalFileAttributes >>> 16) & 0xffff;
}

export async function extractZip(
  archive: string,
  target: string,
  limits: ExtractLimits,
  signal?: AbortSignal,
): Promise<ExtractedFile[]> {
  const zip = await openZip(archive);
  const files: ExtractedFile[] = [];
  let entries = 0;
  let totalBytes = 0;

  const handle = async (entry: yauzl.Entry): Promise<void> => {
    if (signal?.aborted) throw cancelledError();
    entries++;
    if (entries > limits.maxEntries) {
      throw corrupt(`more than ${limits.maxEntries} entries`);
    }
    const segments = safeEntrySegments(entry.fileName);
    const mode = unixMode(entry);
    // Stryker disable next-line ConditionalExpression: equivalent, type 0 (no type bits) is read as "no type" too
    const type = mode === null ? null : mode & S_IFMT;
    if (type === S_IFLNK) throw unsafeEntry(entry.fileName, 'symbolic link');
    const isDir = entry.fileName.endsWith('/') || type === S_IFDIR;
    if (isDir) {
      if (segments.length === 0) return;
      const dir = path.join(target, ...segments);
      // A folder that cannot be made is the disk's fault (as for files), not a broken archive.
      await mkdir(dir, { recursive: true }).catch((err: unknown) => {
        throw storageError(`create ${dir}`, err);
      });
      return;
    }
    if (type !== null && type !== 0 && type !== S_IFREG) throw unsafeEntry(entry.fileName, 'special file');
    if (entry.isEncrypted()) throw corrupt(`${entry.fileName} is encrypted`);
    if (segments.length === 0) throw unsafeEntry(entry.fileName, 'file without a name');
    totalBytes += entry.uncompressedSize;
    if (totalBytes > limits.maxTotalBytes)
      throw corrupt(`it unpacks to more than ${limits.maxTotalBytes} bytes`);
    const dest = path.join(target, ...segments);
    const fileMode = ((mode ?? 0o644) & 0o755) | 0o600;
    try {
      await mkdir(path.dirname(dest), { recursive: true });
    } catch (err) {
      throw storageError(`create ${path.dirname(dest)}`, err);
    }
    const input = await openEntry(zip, entry);
    try {
      await pipeline(input, createWriteStream(dest, { flags: 'wx', mode: fileMode }), { signal });
    } catch (err) {
      if (signal?.aborted) throw cancelledError();
      const code = (err as NodeJS.ErrnoException).code;
      // yauzl reports a corrupt body (bad size, inflate error) on the read side; the write side has errnos.
      throw code && code.startsWith('E') ? storageError(`write ${dest}`, err) : mapYauzlError(err as Error);
    }
    files.push({ path: segments.join('/'), mode: fileMode });
  };

  // A promise settles once and close() is idempotent; the flag only stops reading after a failure. yauzl
  // closes the file itself at the end (autoClose), and stop() closes it on a failure.
  await new Promise<void>((resolve, reject) => {
    let stopped = false;
    const stop = (err: unknown) => {
      stopped = true;
      zip.close();
      reject(mapYauzlError(err as Error));
    };
    zip.on('entry', (entry: yauzl.Entry) => {
      handle(entry).then(() => {
        if (!stopped) zip.readEntry();
      }, stop);
    });
    zip.on('error', stop);
    zip.on('end', () => resolve());
    zip.readEntry();
  });
  return files;
}
