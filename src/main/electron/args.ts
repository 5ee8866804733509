// Command-line options of the desktop app: `--data-dir DIR` and the local-only XMRig release source
// (`--xmrig-releases-url`, `--xmrig-download-base-url`, `--xmrig-key-file`, `--xmrig-key-fingerprint`,
// each also as `--flag=value`). Chromium and Electron add switches of their own, so others are ignored.
import { resolve } from 'node:path';
import type { InstallSourceOverrides } from '../service/install-source';

export type ParsedArgs =
  { ok: true; dataDir: string | null; install: InstallSourceOverrides } | { ok: false; error: string };

/** Each flag, what it sets, an example value for the error, and whether it names a local file. */
const FLAGS = {
  '--data-dir': { example: './hashdeck-data', file: true },
  '--xmrig-releases-url': { example: 'https://mirror.example/releases.json', file: false },
  '--xmrig-download-base-url': { example: 'https://mirror.example/xmrig', file: false },
  '--xmrig-key-file': { example: './xmrig-signing-key.asc', file: true },
  '--xmrig-key-fingerprint': { example: '9ac4cea8e66e35a5c7cddc1b446a53638be94409', file: false },
} as const;
type Flag = keyof typeof FLAGS;

const isFlag = (name: string): name is Flag => Object.hasOwn(FLAGS, name);

export function parseArgs(argv: readonly string[], cwd: string): ParsedArgs {
  const values: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!isFlag(name)) continue;
    let value: string | undefined;
    if (eq > 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value.trim() === '' || value.startsWith('--')) {
      const what = name === '--data-dir' ? 'a folder' : FLAGS[name].file ? 'a file' : 'a value';
      return { ok: false, error: `${name} needs ${what}, e.g. ${name} ${FLAGS[name].example}` };
    }
    // The last one wins, like most command lines.
    values[name] = FLAGS[name].file ? resolve(cwd, value) : value;
  }
  const install: InstallSourceOverrides = {};
  if (values['--xmrig-releases-url']) install.releasesUrl = values['--xmrig-releases-url'];
  if (values['--xmrig-download-base-url']) install.downloadBaseUrl = values['--xmrig-download-base-url'];
  if (values['--xmrig-key-file']) install.keyFile = values['--xmrig-key-file'];
  if (values['--xmrig-key-fingerprint']) install.keyFingerprint = values['--xmrig-key-fingerprint'];
  return { ok: true, dataDir: values['--data-dir'] ?? null, install };
}
