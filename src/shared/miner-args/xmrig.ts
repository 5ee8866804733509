// The XMRig allow-list: every option of the 6.26.0 table is either a tuning knob users may add (with a
// check of its value) or refused with the reason; arguments are judged by what getopt resolves them to.
import { resolveArgv, type Resolved } from './getopt';
import { splitCliArgs, tokenCharacterProblem } from './text';
import { XMRIG_LONG_OPTIONS, XMRIG_OPTIONS } from './xmrig-options';

export const XMRIG_VERSION = '6.26.0';

type Checked = { ok: true; value: string | null } | { ok: false; problem: string };
type ValueCheck = (value: string | null) => Checked;

const flag: ValueCheck = () => ({ ok: true, value: null });

function int(min: number, max: number): ValueCheck {
  return (value) => {
    const n = value !== null && /^-?\d{1,10}$/.test(value) ? Number(value) : NaN;
    return Number.isInteger(n) && n >= min && n <= max
      ? { ok: true, value: String(n) }
      : { ok: false, problem: `must be a whole number from ${min} to ${max}` };
  };
}

function oneOf(choices: readonly string[]): ValueCheck {
  const text = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1) ?? ''}`;
  return (value) =>
    value !== null && choices.includes(value)
      ? { ok: true, value }
      : { ok: false, problem: `must be ${text}` };
}

function pattern(re: RegExp, problem: string): ValueCheck {
  return (value) => (value !== null && re.test(value) ? { ok: true, value } : { ok: false, problem });
}

/** A CPU mask, hex ("0x3") or decimal ("3"), that still fits a JSON number exactly. */
const mask: ValueCheck = (value) => {
  const n = value !== null && /^(?:0x[0-9a-f]{1,14}|\d{1,16})$/i.test(value) ? Number(value) : NaN;
  return n >= 1 && Number.isSafeInteger(n)
    ? { ok: true, value: value?.toLowerCase() ?? null }
    : { ok: false, problem: 'must be a CPU mask like 0x3 or 3 (one bit per core)' };
};

/** Optional argument: bare means "on", "=N" writes a preset (-1 turns the MSR tweak off). */
const wrmsr: ValueCheck = (value) => (value === null ? { ok: true, value: null } : int(-1, 15)(value));

interface Allowed {
  /** Why users legitimately tune it (documentation; the report lists these). */
  why: string;
  check: ValueCheck;
}

/** Options users may add, by key (the primary option name); aliases resolve to the same key. */
export const XMRIG_ALLOWED = {
  'randomx-mode': {
    why: 'memory against speed: light needs ~256 MB instead of the ~2.3 GB fast dataset',
    check: oneOf(['auto', 'fast', 'light']),
  },
  'randomx-init': { why: 'threads that build the RandomX dataset at start', check: int(-1, 1024) },
  'randomx-no-numa': { why: 'one dataset instead of one per NUMA node (less memory)', check: flag },
  'randomx-1gb-pages': { why: '1 GB pages for the dataset where the OS has them reserved', check: flag },
  'randomx-wrmsr': {
    why: 'the MSR speed tweak or -1 to turn it off; a no-op without admin rights',
    check: wrmsr,
  },
  'randomx-no-rdmsr': { why: 'do not read MSRs at start', check: flag },
  'randomx-cache-qos': { why: 'Intel Cache QoS for mining threads, a speed knob', check: flag },
  'cpu-affinity': { why: "pins the profile's explicit threads to chosen cores", check: mask },
  'cpu-memory-pool': {
    why: 'keeps huge-page memory reserved between jobs (-1 auto, 0 off)',
    check: int(-1, 65536),
  },
  'cpu-no-yield': { why: 'threads never yield the CPU: more hashrate, less responsive desktop', check: flag },
  asm: {
    why: 'the assembly code path for the CPU family',
    check: oneOf(['none', 'auto', 'intel', 'ryzen', 'bulldozer']),
  },
  'argon2-impl': {
    why: 'the Argon2 code path for argon2 algorithms',
    check: oneOf(['x86_64', 'SSE2', 'SSSE3', 'XOP', 'AVX2', 'AVX-512F']),
  },
  'print-time': { why: 'how often the hashrate line is logged (seconds, 0 off)', check: int(0, 3600) },
  'health-print-time': { why: 'how often the health line is logged (seconds, 0 off)', check: int(0, 3600) },
  'no-dmi': { why: 'do not read the DMI/SMBIOS tables (privacy)', check: flag },
  nicehash: { why: 'nonce splitting that some pools and proxies need', check: flag },
  'rig-id': {
    why: 'a rig name some pools show in their statistics',
    check: pattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'may only use letters, digits, . _ - (up to 64)'),
  },
  'tls-fingerprint': {
    why: "pins the pool's TLS certificate: only makes the connection stricter",
    check: pattern(/^[0-9A-Fa-f]{64}$/, 'must be the 64 hex digits of a SHA-256 fingerprint'),
  },
  retries: { why: 'how many times a pool is retried before the next one', check: int(1, 1000) },
  'retry-pause': { why: 'seconds between pool retries', check: int(1, 3600) },
  verbose: { why: 'more detail in the log', check: flag },
  'dns-ipv6': { why: 'prefer IPv6 addresses when resolving the pool', check: flag },
  'dns-ttl': { why: 'how long pool DNS answers are cached (seconds)', check: int(1, 86400) },
} as const satisfies Record<string, Allowed>;

export type XmrigArgKey = keyof typeof XMRIG_ALLOWED;

const FILE = 'it reads or writes a file at a path the app does not control';
const API = "it changes the miner's HTTP API, which the app owns (loopback only, its own token)";
const BENCH = 'it runs a benchmark instead of mining';
const CPU_ONLY = 'the app runs XMRig on the CPU only (TT-Miner is its NVIDIA miner)';
const field = (name: string): string => `the app sets it from the profile's ${name}`;

/** Every other key of the table, with the reason it is refused. */
export const XMRIG_REFUSED: Readonly<Record<string, string>> = {
  // Files and libraries at a path.
  config: FILE,
  'log-file': FILE,
  'data-dir': FILE,
  'tls-cert': FILE,
  'tls-cert-key': FILE,
  'tls-dhparam': FILE,
  'tls-gen': 'it generates certificate files in the working folder',
  'opencl-loader': 'it loads a library from a path',
  'cuda-loader': 'it loads a library from a path',
  // The process and its supervision.
  background: 'it would move the miner out of supervision',
  syslog: "it sends the miner's log to the system log instead of the app",
  'dry-run': 'it makes the miner exit right after checking its config',
  'pause-on-battery': "it pauses the miner behind the app's back (the app pauses and resumes miners)",
  'pause-on-active': "it pauses the miner behind the app's back (the app pauses and resumes miners)",
  title: 'it sets a console window title; the app runs miners without a console',
  'no-title': 'it sets a console window title; the app runs miners without a console',
  'no-color': 'the app already passes it',
  help: 'it prints the usage and exits instead of mining',
  version: 'it prints the version and exits instead of mining',
  'export-topology': 'it writes topology files to the working folder and exits',
  // The API.
  'http-enabled': API,
  'http-host': API,
  'http-access-token': API,
  'http-port': API,
  'http-no-restricted': API,
  'api-worker-id': API,
  'api-id': API,
  'tls-protocols': API,
  'tls-ciphers': API,
  'tls-ciphersuites': API,
  // Benchmarks.
  bench: BENCH,
  stress: BENCH,
  submit: 'it sends benchmark results to an outside server',
  token: 'it sends benchmark results to an outside server',
  verify: BENCH,
  seed: BENCH,
  hash: BENCH,
  // Structured profile fields.
  algo: field('Algorithm field'),
  coin: field('Coin field'),
  url: field('Pool field'),
  user: field('Wallet field'),
  pass: field('Password field'),
  userpass: field('Wallet and Password fields'),
  tls: field('TLS switch'),
  keepalive: field('keepalive setting (on by default)'),
  threads: field('Threads field'),
  'cpu-max-threads-hint': field('CPU % hint field'),
  'cpu-priority': field('Priority field'),
  'donate-level': field('Donate level field'),
  'donate-over-proxy': field('Donate level field'),
  'no-huge-pages': field('Huge pages switch'),
  'hugepage-size': field('Huge pages switch'),
  // How the miner reaches its pool.
  proxy: 'it routes the pool connection through a proxy the profile does not show',
  daemon: "it mines against a node's RPC instead of the profile's pool",
  'daemon-poll-interval': "it mines against a node's RPC instead of the profile's pool",
  'self-select': "it takes jobs from a node instead of the profile's pool",
  'submit-to-origin': "it takes jobs from a node instead of the profile's pool",
  'spend-secret-key': 'it puts a wallet secret key on the command line',
  'user-agent': 'it disguises the miner to the pool',
  // Backends and leftovers the app does not use.
  'no-cpu': 'it turns off the CPU backend, the only one the app uses',
  'max-cpu-usage': 'it was removed from XMRig; use the CPU % hint field',
  av: 'it was removed from XMRig',
  'astrobwt-max-size': 'it applies to an algorithm XMRig no longer mines',
  'astrobwt-avx2': 'it applies to an algorithm XMRig no longer mines',
  opencl: CPU_ONLY,
  'opencl-devices': CPU_ONLY,
  'opencl-platform': CPU_ONLY,
  'opencl-no-cache': CPU_ONLY,
  cuda: CPU_ONLY,
  'cuda-devices': CPU_ONLY,
  'cuda-bfactor-hint': CPU_ONLY,
  'cuda-bsleep-hint': CPU_ONLY,
  'no-nvml': CPU_ONLY,
  P: 'XMRig 6.26.0 does not document what it does',
  T: 'XMRig 6.26.0 does not document what it does',
};

/** One accepted option, canonical: `canonical` is the exact argument XMRig would read it as. */
export interface XmrigArg {
  key: XmrigArgKey;
  value: string | null;
  canonical: string;
}

export type XmrigArgsCheck = { ok: true; args: XmrigArg[] } | { ok: false; errors: string[] };

const isAllowed = (key: string): key is XmrigArgKey => Object.hasOwn(XMRIG_ALLOWED, key);

/** `"--back"`, or `"-B" in "-Bk"` for one option of a joined cluster. */
function typed(spelled: string, token: string): string {
  return token.startsWith('--') || token === spelled ? `"${spelled}"` : `"${spelled}" in "${token}"`;
}

function refusal(key: string, option: string, spelled: string, token: string): string {
  const why = XMRIG_REFUSED[key] ?? 'it is not an option the app lets users tune';
  if (option.length === 1 || spelled === `--${option}`) {
    return `${typed(spelled, token)} is not allowed (${why})`;
  }
  return `${typed(spelled, token)} is --${option}, which the app does not allow (${why})`;
}

function unknown(spelled: string, token: string): string {
  const base = `${typed(spelled, token)} is not an XMRig ${XMRIG_VERSION} option`;
  if (!spelled.startsWith('--')) return base;
  const lower = spelled.slice(2).toLowerCase();
  const near = XMRIG_LONG_OPTIONS.find((o) => o.name === lower || o.name.startsWith(lower));
  return near && lower !== spelled.slice(2) ? `${base} (options are case-sensitive: --${near.name}?)` : base;
}

/** The message for a resolved token, or null when it is an accepted option (checked separately). */
function problemOf(r: Resolved): string | null {
  switch (r.kind) {
    case 'option':
      return isAllowed(r.key) ? null : refusal(r.key, r.option, r.spelled, r.token);
    case 'exact':
      return `"${r.spelled}" is not allowed (${XMRIG_REFUSED[r.key] ?? 'it makes XMRig exit'})`;
    case 'unknown':
      return unknown(r.spelled, r.token);
    case 'ambiguous': {
      const list = r.candidates.slice(0, 4).map((c) => `--${c}`);
      const more = r.candidates.length > 4 ? ', ...' : '';
      return `"${r.spelled}" is ambiguous in XMRig ${XMRIG_VERSION} (${list.join(', ')}${more}): type the full option name`;
    }
    case 'missing-value':
      return isAllowed(r.key)
        ? `${typed(r.spelled, r.token)} needs a value (--${r.option}=VALUE)`
        : refusal(r.key, r.option, r.spelled, r.token);
    case 'unexpected-value':
      return isAllowed(r.key)
        ? `"${r.token}": --${r.option} takes no value`
        : refusal(r.key, r.option, r.spelled, r.token);
    case 'operand':
      return r.afterTerminator
        ? `"${r.token}" comes after "--", where XMRig reads no options: remove "--"`
        : `"${r.token}" is not an option: XMRig takes no plain arguments`;
    case 'terminator':
      return null;
  }
}

/**
 * Checks the extra-arguments text for XMRig and returns the accepted options in canonical form.
 * `threads` (the profile's thread count) lets --cpu-affinity be refused where XMRig would ignore it.
 */
export function checkXmrigArgs(
  cliArgs: string | undefined,
  context: { threads?: number } = {},
): XmrigArgsCheck {
  const tokens = splitCliArgs(cliArgs);
  const errors = tokens.map(tokenCharacterProblem).filter((p): p is string => p !== null);
  if (errors.length > 0) return { ok: false, errors };
  const args: XmrigArg[] = [];
  for (const r of resolveArgv(tokens, XMRIG_OPTIONS)) {
    const problem = problemOf(r);
    if (problem !== null) {
      errors.push(problem);
      continue;
    }
    if (r.kind !== 'option' || !isAllowed(r.key)) continue;
    const checked = XMRIG_ALLOWED[r.key].check(r.value);
    if (!checked.ok) {
      errors.push(`${typed(r.spelled, r.token)}: --${r.key} ${checked.problem}`);
    } else if (args.some((a) => a.key === r.key)) {
      errors.push(`${typed(r.spelled, r.token)} sets --${r.key} a second time: give each option once`);
    } else if (r.key === 'cpu-affinity' && context.threads === 0) {
      errors.push(`--cpu-affinity needs a thread count: XMRig applies the mask only when Threads is above 0`);
    } else {
      const canonical = checked.value === null ? `--${r.key}` : `--${r.key}=${checked.value}`;
      args.push({ key: r.key, value: checked.value, canonical });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, args };
}
