// `npm run headless -- trust add|list|remove`: the headless way for the LOCAL user to choose which
// miner binaries HashDeck may run. A command typed on this machine is a channel the HTTP API (and so a
// stolen token) cannot reach; the API can only choose among the binaries trusted here.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { execa } from 'execa';
import { MinerError } from '../../shared/errors';
import { defaultDataDir } from '../core/store/paths';
import { TrustStore, describeSource, type BinaryMinerType } from '../core/trust/trust-store';
import { parseVersionOutput } from '../core/install/version';
import { minerEnvironment } from '../core/util/miner-env';

export const TRUST_USAGE = `Usage: npm run headless -- trust <command> [--data-dir DIR]
  trust add PATH [--type xmrig|ttminer]   trust the binary at PATH (its SHA-256 is recorded and checked
                                          before every start; the type is read from its --version when omitted)
  trust list                              list trusted binaries
  trust remove ID                         stop trusting a binary`;

/** Runs `--version` of the file the local user named, to tell XMRig from TT-Miner and record the version. */
async function probe(path: string): Promise<{ type: BinaryMinerType | null; version: string | null }> {
  const r = await execa(path, ['--version'], {
    reject: false,
    timeout: 5000,
    stdin: 'ignore',
    env: minerEnvironment(),
    extendEnv: false,
    maxBuffer: 64 * 1024,
  });
  const out = `${String(r.stdout ?? '')}\n${String(r.stderr ?? '')}`;
  const type = /^\s*XMRig\b/.test(out) ? 'xmrig' : /TT-Miner/i.test(out) ? 'ttminer' : null;
  return { type, version: parseVersionOutput(out) };
}

export async function runTrustCommand(
  argv: string[],
  print: (line: string) => void = console.log,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      type: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, arg] = positionals;
  if (values.help || !command) {
    print(TRUST_USAGE);
    return command || values.help ? 0 : 2;
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const store = new TrustStore(dataDir);
  const notice = await store.load();
  if (notice) print(`warning: ${notice}`);

  if (command === 'list') {
    const list = await store.list();
    if (list.length === 0) print('No trusted binaries yet. Add one with: npm run headless -- trust add PATH');
    for (const b of list) {
      print(
        `${b.id}  ${b.minerType}  ${b.version ?? 'unknown version'}  ${b.path}  (${describeSource(b)}, sha256 ${b.sha256.slice(0, 16)}…)`,
      );
    }
    return 0;
  }
  if (command === 'remove') {
    if (!arg) throw new MinerError('INVALID_INPUT', 'Say which binary: trust remove ID (see trust list)');
    const removed = await store.remove(arg);
    print(
      `No longer trusted: ${removed.path} (${removed.id}). Profiles that used it will not start until another binary is chosen.`,
    );
    return 0;
  }
  if (command === 'add') {
    if (!arg) throw new MinerError('INVALID_INPUT', 'Say which file: trust add PATH');
    if (values.type !== undefined && values.type !== 'xmrig' && values.type !== 'ttminer') {
      throw new MinerError('INVALID_INPUT', `--type must be xmrig or ttminer, got "${values.type}"`);
    }
    const path = resolve(arg);
    const found = await probe(path);
    const type = (values.type as BinaryMinerType | undefined) ?? found.type;
    if (!type) {
      throw new MinerError(
        'INVALID_INPUT',
        `${path} did not identify itself as XMRig or TT-Miner; say which with --type xmrig|ttminer`,
      );
    }
    const entry = await store.add({ path, minerType: type, source: 'user', version: found.version });
    print(`Trusted ${type} ${entry.version ?? '(version unknown)'} at ${entry.path}`);
    print(`  id ${entry.id}, sha256 ${entry.sha256}`);
    print('  HashDeck checks this hash before every start and refuses the file if it changes.');
    return 0;
  }
  print(TRUST_USAGE);
  return 2;
}
