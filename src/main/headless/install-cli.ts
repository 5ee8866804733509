// `npm run headless -- install xmrig [--version V]`: the verified XMRig install run from a terminal on
// this machine, printing one line per step and the download's progress; Ctrl+C cancels and cleans up.
import { mkdir, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MinerError } from '../../shared/errors';
import { defaultDataDir } from '../core/store/paths';
import { TrustStore } from '../core/trust/trust-store';
import type { InstallPhase, InstallProgress } from '../core/install/types';
import { resolveInstallSource } from '../service/install-source';
import { createXmrigInstaller } from '../service/mining-service';
import { INSTALL_FLAGS_USAGE, INSTALL_FLAG_OPTIONS, installOverrides } from './install-flags';
import { UsageError } from './serve-options';

export const INSTALL_USAGE = `Usage: npm run headless -- install xmrig [--version V] [options]
  Downloads XMRig from its official releases, checks SHA256SUMS against XMRig's pinned signing key and
  the archive against it, runs its --version and installs it into MINERS-DIR/xmrig/<version>, trusted.
  --version V         a version from the release list (default: the newest one HashDeck was tested with)
  --data-dir DIR      HashDeck's data folder (default: the platform config folder)
  --miners-dir DIR    where installed miners live (default: DATA-DIR/miners)
${INSTALL_FLAGS_USAGE}`;

const PHASE_TEXT: Record<InstallPhase, string> = {
  resolving: 'reading the release list',
  'verifying-signature': "checking SHA256SUMS against XMRig's signing key",
  downloading: 'downloading',
  'verifying-archive': 'checking the archive against its signed checksum',
  extracting: 'unpacking',
  'checking-binary': 'running xmrig --version',
  activating: 'moving it into place and trusting it',
  done: 'done',
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** One line of download progress: "downloading 45% (3.1 MB of 6.9 MB, 2.3 MB/s)". */
export function progressLine(p: NonNullable<InstallProgress['download']>): string {
  const of = p.total !== null ? ` of ${mb(p.total)}` : '';
  const percent = p.percent !== null ? `${Math.floor(p.percent)}% ` : '';
  return `  downloading ${percent}(${mb(p.bytes)}${of}, ${mb(p.bytesPerSecond)}/s)`;
}

export interface InstallCliDeps {
  print?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Ctrl+C; tests pass their own to cancel. */
  onInterrupt?: (cancel: () => void) => () => void;
  now?: () => number;
}

function onSigint(cancel: () => void): () => void {
  const handler = () => cancel();
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

export async function runInstallCommand(argv: string[], deps: InstallCliDeps = {}): Promise<number> {
  const print = deps.print ?? console.log;
  const now = deps.now ?? Date.now;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        version: { type: 'string' },
        'data-dir': { type: 'string' },
        'miners-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...INSTALL_FLAG_OPTIONS,
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${INSTALL_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(INSTALL_USAGE);
    return 0;
  }
  const [type, ...extra] = positionals;
  if (type !== 'xmrig' || extra.length > 0) {
    const what =
      type === 'ttminer'
        ? 'TT-Miner is not downloaded by HashDeck: trust your copy with `trust add PATH`.\n'
        : '';
    throw new UsageError(
      `${what}${type === undefined ? 'say what to install: ' : ''}install xmrig [--version V]\n${INSTALL_USAGE}`,
    );
  }

  const source = await resolveInstallSource(installOverrides(values), deps.env ?? process.env);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const trust = new TrustStore(dataDir);
  const notice = await trust.load();
  if (notice) print(`warning: ${notice}`);
  const minersDir = values['miners-dir'] ? resolve(values['miners-dir']) : undefined;
  const installer = createXmrigInstaller({ dataDir, minersDir }, trust, { source });
  const pinned = await installer.loadKey();
  await installer.cleanup();

  let lastPhase: InstallPhase | null = null;
  let lastLine = 0;
  let lastPercentStep = -1;
  installer.on('progress', (p) => {
    if (p.phase !== lastPhase) {
      lastPhase = p.phase;
      if (p.phase !== 'done') {
        print(
          `${PHASE_TEXT[p.phase]}${p.phase === 'resolving' || !p.version ? '' : ` (XMRig ${p.version})`}...`,
        );
      }
    }
    if (p.phase !== 'downloading' || !p.download) return;
    // At most a line a second, or each 10% step, so a log file stays readable.
    const step = p.download.percent === null ? -1 : Math.floor(p.download.percent / 10);
    const t = now();
    if (step !== lastPercentStep || t - lastLine >= 1000) {
      lastPercentStep = step;
      lastLine = t;
      print(progressLine(p.download));
    }
  });

  const stopListening = (deps.onInterrupt ?? onSigint)(() => {
    if (installer.cancel()) print('cancelling...');
  });
  try {
    const installed = await installer.install(values.version ? { version: values.version } : {});
    const real = await realpath(installed.binaryPath).catch(() => installed.binaryPath);
    const entry = (await trust.list()).find((b) => b.path === real);
    print(`Installed XMRig ${installed.version} in ${installed.dir}`);
    if (installed.status === 'newer-untested') print('  newer, not yet tested with HashDeck');
    print(`  SHA256SUMS signed by key ${pinned.fingerprint}; xmrig sha256 ${installed.sha256 ?? '?'}`);
    if (entry)
      print(`  trusted as ${entry.id}; profiles without a chosen binary use the newest installed XMRig`);
    return 0;
  } catch (err) {
    if (err instanceof MinerError && err.code === 'CANCELLED') {
      print('Cancelled; nothing was installed.');
      return 130;
    }
    throw err;
  } finally {
    stopListening();
  }
}
