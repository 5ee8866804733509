// Dispatch of the headless command line: a first word names a subcommand (see subcommands.ts); without
// one the server starts. Kept apart from cli.ts (the entry point, which runs on import) so tests can call it.
import { serve } from './serve';
import { SERVE_USAGE, UsageError } from './serve-options';
import { SUBCOMMANDS, type Subcommand } from './subcommands';

export function usage(subcommands: Readonly<Record<string, Subcommand>> = SUBCOMMANDS): string {
  const subs = Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(18)}${s.summary}`);
  return subs.length === 0 ? SERVE_USAGE : `${SERVE_USAGE}\nCommands:\n${subs.join('\n')}`;
}

/** Runs one invocation; resolves with an exit code, or null while the server keeps the process alive. */
export async function runCli(
  argv: string[],
  subcommands: Readonly<Record<string, Subcommand>> = SUBCOMMANDS,
): Promise<number | null> {
  const [first, ...rest] = argv;
  if (first !== undefined && !first.startsWith('-')) {
    const sub = Object.hasOwn(subcommands, first) ? subcommands[first] : undefined;
    if (!sub) throw new UsageError(`unknown command "${first}"\n${usage(subcommands)}`);
    return sub.run(rest);
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage(subcommands));
    return 0;
  }
  await serve(argv);
  return null;
}
