// Asks a miner binary for its version (`--version`), without a shell and with a timeout, and parses
// XMRig's and TT-Miner's banners. Returns null rather than failing: a version is informative only.
import { execa } from 'execa';
import { commandFor } from '../miners/command';
import { minerEnvironment } from '../util/miner-env';

export interface ReadVersionOptions {
  timeoutMs?: number;
}

const XMRIG = /^XMRig (\d+\.\d+\.\d+)/;
const TTMINER = /TT-Miner[\s/v]*(\d+(?:\.\d+)+)/i;

/** Parses `XMRig 6.26.0` (first line, version.txt) or a TT-Miner banner such as `TT-Miner/2023.1.0`. */
export function parseVersionOutput(output: string): string | null {
  // Anchored at the start, and digits and dots never cross a line end: only the first line can match.
  const xmrig = XMRIG.exec(output.trimStart());
  if (xmrig?.[1]) return xmrig[1];
  const tt = TTMINER.exec(output);
  return tt?.[1] ?? null;
}

export async function readVersion(
  binaryPath: string,
  options: ReadVersionOptions = {},
): Promise<string | null> {
  const { command, args } = commandFor(binaryPath, ['--version']);
  try {
    const result = await execa(command, args, {
      timeout: options.timeoutMs ?? 5000,
      env: minerEnvironment(),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      windowsHide: true,
      // A real banner is a few hundred bytes; never buffer a runaway binary's output.
      maxBuffer: 64 * 1024,
    });
    if (result.timedOut) return null;
    // When the spawn itself fails (a NUL in the path) execa leaves both undefined; the catch makes that null.
    return parseVersionOutput(result.stdout) ?? parseVersionOutput(result.stderr);
  } catch {
    return null;
  }
}
