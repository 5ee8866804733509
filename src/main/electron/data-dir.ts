// Makes sure the data folder exists and is a writable folder before anything relies on it: Electron's
// single-instance lock lives inside it, and a lock that fails there looks exactly like "another instance runs".
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type DataDirCheck = { ok: true } | { ok: false; error: string };

/** Folders HashDeck creates hold wallets and tokens: only the user may read them. */
const DIR_MODE = 0o700;

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

function notAFolder(path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${path} is not a folder`);
  err.code = 'ENOTDIR';
  err.path = path;
  return err;
}

/** The nearest ancestor of `path` that exists but is not a folder (what makes `path` impossible). */
function fileAbove(path: string): string {
  for (let current = dirname(path); current !== dirname(current); current = dirname(current)) {
    try {
      if (!statSync(current).isDirectory()) return current;
    } catch {
      // not there or not reachable: look further up
    }
  }
  return path;
}

/**
 * `mkdir -p` one level at a time. Node's own recursive mkdir never returns for some paths it cannot
 * create (a folder under /proc loops forever on Node 20), and a start-up that hangs tells nobody anything.
 */
export function makeDirs(dir: string, mode = DIR_MODE): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw notAFolder(current);
      break;
    } catch (err) {
      if (codeOf(err) === 'ENOTDIR') throw notAFolder(fileAbove(current));
      if (codeOf(err) !== 'ENOENT') throw err;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path, { mode });
    } catch (err) {
      // Another process may create it between our stat and mkdir; a folder that exists now is fine.
      if (codeOf(err) !== 'EEXIST' || !statSync(path).isDirectory()) throw err;
    }
  }
}

function explain(dir: string, err: unknown): string {
  const path = (typeof err === 'object' && err !== null && 'path' in err && String(err.path)) || dir;
  switch (codeOf(err)) {
    case 'ENOTDIR':
    case 'EEXIST':
      return `"${path}" is a file, not a folder.`;
    case 'EACCES':
    case 'EPERM':
      return `HashDeck is not allowed to write to "${path}" (permission denied).`;
    case 'EROFS':
      return `"${path}" is on a read-only disk.`;
    case 'ENOSPC':
      return `The disk holding "${path}" is full.`;
    default:
      return `"${path}" cannot be used: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Creates `dir` (0700) when missing and proves it is a folder we can write to by creating and removing
 * a file in it; root passes permission checks that writes would still fail (read-only mounts), so a real
 * write is the only honest test.
 */
export function prepareDataDir(dir: string): DataDirCheck {
  try {
    makeDirs(dir);
    if (!statSync(dir).isDirectory()) throw notAFolder(dir);
    const probe = join(dir, `.hashdeck-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      error: `The data folder cannot be used. ${explain(dir, err)}\n\nChoose another folder with --data-dir.`,
    };
  }
}
