// `npm run headless -- [subcommand] [options]`: a first word names a subcommand (see subcommands.ts);
// without one, the server starts. Usage errors print a clear message and exit with status 1.
import { serve } from './serve';
import { SERVE_USAGE, UsageError } from './serve-options';
import { SUBCOMMANDS } from './subcommands';

function usage(): string {
  const subs = Object.entries(SUBCOMMANDS).map(([name, s]) => `  ${name.padEnd(18)}${s.summary}`);
  return subs.length === 0 ? SERVE_USAGE : `${SERVE_USAGE}\nCommands:\n${subs.join('\n')}`;
}

/** Runs one invocation; resolves with an exit code, or null while the server keeps the process alive. */
export async function runCli(argv: string[]): Promise<number | null> {
  const [first, ...rest] = argv;
  if (first !== undefined && !first.startsWith('-')) {
    const sub = Object.hasOwn(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined;
    if (!sub) throw new UsageError(`unknown command "${first}"\n${usage()}`);
    return sub.run(rest);
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return 0;
  }
  await serve(argv);
  return null;
}

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
