// @ts-check
// XMRig 6.26 configuration for the fake: defaults, merging a config file / PUT body with the command line,
// the CPU thread count (profiles, --threads or max-threads-hint) and the JSON written by GET /1/config.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPlainObject, parseLenient } from './rjson.mjs';

/** @typedef {Record<string, any>} Json */

export const BENCH_SIZES = /** @type {Record<string, number>} */ ({
  '250K': 250_000,
  '500K': 500_000,
  '1M': 1_000_000,
  '2M': 2_000_000,
  '3M': 3_000_000,
  '4M': 4_000_000,
  '5M': 5_000_000,
  '6M': 6_000_000,
  '7M': 7_000_000,
  '8M': 8_000_000,
  '9M': 9_000_000,
  '10M': 10_000_000,
});

/** CPU keys that are settings, not thread profiles. */
const CPU_SETTINGS = [
  'enabled',
  'huge-pages',
  'huge-pages-jit',
  'hw-aes',
  'priority',
  'memory-pool',
  'yield',
  'max-threads-hint',
  'asm',
  'argon2-impl',
  'astrobwt-max-size',
  'astrobwt-avx2',
  'cn/0',
  'cn-lite/0',
];

/** @returns {Json} XMRig 6.26 defaults, in the key order of its config writer. */
export function defaultConfig() {
  return {
    api: { id: null, 'worker-id': null },
    http: { enabled: false, host: '127.0.0.1', port: 0, 'access-token': null, restricted: true },
    autosave: true,
    background: false,
    colors: true,
    title: true,
    randomx: {
      init: -1,
      'init-avx2': -1,
      mode: 'auto',
      '1gb-pages': false,
      rdmsr: true,
      wrmsr: true,
      cache_qos: false,
      numa: true,
      scratchpad_prefetch_mode: 1,
    },
    cpu: {
      enabled: true,
      'huge-pages': true,
      'huge-pages-jit': false,
      'hw-aes': null,
      priority: null,
      'memory-pool': false,
      yield: true,
      'max-threads-hint': 100,
      asm: true,
      'argon2-impl': null,
    },
    'log-file': null,
    'donate-level': 1,
    'donate-over-proxy': 1,
    pools: [],
    retries: 5,
    'retry-pause': 5,
    benchmark: null,
    'print-time': 60,
    dmi: true,
    syslog: false,
    tls: {
      enabled: false,
      protocols: null,
      cert: null,
      cert_key: null,
      ciphers: null,
      ciphersuites: null,
      dhparam: null,
    },
    dns: { ip_version: 0, ttl: 30 },
    'user-agent': null,
    verbose: 0,
    watch: true,
    'pause-on-battery': false,
    'pause-on-active': false,
  };
}

/** @param {Json} p */
export function normalizePool(p) {
  /** @type {Json} */
  const d = {
    algo: null,
    coin: null,
    url: null,
    user: 'x',
    pass: 'x',
    'rig-id': null,
    nicehash: false,
    keepalive: false,
    enabled: true,
    tls: false,
    sni: false,
    'spend-secret-key': null,
    'tls-fingerprint': null,
    daemon: false,
    socks5: null,
    'self-select': null,
    'submit-to-origin': false,
  };
  for (const k of Object.keys(d)) if (k in p) d[k] = p[k];
  return d;
}

/** @param {Json} b */
export function normalizeBench(b) {
  return {
    size: b.size ?? '1M',
    algo: b.algo ?? 'rx/0',
    submit: b.submit ?? false,
    verify: b.verify ?? null,
    token: b.token ?? null,
    seed: b.seed ?? null,
    user: b.user ?? null,
    hash: b.hash ?? null,
  };
}
/**
 * Effective configuration = defaults + JSON (file or PUT body) + command-line options.
 * @param {Json | null} json
 * @param {import('./xmrig-cli.mjs').Cli} cli
 * @returns {Json}
 */
export function buildConfig(json, cli) {
  const cfg = defaultConfig();
  if (json) {
    for (const key of Object.keys(cfg)) {
      if (!(key in json)) continue;
      const v = json[key];
      if (key === 'pools') cfg.pools = Array.isArray(v) ? v.filter(isPlainObject).map(normalizePool) : [];
      else if (key === 'benchmark') cfg.benchmark = isPlainObject(v) ? normalizeBench(v) : null;
      else if (key === 'cpu' && isPlainObject(v)) cfg.cpu = { ...cfg.cpu, ...structuredClone(v) };
      else if (isPlainObject(cfg[key]) && isPlainObject(v)) {
        for (const k of Object.keys(cfg[key])) if (k in v) cfg[key][k] = v[k];
      } else if (!isPlainObject(cfg[key])) cfg[key] = v;
    }
  }
  for (const fn of cli.setters) fn(cfg);
  delete cfg.__cliPools;
  return cfg;
}

/** @param {Json} cfg */
export const isBench = (cfg) => cfg.benchmark !== null && cfg.benchmark !== undefined;

/** @param {Json} cfg */
export function isValid(cfg) {
  if (isBench(cfg)) return String(cfg.benchmark.size) in BENCH_SIZES;
  return cfg.pools.some((/** @type {Json} */ p) => typeof p.url === 'string' && p.url.length > 0);
}

/** @param {Json} cpu */
export function cpuProfiles(cpu) {
  return Object.keys(cpu).filter((k) => !CPU_SETTINGS.includes(k) && k !== 'kawpow');
}

/**
 * @typedef {object} CpuPlan
 * @property {number} count threads to run (0 = CPU backend disabled)
 * @property {string} profile profile name shown in "use profile  rx  (N threads)"
 * @property {number[]} affinities
 * @property {number} priority -1 when unset
 * @property {boolean} yield
 * @property {number | null} hint max-threads-hint when the count came from it
 */

/**
 * The thread plan XMRig derives from the cpu section: a profile for the algorithm ("rx/0", "rx", "*"),
 * else round(cores * max-threads-hint / 100), at least 1.
 * @param {Json} cfg
 * @param {number} cores
 * @param {string} algo
 * @returns {CpuPlan}
 */
export function resolveCpu(cfg, cores, algo) {
  const cpu = cfg.cpu;
  const priority = typeof cpu.priority === 'number' ? cpu.priority : -1;
  const base = { priority, yield: cpu.yield !== false, hint: null };
  if (cpu.enabled === false) return { ...base, count: 0, profile: '', affinities: [] };
  const family = algo.split('/')[0];
  for (const key of [algo, family, '*']) {
    let v = cpu[key];
    for (let guard = 0; typeof v === 'string' && guard < 5; guard++) v = cpu[v];
    if (v === undefined || v === null) continue;
    if (v === false) return { ...base, count: 0, profile: key, affinities: [] };
    if (Array.isArray(v)) {
      const affinities = v.map((e) =>
        typeof e === 'number' ? e : Array.isArray(e) ? Number(e[1] ?? -1) : Number(e?.affinity ?? -1),
      );
      return { ...base, count: v.length, profile: key, affinities };
    }
    if (isPlainObject(v) && typeof v.threads === 'number') {
      const count = Math.max(1, Math.floor(v.threads));
      return { ...base, count, profile: key, affinities: Array(count).fill(Number(v.affinity ?? -1)) };
    }
  }
  const rawHint = Number(cpu['max-threads-hint'] ?? 100);
  const hint = Math.min(100, Math.max(1, Number.isFinite(rawHint) ? rawHint : 100));
  const count = Math.max(1, Math.round((cores * hint) / 100));
  return { ...base, count, profile: family, affinities: Array(count).fill(-1), hint };
}

/**
 * Thread profiles XMRig's autosave writes when the file has none (hint edits then do nothing).
 * @param {number} count
 * @returns {Json}
 */
export function generatedProfiles(count) {
  const aff = Array.from({ length: count }, (_, i) => i);
  return {
    argon2: aff,
    cn: aff,
    'cn-heavy': aff,
    'cn-lite': aff,
    'cn-pico': aff,
    'cn/upx2': aff,
    ghostrider: aff,
    rx: aff,
    'rx/arq': 'rx/wow',
    'rx/wow': aff,
    'cn-lite/0': false,
    'cn/0': false,
  };
}

/**
 * The object GET /1/config returns (and autosave writes), in XMRig's key order.
 * @param {Json} cfg
 * @returns {Json}
 */
export function configJson(cfg) {
  const cpu = cfg.cpu;
  const profiles = cpuProfiles(cpu);
  /** @type {Json} */
  const cpuOut = {
    enabled: cpu.enabled,
    'huge-pages': cpu['huge-pages'],
    'huge-pages-jit': cpu['huge-pages-jit'],
    'hw-aes': cpu['hw-aes'],
    priority: cpu.priority,
    'memory-pool': cpu['memory-pool'],
    yield: cpu.yield,
  };
  if (profiles.length === 0) cpuOut['max-threads-hint'] = cpu['max-threads-hint'];
  cpuOut.asm = cpu.asm;
  cpuOut['argon2-impl'] = cpu['argon2-impl'];
  for (const k of ['cn/0', 'cn-lite/0']) if (k in cpu) cpuOut[k] = cpu[k];
  for (const k of profiles) cpuOut[k] = cpu[k];
  if ('kawpow' in cpu) cpuOut.kawpow = cpu.kawpow;

  /** @type {Json} */
  const out = {
    api: cfg.api,
    http: cfg.http,
    autosave: cfg.autosave,
    background: cfg.background,
    colors: cfg.colors,
    title: cfg.title,
    randomx: cfg.randomx,
    cpu: cpuOut,
    'log-file': cfg['log-file'],
  };
  if (isBench(cfg)) out.benchmark = cfg.benchmark;
  else {
    out['donate-level'] = cfg['donate-level'];
    out['donate-over-proxy'] = cfg['donate-over-proxy'];
    out.pools = cfg.pools;
    out.retries = cfg.retries;
    out['retry-pause'] = cfg['retry-pause'];
  }
  for (const k of ['print-time', 'dmi', 'syslog', 'tls', 'dns', 'user-agent', 'verbose', 'watch'])
    out[k] = cfg[k];
  out['pause-on-battery'] = cfg['pause-on-battery'];
  out['pause-on-active'] = cfg['pause-on-active'];
  return out;
}

/**
 * Read a config file like XMRig's JsonChain::addFile.
 * @param {string} file
 * @returns {{ ok: true, json: Json } | { ok: false, message: string }}
 */
export function readConfigFile(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { ok: false, message: `unable to open "${file}".` };
  }
  const r = parseLenient(text);
  if (!r.ok) {
    const before = text.slice(0, r.offset);
    const line = before.split('\n').length;
    const pos = r.offset - (before.lastIndexOf('\n') + 1);
    return { ok: false, message: `${file}<line:${line}, position:${pos}>: "${r.error}"` };
  }
  if (!isPlainObject(r.value)) return { ok: false, message: `unable to open "${file}".` };
  return { ok: true, json: r.value };
}

/**
 * The lines XMRig prints before exiting 2 when no configuration is usable.
 * @param {string | null} configPath
 * @param {string} exeDir
 * @param {string | null} [firstError] message for the given --config file
 */
export function noConfigLines(configPath, exeDir, firstError) {
  const home = os.homedir();
  const lines = [];
  if (configPath) lines.push(firstError ?? `unable to open "${path.resolve(configPath)}".`);
  lines.push(`unable to open "${path.join(exeDir, 'config.json')}".`);
  lines.push(`unable to open "${path.join(home, '.xmrig.json')}".`);
  lines.push(`unable to open "${path.join(home, '.config', 'xmrig.json')}".`);
  lines.push('no valid configuration found, try https://xmrig.com/wizard');
  return lines;
}

/**
 * "pool.example.com:3333" from "stratum+tcp://pool.example.com:3333".
 * @param {string} url
 */
export function poolHostPort(url) {
  const noScheme = url.replace(/^[a-z0-9+.-]+:\/\//i, '');
  const hostPort = noScheme.replace(/^[^@/]*@/, '').replace(/\/.*$/, '');
  return /:\d+$/.test(hostPort) ? hostPort : `${hostPort}:3333`;
}
