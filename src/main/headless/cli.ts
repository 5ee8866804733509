// `npm run headless -- [subcommand] [options]`: the entry point of out/main/headless.js. Errors print one
// clear line and exit with status 1; a subcommand's result is the exit status; the server keeps running.
import { runCli } from './run-cli';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
