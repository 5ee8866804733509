// The identity of an executable on disk: resolved real path, size, mtime and SHA-256 (streamed, so a
// 100 MB miner never sits in memory). Used to record a trusted binary and to check it before each spawn.
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, lstat, realpath, stat } from 'node:fs/promises';
import { MinerError } from '../../../shared/errors';

export interface FileIdentity {
  /** Absolute path with every symlink resolved: what will actually be executed. */
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** Miner binaries are tens of MB; anything far beyond is not a miner we want to hash on every start. */
export const MAX_BINARY_BYTES = 512 * 1024 * 1024;

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Resolves and checks a path the LOCAL user chose (a dialog, a terminal command): it must be a regular,
 * executable file of sane size. Throws BINARY_MISSING / INVALID_INPUT with a sentence a person can act on.
 */
export async function statExecutable(
  inputPath: string,
  platform: NodeJS.Platform = process.platform,
): Promise<{ path: string; size: number; mtimeMs: number }> {
  let real: string;
  try {
    real = await realpath(inputPath);
  } catch {
    throw new MinerError('BINARY_MISSING', `No file at ${inputPath}`, { path: inputPath });
  }
  const info = await lstat(real);
  if (!info.isFile()) throw new MinerError('INVALID_INPUT', `${real} is not a regular file`, { path: real });
  if (info.size === 0) throw new MinerError('INVALID_INPUT', `${real} is empty`, { path: real });
  if (info.size > MAX_BINARY_BYTES) {
    throw new MinerError('INVALID_INPUT', `${real} is larger than ${MAX_BINARY_BYTES >> 20} MiB`, {
      path: real,
    });
  }
  if (platform !== 'win32') {
    try {
      await access(real, constants.X_OK);
    } catch {
      throw new MinerError('INVALID_INPUT', `${real} is not executable (chmod +x it first)`, { path: real });
    }
  }
  return { path: real, size: info.size, mtimeMs: info.mtimeMs };
}

export async function identify(inputPath: string, platform?: NodeJS.Platform): Promise<FileIdentity> {
  const info = await statExecutable(inputPath, platform);
  return { ...info, sha256: await sha256File(info.path) };
}

/** Size and mtime of the file now, or null when it is gone (deleted, quarantined by antivirus). */
export async function quickStat(
  path: string,
): Promise<{ size: number; mtimeMs: number; isFile: boolean } | null> {
  try {
    const info = await stat(path);
    return { size: info.size, mtimeMs: info.mtimeMs, isFile: info.isFile() };
  } catch {
    return null;
  }
}
