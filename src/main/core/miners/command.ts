// Turns a resolved miner binary into the command + argument array to spawn (never a shell string).
// Scripts (.js/.mjs/.cjs, e.g. the fake miners in test/fakes) run through this Node binary on every OS.
import process from 'node:process';

const SCRIPT = /\.(?:m|c)?js$/i;

export interface Command {
  command: string;
  args: string[];
}

/** A .js/.mjs/.cjs path runs as `node <script> ...args`, because Windows cannot execute scripts directly. */
export function commandFor(binaryPath: string, args: readonly string[]): Command {
  if (SCRIPT.test(binaryPath)) return { command: process.execPath, args: [binaryPath, ...args] };
  return { command: binaryPath, args: [...args] };
}
