// The headless CLI's subcommands: `npm run headless -- <word> ...` runs the module registered here under
// <word>; with no word (only --options) the server starts. Each subcommand returns the process's exit code.
export interface Subcommand {
  /** One line for the usage text. */
  summary: string;
  run(argv: string[]): Promise<number>;
}

import { runInstallCommand } from './install-cli';
import { runTrustCommand } from './trust-cli';

export const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  trust: {
    summary: 'choose which miner binaries HashDeck may run (add, list, remove)',
    run: (argv) => runTrustCommand(argv),
  },
  install: {
    summary: 'download, verify and install XMRig (install xmrig [--version V])',
    run: (argv) => runInstallCommand(argv),
  },
};
