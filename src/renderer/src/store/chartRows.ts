// Turns the per-miner series into the row array recharts wants ({ at, "m:<id>": H/s }), only for the
// visible range and bucketed to that range's resolution, so the chart never sees unbounded data.
import type { HashrateSeries } from './hashrateSeries';
import { RANGE_MS, RANGE_RESOLUTION_MS, type ChartRange } from './chartRange';

export type ChartRow = Record<string, number>;

/** Data key of a miner's line; prefixed so a miner named "at" cannot collide with the x key. */
export const lineKey = (id: string): string => `m:${id}`;

export function buildChartRows(
  series: ReadonlyMap<string, HashrateSeries>,
  ids: readonly string[],
  range: ChartRange,
  now: number,
): ChartRow[] {
  const from = now - RANGE_MS[range];
  const resolution = RANGE_RESOLUTION_MS[range];
  const useRaw = range === '5m';
  const rows = new Map<number, ChartRow>();
  for (const id of ids) {
    const points = series.get(id)?.pointsSince(from, useRaw);
    if (!points) continue;
    const key = lineKey(id);
    // Points come oldest first, so each bucket is one run: average it and write one cell per row.
    let at = NaN;
    let sum = 0;
    let count = 0;
    const flush = (): void => {
      if (count === 0) return;
      let row = rows.get(at);
      if (!row) {
        row = { at };
        rows.set(at, row);
      }
      row[key] = sum / count;
    };
    for (const p of points) {
      const bucket = Math.floor(p.at / resolution) * resolution;
      if (bucket !== at) {
        flush();
        at = bucket;
        sum = 0;
        count = 0;
      }
      sum += p.value;
      count += 1;
    }
    flush();
  }
  return [...rows.values()].sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
}
