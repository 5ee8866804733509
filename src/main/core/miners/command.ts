// Turns a trusted miner binary into the command + argument array to spawn (never a shell string).
// No interpreter fallback: a script runs only if it is itself an executable the user trusted.
export interface Command {
  command: string;
  args: string[];
}

export function commandFor(binaryPath: string, args: readonly string[]): Command {
  return { command: binaryPath, args: [...args] };
}
