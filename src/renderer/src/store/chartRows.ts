// Lays the decimated lines on one shared time grid, the row array recharts wants ({ at, "m:<id>": H/s }):
// one or two slots per bucket (min/max), a missing bucket inside a run filled by interpolation (a late
// sample is not a stop), null where a line is broken, and an extra row where a break falls between two
// adjacent slots, so recharts (which joins only defined neighbours) never draws across a gap.
import type { Bucket } from './decimate';

export type ChartRow = { at: number } & Record<string, number | null>;

/** Data key of a miner's line; prefixed so a miner named "at" cannot collide with the x key. */
export const lineKey = (id: string): string => `m:${id}`;

export interface GridLine {
  id: string;
  buckets: readonly Bucket[];
}

export interface GridOptions {
  bucketMs: number;
  /** 1 when buckets hold one sample (raw 5 m, minutes on 1 h), 2 for min/max buckets. */
  slots: 1 | 2;
  from: number;
  to: number;
  /** Log scales cannot draw 0 H/s: such values become breaks. */
  positiveOnly?: boolean;
}

export interface Grid {
  rows: ChartRow[];
  /** Breaks drawn (a line left undrawn between two of its runs). */
  breaks: number;
  /** The most values any one line has on the grid. */
  points: number;
  /** The largest value and the smallest positive one on the grid (for the value axis); 0 and Infinity when empty. */
  max: number;
  minPositive: number;
}

interface Cell {
  a: number;
  b: number;
  breakBefore: boolean;
}

export function buildGrid(lines: readonly GridLine[], o: GridOptions): Grid {
  const index = (t: number): number => Math.floor(t / o.bucketMs);
  const firstIndex = Math.ceil(o.from / o.bucketMs);
  const lastIndex = index(o.to);
  const keep = (v: number): number | null => (o.positiveOnly && !(v > 0) ? null : v);

  // Each line's buckets by grid index (a break inside one bucket keeps the later part).
  const cells = lines.map((l) => {
    const m = new Map<number, Cell>();
    for (const b of l.buckets) {
      const i = index(b.start);
      if (i < firstIndex || i > lastIndex) continue;
      const prev = m.get(i);
      m.set(i, { a: b.a, b: b.b, breakBefore: b.breakBefore || (prev?.breakBefore ?? false) });
    }
    return m;
  });
  const used = new Set<number>();
  for (const m of cells) for (const i of m.keys()) used.add(i);
  const indices = [...used].sort((x, y) => x - y);
  const position = new Map(indices.map((i, p) => [i, p]));

  // Where a line breaks between two grid indices with no row between them, a break row is inserted.
  const breakRowBefore = new Set<number>();
  cells.forEach((m) => {
    let prev: number | null = null;
    for (const i of indices) {
      const cell = m.get(i);
      if (!cell) continue;
      if (
        cell.breakBefore &&
        prev !== null &&
        (position.get(i) as number) - (position.get(prev) as number) === 1
      )
        breakRowBefore.add(i);
      prev = i;
    }
  });

  const rows: ChartRow[] = [];
  const rowOf = new Map<number, number>(); // grid index -> first slot row
  const breakRowOf = new Map<number, number>();
  for (const i of indices) {
    if (breakRowBefore.has(i)) {
      breakRowOf.set(i, rows.length);
      rows.push({ at: i * o.bucketMs - 1 });
    }
    rowOf.set(i, rows.length);
    for (let s = 0; s < o.slots; s += 1) rows.push({ at: i * o.bucketMs + (s * o.bucketMs) / o.slots });
  }

  let breaks = 0;
  let points = 0;
  let max = 0;
  let minPositive = Number.POSITIVE_INFINITY;
  const see = (v: number | null): number | null => {
    if (v !== null) {
      if (v > max) max = v;
      if (v > 0 && v < minPositive) minPositive = v;
    }
    return v;
  };
  lines.forEach((line, li) => {
    const key = lineKey(line.id);
    const m = cells[li] as Map<number, Cell>;
    const present = indices.filter((i) => m.has(i));
    points = Math.max(points, present.length * o.slots);
    // Slot time and value of the line's last drawn slot, for filling and break rows.
    let last: { at: number; v: number } | null = null;
    let next = 0;
    for (const i of indices) {
      const cell = m.get(i);
      const first = rowOf.get(i) as number;
      if (cell) {
        if (cell.breakBefore && last !== null) breaks += 1;
        const br = breakRowOf.get(i);
        if (br !== undefined) {
          const row = rows[br] as ChartRow;
          row[key] =
            cell.breakBefore || !last
              ? null
              : keep(interpolate(last, { at: i * o.bucketMs, v: cell.a }, row.at));
        }
        const values = o.slots === 1 ? [cell.b] : [cell.a, cell.b];
        values.forEach((v, s) => ((rows[first + s] as ChartRow)[key] = see(keep(v))));
        last = { at: (rows[first + o.slots - 1] as ChartRow).at, v: cell.b };
        next += 1;
        continue;
      }
      // Between two runs of this line, or before/after it: only a gap inside a run is filled.
      const upcoming = present[next];
      const after = upcoming === undefined ? undefined : m.get(upcoming);
      const br = breakRowOf.get(i);
      if (last && after && !after.breakBefore) {
        const to = { at: upcoming! * o.bucketMs, v: after.a };
        for (let s = 0; s < o.slots; s += 1) {
          const row = rows[first + s] as ChartRow;
          row[key] = keep(interpolate(last, to, row.at));
        }
        if (br !== undefined)
          (rows[br] as ChartRow)[key] = keep(interpolate(last, to, (rows[br] as ChartRow).at));
      } else {
        for (let s = 0; s < o.slots; s += 1) (rows[first + s] as ChartRow)[key] = null;
        if (br !== undefined) (rows[br] as ChartRow)[key] = null;
      }
    }
  });
  return { rows, breaks, points, max, minPositive };
}

function interpolate(from: { at: number; v: number }, to: { at: number; v: number }, at: number): number {
  if (to.at === from.at) return to.v;
  return from.v + ((to.v - from.v) * (at - from.at)) / (to.at - from.at);
}
