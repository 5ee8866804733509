// Parsers for XMRig's GET /2/summary and /2/backends into MinerStats, checked against real 6.26.0 replies.
// Unknown fields are tolerated; field types are validated here, physical plausibility in stats/sanity.ts.
import { z } from 'zod';
import { MinerError } from '../../../../shared/errors';
import type { HashrateTriple, MinerStats } from '../../../../shared/model';
import { checkStats } from '../../stats/sanity';

/**
 * Any JSON number, including the Infinity that JSON.parse makes of 1e999 and negative ones: a number
 * that cannot be real is dropped by the sanity check with a warning, not by failing the whole sample.
 */
const num = z.custom<number>((v) => typeof v === 'number' && !Number.isNaN(v), 'Expected a number');
const rate = num.nullable();
const triple = z.tuple([rate, rate, rate]);

// Plain objects (unknown keys stripped, not copied): a summary has ~20 keys this never reads, and
// copying them cost a third of the parse on every poll (bench/manager-overhead). Numbers are only
// checked to be numbers here; sanity.ts judges their values and says what it dropped.
export const summarySchema = z.object({
  uptime: num,
  paused: z.boolean().default(false),
  algo: z.string().nullable().optional(),
  hashrate: z.object({
    total: triple,
    highest: rate.optional(),
    // v1 summaries carry per-thread rates here; /2/backends is preferred when present.
    threads: z.array(z.array(rate)).optional(),
  }),
  results: z.object({
    diff_current: num.optional(),
    shares_good: num,
    shares_total: num,
    avg_time: num.optional(),
    hashes_total: num.optional(),
  }),
  connection: z
    .looseObject({
      pool: z.string().nullable().optional(),
      ping: num.optional(),
      diff: num.optional(),
      accepted: num.optional(),
      rejected: num.optional(),
    })
    .optional(),
  cpu: z.object({ brand: z.string(), threads: z.number().int().nonnegative() }).optional(),
});
export type XmrigSummary = z.infer<typeof summarySchema>;

const backendThreadSchema = z.object({ hashrate: z.array(rate).optional() });

export const backendsSchema = z.array(
  z.object({
    type: z.string(),
    enabled: z.boolean().optional(),
    hashrate: z.array(rate).optional(),
    // -1 when the config sets none (wire_get_2_backends.txt); 0-5 otherwise.
    priority: z.number().int().optional(),
    // Absent after `json_rpc stop` (runB_2_backends_after_stop.json).
    threads: z.array(backendThreadSchema).optional(),
  }),
);
export type XmrigBackends = z.infer<typeof backendsSchema>;

// JSON.parse rounds 2^64-1 (bench mode's "no difficulty") to 1.8e19; anything past 2^53 is not a real value.
const MAX_EXACT = 2 ** 53;

/** Details of a MINER_API error for a reply that was cut short or unparsable: a miss, not a crash. */
export interface TransientMissDetails {
  transient: true;
  endpoint: string;
  bytes: number;
}

/** True for errors that mean "no sample this tick" (keep the last good one), never "the miner is broken". */
export function isTransientMinerError(err: unknown): boolean {
  if (!(err instanceof MinerError) || err.code !== 'MINER_API') return false;
  const details = err.details as Partial<TransientMissDetails> | undefined;
  return details?.transient === true;
}

/** Parses a response body (string) or an already-parsed value, naming the endpoint in errors. */
export function parseJsonBody(body: unknown, what: string): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    // XMRig 6.21.2-6.22.1 served truncated /summary JSON for minutes after start (xmrig issues 3363,
    // 3407, 3568): the miner is fine, this one reply is not.
    const details: TransientMissDetails = { transient: true, endpoint: what, bytes: body.length };
    throw new MinerError('MINER_API', `XMRig ${what} did not return valid JSON (truncated reply?)`, details);
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // zod reports at least one issue for every failed parse.
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  throw new MinerError('MINER_API', `XMRig ${what} has an unexpected shape${where}: ${issue.message}`);
}

export function parseBackends(body: unknown): XmrigBackends {
  return validate(backendsSchema, parseJsonBody(body, '/2/backends'), '/2/backends');
}

/** 0 and null both mean "no data"; only when every window is empty is the miner still warming up. */
function normalizeTriple(total: readonly (number | null)[]): { hashrate: HashrateTriple; empty: boolean } {
  const empty = total.every((v) => v === null || v === 0);
  if (empty) return { hashrate: [null, null, null], empty };
  return { hashrate: [total[0] ?? null, total[1] ?? null, total[2] ?? null], empty };
}

/** XMRig reports 0 for "not measured yet"; anything else (even impossible) goes on to the sanity check. */
function zeroIsUnknown(v: number | null | undefined): number | null {
  return v == null || v === 0 ? null : v;
}

function difficulty(v: number | undefined): number | null {
  return v != null && v > 0 && v < MAX_EXACT ? v : null;
}

function threadRates(
  summary: XmrigSummary,
  backends: XmrigBackends | undefined,
  empty: boolean,
): (number | null)[] {
  const cpu = backends?.find((b) => b.type === 'cpu' && b.enabled !== false);
  const rows = cpu
    ? (cpu.threads ?? []).map((t) => t.hashrate?.[0] ?? null)
    : (summary.hashrate.threads ?? []).map((t) => t[0] ?? null);
  // While nothing is hashing yet a per-thread 0 is "no data", like the total.
  return empty ? rows.map((r) => (r === 0 ? null : r)) : rows;
}

/**
 * Maps /2/summary (+ optional /2/backends) to MinerStats; bodies may be strings or parsed JSON. A bad
 * summary fails the sample; a bad backends reply only costs the per-thread rates (the sample says so).
 */
export function parseSummary(body: unknown, backendsBody?: unknown, now: number = Date.now()): MinerStats {
  const s = validate(summarySchema, parseJsonBody(body, '/2/summary'), '/2/summary');
  const warnings: string[] = [];
  let backends: XmrigBackends | undefined;
  if (backendsBody !== undefined) {
    try {
      backends = parseBackends(backendsBody);
    } catch (err) {
      warnings.push(`per-thread rates unavailable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const { hashrate, empty } = normalizeTriple(s.hashrate.total);
  const good = s.results.shares_good;
  const total = Math.max(s.results.shares_total, good);
  const stats: MinerStats = {
    at: now,
    hashrate,
    highest: zeroIsUnknown(s.hashrate.highest),
    // A paused miner reports no rate either, but it is not warming up.
    warmingUp: empty && !s.paused,
    threads: threadRates(s, backends, empty),
    shares: { good, total, rejected: s.connection?.rejected ?? total - good },
    difficulty: difficulty(s.results.diff_current ?? s.connection?.diff),
    avgShareTime: zeroIsUnknown(s.results.avg_time),
    pool: s.connection?.pool ?? null,
    // XMRig reports ping 0 before it has measured one (and always in bench mode).
    ping: zeroIsUnknown(s.connection?.ping),
    uptime: s.uptime,
    paused: s.paused,
    algo: s.algo ?? null,
    cpu: s.cpu ? { brand: s.cpu.brand, threads: s.cpu.threads } : null,
    gpus: [],
    hashesTotal: s.results.hashes_total ?? null,
  };
  if (warnings.length > 0) stats.warnings = warnings;
  return checkStats(stats, 'xmrig');
}

// Loose: the thread profiles are exactly the keys this schema does not name.
const configKnobsSchema = z.looseObject({
  cpu: z.looseObject({ 'max-threads-hint': z.number().optional() }),
});

/** Keys in GET /1/config's cpu section that are settings, not thread profiles (runB_1_config.json). */
const CPU_SETTING_KEYS = new Set([
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
  'cn/0',
  'cn-lite/0',
  'kawpow',
]);

/** The hint XMRig runs with, from GET /1/config; null when a thread profile makes it ignore the hint. */
export function parseConfigKnobs(body: unknown): { hint: number | null } {
  const cfg = validate(configKnobsSchema, parseJsonBody(body, '/1/config'), '/1/config');
  const profiles = Object.entries(cfg.cpu).some(
    ([k, v]) => !CPU_SETTING_KEYS.has(k) && v !== false && v !== null,
  );
  return { hint: profiles ? null : (cfg.cpu['max-threads-hint'] ?? null) };
}
