// The extra XMRig options a profile may carry (already resolved and allow-listed in src/shared/miner-args),
// written into the generated config.json rather than onto the command line.
//
// Why the file and not argv: XMRig keeps command-line options in a document of their own, layered over
// the config file by whole top-level sections, so `--cpu-no-yield` or `--rig-id` next to `--config` can
// shadow the app's whole "cpu" section or pool list; and a watched-file reload (how throttling is applied
// live) rereads only the file, which would silently drop anything given on the command line.
import { checkXmrigArgs, type XmrigArg, type XmrigArgKey } from '../../../../shared/miner-args';
import { MinerError } from '../../../../shared/errors';
import type { MinerConfig } from '../../../../shared/schemas';
import type { XmrigConfigJson, XmrigPoolJson } from './config';

/** The accepted options of a config; refuses (never drops) anything the allow-list does not accept. */
export function xmrigUserArgs(config: Pick<MinerConfig, 'cliArgs'>): XmrigArg[] {
  const check = checkXmrigArgs(config.cliArgs);
  if (!check.ok) {
    throw new MinerError('INVALID_INPUT', check.errors[0] ?? 'Invalid extra arguments', [
      { path: 'config.cliArgs', message: check.errors[0] ?? 'Invalid extra arguments' },
    ]);
  }
  return check.args;
}

const num = (value: string | null): number => Number(value);

type Apply = (json: XmrigConfigJson, value: string | null) => void;

const randomx = (json: XmrigConfigJson) => (json.randomx ??= {});
const eachPool = (json: XmrigConfigJson, set: (pool: XmrigPoolJson) => void): void => json.pools.forEach(set);

/** Where each accepted option lives in config.json (key names as XMRig 6.26.0 writes them). */
const APPLY: Record<XmrigArgKey, Apply> = {
  // Stryker disable next-line StringLiteral: equivalent, the allow-list never passes a bare --randomx-mode
  'randomx-mode': (j, v) => void (randomx(j).mode = v ?? 'auto'),
  'randomx-init': (j, v) => void (randomx(j).init = num(v)),
  'randomx-no-numa': (j) => void (randomx(j).numa = false),
  'randomx-1gb-pages': (j) => void (randomx(j)['1gb-pages'] = true),
  'randomx-wrmsr': (j, v) => void (randomx(j).wrmsr = v === null ? true : num(v) < 0 ? false : num(v)),
  'randomx-no-rdmsr': (j) => void (randomx(j).rdmsr = false),
  'randomx-cache-qos': (j) => void (randomx(j).cache_qos = true),
  // Like --cpu-affinity, the mask applies to an explicit thread count and to nothing else: each thread of
  // the thread arrays is pinned to the next CPU whose bit is set, round robin, as XMRig does with --threads.
  'cpu-affinity': (j, v) => {
    const mask = BigInt(num(v));
    const cpus: number[] = [];
    // Stryker disable next-line EqualityOperator: equivalent, the allow-list keeps masks below 2^53
    for (let bit = 0; bit < 64; bit++) if ((mask >> BigInt(bit)) & 1n) cpus.push(bit);
    for (const [key, value] of Object.entries(j.cpu)) {
      if (Array.isArray(value)) j.cpu[key] = value.map((_, i) => cpus[i % cpus.length]);
    }
  },
  'cpu-memory-pool': (j, v) =>
    void (j.cpu['memory-pool'] = num(v) < 0 ? true : num(v) === 0 ? false : num(v)),
  'cpu-no-yield': (j) => void (j.cpu.yield = false),
  asm: (j, v) => void (j.cpu.asm = v === 'none' ? false : v === 'auto' ? true : (v ?? true)),
  'argon2-impl': (j, v) => void (j.cpu['argon2-impl'] = v),
  'print-time': (j, v) => void (j['print-time'] = num(v)),
  'health-print-time': (j, v) => void (j['health-print-time'] = num(v)),
  'no-dmi': (j) => void (j.dmi = false),
  nicehash: (j) => eachPool(j, (p) => (p.nicehash = true)),
  'rig-id': (j, v) => eachPool(j, (p) => (p['rig-id'] = v)),
  'tls-fingerprint': (j, v) => eachPool(j, (p) => (p['tls-fingerprint'] = v)),
  retries: (j, v) => void (j.retries = num(v)),
  'retry-pause': (j, v) => void (j['retry-pause'] = num(v)),
  verbose: (j) => void (j.verbose = 1),
  'dns-ipv6': (j) => void ((j.dns ??= {}).ip_version = 6),
  'dns-ttl': (j, v) => void ((j.dns ??= {}).ttl = num(v)),
};

/** Writes the options into a freshly built config (mutates and returns it). */
export function applyXmrigArgs(json: XmrigConfigJson, args: readonly XmrigArg[]): XmrigConfigJson {
  for (const arg of args) APPLY[arg.key](json, arg.value);
  return json;
}
