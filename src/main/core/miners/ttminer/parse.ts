// Parser for TT-Miner's Claymore-compatible `miner_getstat1` reply (an array of ;-separated strings).
// TT-Miner reports H/s; genuine Claymore-format replies report kH/s, told apart by result[0]. Impossible
// numbers are dropped with a warning by stats/sanity.ts (TT-Miner's physical bounds live there).
import { z } from 'zod';
import { MinerError } from '../../../../shared/errors';
import type { GpuStats, MinerStats } from '../../../../shared/model';
import { checkStats } from '../../stats/sanity';

export const GETSTAT_REQUEST = '{"id":0,"jsonrpc":"2.0","method":"miner_getstat1"}\n';

const replySchema = z.looseObject({
  // Version, uptime and the totals are the least a reply can carry; a tuple types them as present.
  result: z.tuple([z.string(), z.string(), z.string()], z.string()).nullable().optional(),
  error: z.unknown().optional(),
});

function fields(s: string | undefined): (number | null)[] {
  if (s === undefined || s.trim() === '') return [];
  return s.split(';').map((part) => {
    const n = Number(part); // Number() ignores surrounding whitespace itself
    // "off" (no secondary algorithm, no sensor) and other non-numbers mean "unknown"; numbers that cannot
    // be real (1e999 is Infinity, negatives) go on to the sanity check, which drops them with a warning.
    return part.trim() !== '' && !Number.isNaN(n) ? n : null;
  });
}

/** `error` is a parsed JSON value other than null: reading a property of it cannot throw. */
function errorText(error: NonNullable<unknown>): string {
  if (typeof error === 'string') return error;
  const { message } = error as { message?: unknown };
  return typeof message === 'string' ? message : JSON.stringify(error);
}

export function parseGetStat(body: unknown, now: number = Date.now()): MinerStats {
  let json: unknown = body;
  if (typeof body === 'string') {
    try {
      json = JSON.parse(body) as unknown;
    } catch {
      throw new MinerError('MINER_API', 'TT-Miner API did not return valid JSON');
    }
  }
  const parsed = replySchema.safeParse(json);
  if (!parsed.success) {
    throw new MinerError(
      'MINER_API',
      'TT-Miner API reply has an unexpected shape (expected a result array of strings)',
    );
  }
  const { result, error } = parsed.data;
  if (!result) {
    const why = error != null ? `: ${errorText(error)}` : '';
    throw new MinerError('MINER_API', `TT-Miner API returned no result${why}`);
  }

  const scale = result[0].startsWith('TT-Miner') ? 1 : 1000;
  const toHs = (v: number | null | undefined) => (v == null ? null : v * scale);

  const [totalRaw, accepted, rejected] = fields(result[2]);
  const total = toHs(totalRaw);
  const warmingUp = total === null || total === 0;

  const perGpu = fields(result[3]);
  const tempFan = fields(result[6]);
  const power = fields(result[9]);
  const gpus: GpuStats[] = perGpu.map((h, index) => ({
    index,
    hashrate: warmingUp && h === 0 ? null : toHs(h),
    temperature: tempFan[index * 2] ?? null,
    fan: tempFan[index * 2 + 1] ?? null,
    power: power[index] ?? null,
  }));

  const good = accepted ?? 0;
  const bad = rejected ?? 0;
  const uptimeMinutes = fields(result[1])[0] ?? 0;
  const pool = result[7]?.trim();
  return checkStats(
    {
      at: now,
      // Only one window is known; 0 before the first hash is "no data", not 0 H/s.
      hashrate: [warmingUp ? null : total, null, null],
      highest: null,
      warmingUp,
      threads: gpus.map((g) => g.hashrate),
      shares: { good, total: good + bad, rejected: bad },
      difficulty: null,
      avgShareTime: null,
      pool: pool ? pool : null,
      ping: null,
      uptime: uptimeMinutes * 60,
      paused: false,
      algo: null,
      cpu: null,
      gpus,
    },
    'ttminer',
  );
}
