// Command-line options of the desktop app. Only `--data-dir DIR` (or `--data-dir=DIR`) for now; Chromium
// and Electron add switches of their own, so anything else is ignored rather than rejected.
import { resolve } from 'node:path';

export type ParsedArgs = { ok: true; dataDir: string | null } | { ok: false; error: string };

const FLAG = '--data-dir';

export function parseArgs(argv: readonly string[], cwd: string): ParsedArgs {
  let dataDir: string | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    let value: string | undefined;
    if (arg === FLAG) {
      value = argv[i + 1];
      i += 1;
    } else if (arg.startsWith(`${FLAG}=`)) {
      value = arg.slice(FLAG.length + 1);
    } else {
      continue;
    }
    if (value === undefined || value.trim() === '' || value.startsWith('--')) {
      return { ok: false, error: `${FLAG} needs a folder, e.g. ${FLAG} ./hashdeck-data` };
    }
    dataDir = resolve(cwd, value);
  }
  return { ok: true, dataDir };
}
