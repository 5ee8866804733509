// @ts-check
// XMRig 6.26 command line for the fake: the getopt option table and how each option changes the config
// (applied on top of the config file, and again after every reload).

import { getoptLong } from './args.mjs';
import { normalizeBench, normalizePool } from './xmrig-config.mjs';

/** @typedef {import('./xmrig-config.mjs').Json} Json */

/** Long options of XMRig 6.26 that the fake knows (others warn "unrecognized option"). */
const LONG = /** @type {Record<string, 'none' | 'required' | 'optional'>} */ ({
  // fake-only: many APIs in one process (see README)
  'multi-port-base': 'required',
  'multi-count': 'required',
  // general
  version: 'none',
  help: 'none',
  config: 'required',
  'no-color': 'none',
  'dry-run': 'none',
  background: 'none',
  syslog: 'none',
  'log-file': 'required',
  'print-time': 'required',
  'health-print-time': 'required',
  'no-title': 'none',
  title: 'required',
  'no-dmi': 'none',
  verbose: 'none',
  'user-agent': 'required',
  'pause-on-battery': 'none',
  'pause-on-active': 'optional',
  'donate-level': 'required',
  'donate-over-proxy': 'required',
  'dns-ipv6': 'none',
  'dns-ttl': 'required',
  'export-topology': 'none',
  // pool
  url: 'required',
  user: 'required',
  pass: 'required',
  'rig-id': 'required',
  algo: 'required',
  coin: 'required',
  keepalive: 'none',
  nicehash: 'none',
  tls: 'none',
  'tls-fingerprint': 'required',
  proxy: 'required',
  daemon: 'none',
  'daemon-poll-interval': 'required',
  'self-select': 'required',
  'submit-to-origin': 'none',
  'spend-secret-key': 'required',
  retries: 'required',
  'retry-pause': 'required',
  // api
  'api-worker-id': 'required',
  'api-id': 'required',
  'http-enabled': 'none',
  'http-host': 'required',
  'http-port': 'required',
  'http-access-token': 'required',
  'http-no-restricted': 'none',
  // cpu
  'no-cpu': 'none',
  threads: 'required',
  'cpu-affinity': 'required',
  'cpu-priority': 'required',
  'cpu-max-threads-hint': 'required',
  'cpu-memory-pool': 'required',
  'cpu-no-yield': 'none',
  'no-huge-pages': 'none',
  'hugepage-size': 'required',
  'huge-pages-jit': 'none',
  av: 'required',
  asm: 'required',
  'argon2-impl': 'required',
  // randomx
  'randomx-init': 'required',
  'randomx-mode': 'required',
  'randomx-1gb-pages': 'none',
  'randomx-wrmsr': 'optional',
  'randomx-no-rdmsr': 'none',
  'randomx-no-numa': 'none',
  'randomx-cache-qos': 'none',
  // benchmark
  bench: 'optional',
  submit: 'none',
  verify: 'required',
  seed: 'required',
  hash: 'required',
  token: 'required',
  stress: 'none',
});

const SHORT = {
  a: 'algo',
  c: 'config',
  o: 'url',
  u: 'user',
  p: 'pass',
  t: 'threads',
  V: 'version',
  h: 'help',
  k: 'keepalive',
  l: 'log-file',
  r: 'retries',
  R: 'retry-pause',
  B: 'background',
  S: 'syslog',
  x: 'proxy',
};

/**
 * @typedef {object} Cli
 * @property {boolean} version
 * @property {boolean} help
 * @property {boolean} dryRun
 * @property {string | null} configPath
 * @property {number | null} multiBase
 * @property {number} multiCount
 * @property {number | null} threads           --threads: profile "*" (hint ignored)
 * @property {((cfg: Json) => void)[]} setters  applied on top of the file / PUT JSON
 * @property {Set<string>} explicit           config keys set on the command line (e.g. "print-time")
 * @property {string[]} warnings               getopt warnings (stderr)
 */

/**
 * The current (last) CLI pool; the first pool option makes the CLI pools replace the file's pools.
 * @param {Json} cfg
 */
function cliPool(cfg) {
  if (cfg.__cliPools !== true) {
    cfg.pools = [];
    cfg.__cliPools = true;
  }
  if (cfg.pools.length === 0) cfg.pools.push(normalizePool({}));
  return cfg.pools[cfg.pools.length - 1];
}

/** @param {Json} cfg @param {(h: Json) => void} fn */
const httpOpt = (cfg, fn) => {
  cfg.http.enabled = true; // every --http-* option enables the API (ConfigTransform)
  fn(cfg.http);
};

/**
 * Options that change the configuration: name -> (config, value as string, value as number).
 * @type {Record<string, (c: Json, v: string, n: number) => void>}
 */
const SETTERS = {
  'no-color': (c) => (c.colors = false),
  background: (c) => (c.background = true),
  syslog: (c) => (c.syslog = true),
  'log-file': (c, v) => (c['log-file'] = v),
  'print-time': (c, _v, n) => (c['print-time'] = n),
  'no-title': (c) => (c.title = false),
  title: (c, v) => (c.title = v),
  'no-dmi': (c) => (c.dmi = false),
  verbose: (c) => (c.verbose = 1),
  'user-agent': (c, v) => (c['user-agent'] = v),
  'pause-on-battery': (c) => (c['pause-on-battery'] = true),
  'pause-on-active': (c, v, n) => (c['pause-on-active'] = v === '' ? true : n),
  'donate-level': (c, _v, n) => (c['donate-level'] = n),
  'donate-over-proxy': (c, _v, n) => (c['donate-over-proxy'] = n),
  'dns-ipv6': (c) => (c.dns.ip_version = 6),
  'dns-ttl': (c, _v, n) => (c.dns.ttl = n),
  url: (c, v) => {
    const last = cliPool(c);
    if (last.url === null) last.url = v;
    else c.pools.push(normalizePool({ url: v }));
  },
  user: (c, v) => (cliPool(c).user = v),
  pass: (c, v) => (cliPool(c).pass = v),
  'rig-id': (c, v) => (cliPool(c)['rig-id'] = v),
  algo: (c, v) => (cliPool(c).algo = v),
  coin: (c, v) => (cliPool(c).coin = v),
  keepalive: (c) => (cliPool(c).keepalive = true),
  nicehash: (c) => (cliPool(c).nicehash = true),
  tls: (c) => (cliPool(c).tls = true),
  'tls-fingerprint': (c, v) => (cliPool(c)['tls-fingerprint'] = v),
  daemon: (c) => (cliPool(c).daemon = true),
  retries: (c, _v, n) => (c.retries = n),
  'retry-pause': (c, _v, n) => (c['retry-pause'] = n),
  'api-worker-id': (c, v) => (c.api['worker-id'] = v),
  'api-id': (c, v) => (c.api.id = v),
  'http-enabled': (c) => httpOpt(c, () => {}),
  'http-host': (c, v) => httpOpt(c, (h) => (h.host = v)),
  'http-port': (c, _v, n) => httpOpt(c, (h) => (h.port = n)),
  'http-access-token': (c, v) => httpOpt(c, (h) => (h['access-token'] = v)),
  'http-no-restricted': (c) => httpOpt(c, (h) => (h.restricted = false)),
  'no-cpu': (c) => (c.cpu.enabled = false),
  threads: (c, _v, n) => {
    c.cpu['*'] = { intensity: 1, threads: Math.max(1, Math.floor(n)), affinity: -1 };
    c.cpu.kawpow = false;
  },
  'cpu-priority': (c, _v, n) => (c.cpu.priority = n),
  'cpu-max-threads-hint': (c, _v, n) => (c.cpu['max-threads-hint'] = n),
  'cpu-memory-pool': (c, _v, n) => (c.cpu['memory-pool'] = n),
  'cpu-no-yield': (c) => (c.cpu.yield = false),
  'no-huge-pages': (c) => (c.cpu['huge-pages'] = false),
  'huge-pages-jit': (c) => (c.cpu['huge-pages-jit'] = true),
  asm: (c, v) => (c.cpu.asm = v),
  'argon2-impl': (c, v) => (c.cpu['argon2-impl'] = v),
  'randomx-init': (c, _v, n) => (c.randomx.init = n),
  'randomx-mode': (c, v) => (c.randomx.mode = v),
  'randomx-1gb-pages': (c) => (c.randomx['1gb-pages'] = true),
  'randomx-no-rdmsr': (c) => (c.randomx.rdmsr = false),
  'randomx-no-numa': (c) => (c.randomx.numa = false),
  'randomx-cache-qos': (c) => (c.randomx.cache_qos = true),
  bench: (c, v) => (c.benchmark = normalizeBench({ ...(c.benchmark ?? {}), size: v || '1M' })),
  submit: (c) => c.benchmark && (c.benchmark.submit = true),
  verify: (c, v) => c.benchmark && (c.benchmark.verify = v),
  seed: (c, v) => c.benchmark && (c.benchmark.seed = v),
  hash: (c, v) => c.benchmark && (c.benchmark.hash = v),
  token: (c, v) => c.benchmark && (c.benchmark.token = v),
};

/**
 * @param {string[]} argv
 * @param {string} argv0
 * @returns {Cli}
 */
export function parseCli(argv, argv0) {
  const { opts, warnings } = getoptLong(argv, { long: LONG, short: SHORT }, argv0);
  /** @type {Cli} */
  const cli = {
    version: false,
    help: false,
    dryRun: false,
    configPath: null,
    multiBase: null,
    multiCount: 1,
    threads: null,
    setters: [],
    explicit: new Set(),
    warnings,
  };
  for (const { name, value } of opts) {
    const v = value ?? '';
    const n = Number(v || '0');
    if (name === 'version') cli.version = true;
    else if (name === 'help') cli.help = true;
    else if (name === 'dry-run') cli.dryRun = true;
    else if (name === 'config') cli.configPath = v;
    else if (name === 'multi-port-base') cli.multiBase = n;
    else if (name === 'multi-count') cli.multiCount = Math.max(1, Math.floor(n));
    const setter = SETTERS[name];
    if (!setter) continue; // known but without effect on the fake
    if (name === 'threads') cli.threads = Math.max(1, Math.floor(n));
    if (name === 'print-time') cli.explicit.add('print-time');
    cli.setters.push((cfg) => setter(cfg, v, n));
  }
  return cli;
}
