// The miners folder: `<minersDir>/xmrig/<version>/` for installed versions and `.hashdeck-*` work folders
// beside them (same file system, so making a version current is one rename). A work folder left by a
// crashed process is deleted by the next run; one of a live process (another HashDeck) is left alone.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { InstallError, storageError } from './errors';
import { compareVersionStrings, normalizeVersion } from './version-order';

export const MINER_TYPE = 'xmrig';
const WORK_DIR = /^\.hashdeck-(install|remove)-(\d+)-[0-9a-f]{8}$/;

export function typeDir(minersDir: string): string {
  return path.join(minersDir, MINER_TYPE);
}

/** The folder of a version; refuses anything but a plain version so no input can name another path. */
export function versionDir(minersDir: string, version: string): string {
  if (normalizeVersion(version) !== version) {
    throw new InstallError(
      'INVALID_INPUT',
      'invalid-version',
      `"${version}" is not an XMRig version (like 6.26.0)`,
    );
  }
  return path.join(typeDir(minersDir), version);
}

export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'xmrig.exe' : 'xmrig';
}

export async function makeWorkDir(minersDir: string, kind: 'install' | 'remove'): Promise<string> {
  const dir = path.join(minersDir, `.hashdeck-${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(minersDir, { recursive: true, mode: 0o700 });
    await mkdir(dir, { mode: 0o700 });
  } catch (err) {
    throw storageError(`create a work folder in ${minersDir}`, err);
  }
  return dir;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes work folders left by crashed installs or removals. `active` holds this process's folders in use;
 * folders of other live processes are kept (two HashDecks may share a miners folder).
 */
export async function cleanLeftovers(minersDir: string, active: ReadonlySet<string>): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(minersDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = WORK_DIR.exec(name);
    if (!m) continue;
    const dir = path.join(minersDir, name);
    const pid = Number(m[2]);
    if (active.has(dir)) continue;
    if (pid !== process.pid && processAlive(pid)) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `content` the folder of its version with one rename. An existing folder of that version is first
 * moved into `workDir` (returned, so a caller can put it back); the caller deletes `workDir` afterwards.
 */
export async function promote(
  content: string,
  target: string,
  workDir: string,
): Promise<{ replaced: string | null }> {
  try {
    await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  } catch (err) {
    throw storageError(`create ${path.dirname(target)}`, err);
  }
  let replaced: string | null = null;
  if (await exists(target)) {
    replaced = path.join(workDir, 'replaced');
    try {
      await rename(target, replaced);
    } catch (err) {
      throw storageError(`move the previous ${path.basename(target)} aside (is it running?)`, err);
    }
  }
  try {
    await rename(content, target);
  } catch (err) {
    if (replaced) await rename(replaced, target).catch(() => {});
    throw storageError(`move the new version into ${target}`, err);
  }
  return { replaced };
}

/** Undoes `promote` (registering the binary failed): the new folder goes back, the old one returns. */
export async function demote(target: string, workDir: string, replaced: string | null): Promise<void> {
  await rename(target, path.join(workDir, 'rejected')).catch(() =>
    rm(target, { recursive: true, force: true }),
  );
  if (replaced) await rename(replaced, target).catch(() => {});
  // The type folder was made for this install; leave no empty `xmrig/` behind (fails harmlessly if not empty).
  else await rmdir(path.dirname(target)).catch(() => {});
}

/** Version folder names under `<minersDir>/xmrig`, newest first. */
export async function installedVersionNames(minersDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(typeDir(minersDir));
  } catch {
    return [];
  }
  return names.filter((n) => normalizeVersion(n) === n).sort((a, b) => compareVersionStrings(b, a));
}
