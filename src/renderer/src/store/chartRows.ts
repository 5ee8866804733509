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
  const buckets = new Map<number, Map<string, { sum: number; count: number }>>();
  for (const id of ids) {
    const s = series.get(id);
    if (!s) continue;
    for (const p of s.pointsSince(from, useRaw)) {
      const at = Math.floor(p.at / resolution) * resolution;
      let row = buckets.get(at);
      if (!row) {
        row = new Map();
        buckets.set(at, row);
      }
      const cell = row.get(id);
      if (cell) {
        cell.sum += p.value;
        cell.count += 1;
      } else row.set(id, { sum: p.value, count: 1 });
    }
  }
  const rows: ChartRow[] = [];
  for (const at of [...buckets.keys()].sort((a, b) => a - b)) {
    const row: ChartRow = { at };
    for (const [id, cell] of buckets.get(at) ?? []) row[lineKey(id)] = cell.sum / cell.count;
    rows.push(row);
  }
  return rows;
}
