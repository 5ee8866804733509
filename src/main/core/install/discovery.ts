// Finds a miner executable: the user's explicit path, else the newest version in the app's miners
// folder (<minersDir>/<type>/<version>/<binary>), else PATH; otherwise says exactly where it looked.
import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { MinerError } from '../../../shared/errors';
import type { MinerType } from '../../../shared/schemas';
import { getAdapter } from '../miners/index';

export const MINER_DISPLAY_NAMES: Record<MinerType, string> = {
  xmrig: 'XMRig',
  ttminer: 'TT-Miner',
  simulated: 'Simulated miner',
};

export interface ResolveBinaryOptions {
  type: MinerType;
  explicitPath?: string | null;
  minersDir: string;
  pathEnv?: string;
  platform?: NodeJS.Platform;
}

const VERSION_DIR = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** Parses "6.26.0" or "v6.26.0" into numbers; null for anything else (e.g. "tmp", "6.26.0-rc1"). */
export function parseVersionDir(name: string): [number, number, number] | null {
  const m = VERSION_DIR.exec(name);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Numeric, component-wise comparison: 6.9.0 < 6.26.0 (a string sort gets this wrong). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Names that can run on this platform: .exe on Windows, the others elsewhere. */
export function platformBinaryNames(names: readonly string[], platform: NodeJS.Platform): string[] {
  const isExe = (n: string) => n.toLowerCase().endsWith('.exe');
  return names.filter((n) => (platform === 'win32' ? isExe(n) : !isExe(n)));
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Like `which`: on POSIX a PATH entry only counts when it is executable. */
async function isExecutableFile(p: string, platform: NodeJS.Platform): Promise<boolean> {
  if (!(await isFile(p))) return false;
  if (platform === 'win32') return true;
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findInMinersDir(typeDir: string, names: string[]): Promise<string | null> {
  let entries: string[];
  try {
    entries = await readdir(typeDir);
  } catch {
    return null;
  }
  const versions = entries
    .map((name) => ({ name, version: parseVersionDir(name) }))
    .filter((e): e is { name: string; version: [number, number, number] } => e.version !== null)
    .sort((a, b) => compareVersions(b.version, a.version));
  // Newest first; a version folder without the binary (a half-finished install) falls through to older ones.
  for (const { name } of versions) {
    for (const bin of names) {
      const candidate = path.join(typeDir, name, bin);
      if (await isFile(candidate)) return candidate;
    }
  }
  return null;
}

async function findOnPath(
  pathEnv: string,
  names: string[],
  platform: NodeJS.Platform,
): Promise<string | null> {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  for (const dir of pathEnv.split(pathApi.delimiter)) {
    // An empty entry means the current directory on POSIX; never pick up binaries from there.
    if (!dir || !pathApi.isAbsolute(dir)) continue;
    for (const bin of names) {
      const candidate = pathApi.join(dir, bin);
      if (await isExecutableFile(candidate, platform)) return candidate;
    }
  }
  return null;
}

export async function resolveBinary(opts: ResolveBinaryOptions): Promise<string> {
  const platform = opts.platform ?? process.platform;
  const pathEnv = opts.pathEnv ?? process.env.PATH ?? '';
  const display = MINER_DISPLAY_NAMES[opts.type];
  const adapter = getAdapter(opts.type);
  if (!adapter.needsBinary) {
    throw new MinerError('INVALID_INPUT', `${display} runs in-process and has no binary to find`);
  }

  if (opts.explicitPath) {
    const explicit = path.resolve(opts.explicitPath);
    if (await isFile(explicit)) return explicit;
    throw new MinerError('BINARY_MISSING', `${display} binary not found at ${opts.explicitPath}`, {
      path: opts.explicitPath,
    });
  }

  const names = platformBinaryNames(adapter.binaryNames, platform);
  const typeDir = path.join(opts.minersDir, opts.type);
  const fromFolder = await findInMinersDir(typeDir, names);
  if (fromFolder) return fromFolder;
  const fromPath = await findOnPath(pathEnv, names, platform);
  if (fromPath) return fromPath;

  throw new MinerError(
    'BINARY_MISSING',
    `${display} binary not found: looked for ${names.join(' or ')} in ${path.join(typeDir, '<version>')} and on PATH. ` +
      `Install ${display} from the Miners page or set the binary path in the miner's settings.`,
    { minersDir: typeDir, names },
  );
}
