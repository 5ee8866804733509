// Pure builder of the config.json XMRig runs from: pool, CPU throttle knobs and a loopback API.
// The file is the single source of truth for XMRig, so live throttling is just rewriting it.
import path from 'node:path';
import type { FileToWrite, LaunchContext } from '../adapter';
import { applyXmrigArgs, xmrigUserArgs } from './user-args';

export interface XmrigPoolJson {
  url: string;
  user: string;
  pass: string;
  tls: boolean;
  keepalive: boolean;
  coin: string | null;
  algo: string | null;
  enabled: true;
  // From the profile's extra arguments (user-args.ts).
  'rig-id'?: string | null;
  nicehash?: boolean;
  'tls-fingerprint'?: string | null;
}

export interface XmrigCpuJson {
  enabled: true;
  'huge-pages': boolean;
  priority: number | null;
  yield: boolean;
  'max-threads-hint': number;
  'memory-pool'?: boolean | number;
  asm?: boolean | string;
  'argon2-impl'?: string | null;
  /**
   * Explicit thread count: one entry per thread (`-1` = any core, else a CPU index) under the algorithm
   * family and "*". XMRig reloads this live, restarting only its CPU workers (watch_threads_rx_array.log).
   */
  [profile: string]: unknown;
}

/** Only what the profile's extra arguments set; XMRig fills in the rest. */
export interface XmrigRandomxJson {
  mode?: string;
  init?: number;
  numa?: boolean;
  '1gb-pages'?: boolean;
  wrmsr?: boolean | number;
  rdmsr?: boolean;
  cache_qos?: boolean;
}

export interface XmrigConfigJson {
  autosave: false;
  watch: true;
  background: false;
  colors: false;
  'print-time': number;
  'health-print-time': number;
  'donate-level': number;
  'donate-over-proxy': number;
  'log-file': null;
  syslog: false;
  'pause-on-battery': false;
  'pause-on-active': false;
  http: { enabled: true; host: '127.0.0.1'; port: number; 'access-token': string; restricted: false };
  cpu: XmrigCpuJson;
  pools: XmrigPoolJson[];
  // Set only by the profile's extra arguments (user-args.ts).
  randomx?: XmrigRandomxJson;
  dns?: { ip_version?: number; ttl?: number };
  dmi?: boolean;
  retries?: number;
  'retry-pause'?: number;
  verbose?: number;
}

export const XMRIG_CONFIG_FILE = 'config.json';

export function xmrigConfigPath(workDir: string): string {
  return path.join(workDir, XMRIG_CONFIG_FILE);
}

// XMRig 6 only understands stratum+tcp:// and stratum+ssl:// (or no scheme); the shared schema also
// accepts ssl://, tcp://, stratum+tls:// and stratum1/2+..., so those are rewritten to host:port + tls flag.
const SCHEME = /^([A-Za-z0-9+]+):\/\//;
const XMRIG_SCHEMES = new Set(['stratum+tcp', 'stratum+ssl']);

function poolUrl(pool: string, tls: boolean): { url: string; tls: boolean } {
  const m = SCHEME.exec(pool);
  if (!m?.[1]) return { url: pool, tls };
  const scheme = m[1].toLowerCase();
  const secure = tls || scheme.endsWith('ssl') || scheme.endsWith('tls');
  if (XMRIG_SCHEMES.has(scheme)) return { url: pool, tls: secure };
  return { url: pool.slice(m[0].length), tls: secure };
}

/** The cpu profile XMRig looks up for the configured algorithm: its family ("rx" for rx/0 and coins). */
export function threadProfileKey(algo: string | undefined): string {
  const family = algo?.split('/')[0]?.toLowerCase();
  return family && /^[a-z0-9-]+$/.test(family) ? family : 'rx';
}

/** `[-1, -1]` = two threads on any core: the form verified live on the real binary. */
export function threadArray(threads: number): number[] {
  return Array.from({ length: threads }, () => -1);
}

export function buildXmrigConfig(ctx: LaunchContext): XmrigConfigJson {
  const c = ctx.config;
  const { url, tls } = poolUrl(c.pool, c.tls);
  const cpu: XmrigCpuJson = {
    enabled: true,
    'huge-pages': c.hugePages,
    priority: c.cpuPriority ?? null,
    yield: c.cpuYield,
    'max-threads-hint': c.cpuMaxThreadsHint,
  };
  // Explicit threads go in the watched file as thread arrays rather than `--threads=N`, so a rewrite
  // changes them live: editing `cpu.rx` from [-1] to [-1,-1] restarted only the CPU workers in 24-32 ms
  // on the real binary, with no RandomX re-initialisation (watch_threads_rx_array.log). The family key
  // serves the configured algorithm, "*" any other one the pool may switch to. Like --threads, a profile
  // makes XMRig ignore max-threads-hint; with threads 0 there is none and the hint decides, also live.
  if (c.threads > 0) {
    cpu[threadProfileKey(c.algo)] = threadArray(c.threads);
    cpu['*'] = threadArray(c.threads);
  }
  const json: XmrigConfigJson = {
    // autosave false: with autosave XMRig writes explicit thread arrays back and hint edits stop working.
    autosave: false,
    // watch true: XMRig reloads this file within ~0.5 s, which is how throttling is applied live.
    watch: true,
    background: false,
    colors: false,
    'print-time': 10,
    'health-print-time': 60,
    'donate-level': c.donateLevel,
    'donate-over-proxy': c.donateLevel,
    'log-file': null,
    syslog: false,
    'pause-on-battery': false,
    'pause-on-active': false,
    // Non-restricted so pause/resume work; safe because it is loopback-only with a fresh random token.
    http: {
      enabled: true,
      host: '127.0.0.1',
      port: ctx.apiPort,
      'access-token': ctx.apiToken,
      restricted: false,
    },
    cpu,
    pools: [
      {
        url,
        user: c.wallet,
        pass: c.password,
        tls,
        keepalive: c.keepalive,
        coin: c.coin ?? null,
        algo: c.coin ? null : (c.algo ?? null),
        enabled: true,
      },
    ],
  };
  return applyXmrigArgs(json, xmrigUserArgs(c));
}

export function xmrigConfigFile(ctx: LaunchContext): FileToWrite {
  return {
    path: xmrigConfigPath(ctx.workDir),
    content: `${JSON.stringify(buildXmrigConfig(ctx), null, 2)}\n`,
  };
}
