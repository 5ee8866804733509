// The chart slice: per-miner hashrate and CPU series and events kept outside React state, the decimated lines
// of the visible range (built once per range and width, then appended to), and two version counters,
// the only reactive values: `version` on every change, `coarseVersion` when a minute-based view (1 h,
// 24 h: a pixel is minutes there) has something new to draw: a closed minute, an event, a backfill.
import { create } from 'zustand';
import type { HistoryEvent, StatsBatch } from '../../../shared/contract';
import type { HashratePoint } from '../../../shared/model';
import { BREAK_KINDS, mergeEvents } from './chartEvents';
import { buildLine, liveSample, rangeSpec, type RangeSpec } from './chartModel';
import { RANGE_MS, type ChartRange } from './chartRange';
import type { Bucket, DecimatedLine } from './decimate';
import { HashrateSeries, mergeHistory } from './hashrateSeries';
import type { MinersById } from './minersReducer';

export interface HistoryChunk {
  points: readonly HashratePoint[];
  events?: readonly HistoryEvent[] | undefined;
  /** Measured CPU (% of the whole machine) of the miner's process tree. */
  cpu?: readonly HashratePoint[] | undefined;
}

/** What the chart plots: hashrate (H/s) or the miners' measured CPU (% of this computer). */
export type ChartMetric = 'hashrate' | 'cpu';

interface Model {
  key: string;
  metric: ChartMetric;
  spec: RangeSpec;
  lines: Map<string, DecimatedLine>;
}

export interface ChartLines {
  from: number;
  to: number;
  spec: RangeSpec;
  /** Buckets per miner id in [from, to] (only ids with a series). */
  lines: ReadonlyMap<string, readonly Bucket[]>;
  /** Events per miner id inside [from, to]. */
  events: ReadonlyMap<string, readonly HistoryEvent[]>;
}

export interface ChartState {
  version: number;
  coarseVersion: number;
  series: ReadonlyMap<string, HashrateSeries>;
  /** Measured CPU per miner, the same two tiers as the hashrate. */
  cpu: ReadonlyMap<string, HashrateSeries>;
  events: ReadonlyMap<string, readonly HistoryEvent[]>;
  /** Adds the 10 s hashrate of each current-generation miner in the batch. */
  addBatch: (batch: StatsBatch, miners: MinersById) => void;
  /** Merges fetched histories (miner id -> points and events) with one version bump. */
  backfill: (histories: ReadonlyMap<string, HistoryChunk>) => void;
  /** Records events seen live (miner id -> state changes) with one version bump; break kinds also break the visible line at once. */
  addEvents: (byMiner: ReadonlyMap<string, readonly HistoryEvent[]>) => void;
  /** The visible range's lines for a plot `plotWidth` px wide; rebuilt only when range or width changes. */
  linesFor: (
    range: ChartRange,
    plotWidth: number,
    statsIntervalMs: number,
    now: number,
    metric?: ChartMetric,
  ) => ChartLines;
  drop: (id: string) => void;
  reset: () => void;
}

/** Widths within one step share a model, so a window resize by a few pixels does not rebuild it. */
const WIDTH_STEP = 100;
/** Minute-based views redraw at least this often even within a minute (their live point moves). */
const COARSE_EVERY_BATCHES = 15;

export const useChartStore = create<ChartState>()((set) => {
  const series = new Map<string, HashrateSeries>();
  const cpu = new Map<string, HashrateSeries>();
  // CPU history is merged only once the CPU view is first drawn: most sessions never open it, and the
  // merge would double the work of the first render.
  const cpuHistory = new Map<string, HashratePoint[]>();
  const mergeCpuHistory = (): void => {
    for (const [id, points] of cpuHistory) cpu.set(id, mergeHistory(cpu.get(id), points));
    cpuHistory.clear();
  };
  const events = new Map<string, readonly HistoryEvent[]>();
  let model: Model | null = null;
  let batchesSinceCoarse = 0;
  const bump = (coarse = true): void => {
    if (coarse) batchesSinceCoarse = 0;
    set((s) => ({ version: s.version + 1, coarseVersion: s.coarseVersion + (coarse ? 1 : 0) }));
  };

  const sourceOf = (metric: ChartMetric) => (metric === 'cpu' ? cpu : series);
  const lineOf = (m: Model, id: string, from: number): DecimatedLine => {
    let line = m.lines.get(id);
    if (!line) {
      line = buildLine(sourceOf(m.metric).get(id), events.get(id) ?? [], m.spec, from);
      m.lines.set(id, line);
    }
    return line;
  };

  return {
    version: 0,
    coarseVersion: 0,
    series,
    cpu,
    events,
    addBatch: (batch, miners) => {
      let changed = false;
      let minuteClosed = false;
      /** Adds one sample to `id`'s series in `map`; the visible line follows when it plots `metric`. */
      const add = (
        map: Map<string, HashrateSeries>,
        metric: ChartMetric,
        id: string,
        at: number,
        value: number,
      ) => {
        let s = map.get(id);
        if (!s) {
          s = new HashrateSeries();
          map.set(id, s);
          minuteClosed = true; // a new line to draw
        }
        const lastMinute = s.minutes.last()?.at;
        if (!s.add({ at, value })) return;
        changed = true;
        if (s.minutes.last()?.at !== lastMinute) minuteClosed = true;
        const line = model?.metric === metric ? model.lines.get(id) : undefined;
        const sample = model && line ? liveSample(s, model.spec) : null;
        if (line && sample) line.put(sample.at, sample.value);
      };
      for (const entry of batch.miners) {
        const miner = miners[entry.id];
        if (!miner || miner.generation !== entry.generation) continue;
        // CPU is measured while the miner warms up or pauses too, when it reports no hashrate.
        const usage = entry.stats.usage;
        if (usage) add(cpu, 'cpu', entry.id, usage.at, usage.machineCpuPercent);
        const value = entry.stats.hashrate[0];
        if (value != null) add(series, 'hashrate', entry.id, entry.stats.at, value);
      }
      if (changed) bump(minuteClosed || ++batchesSinceCoarse >= COARSE_EVERY_BATCHES);
    },
    backfill: (histories) => {
      let changed = false;
      for (const [id, chunk] of histories) {
        if (chunk.points.length > 0) {
          series.set(id, mergeHistory(series.get(id), chunk.points));
          changed = true;
        }
        if (chunk.cpu && chunk.cpu.length > 0) {
          const pending = cpuHistory.get(id);
          if (pending) pending.push(...chunk.cpu);
          else cpuHistory.set(id, [...chunk.cpu]);
          changed = true;
        }
        if (chunk.events && chunk.events.length > 0) {
          const merged = mergeEvents(events.get(id) ?? [], chunk.events);
          if (merged !== events.get(id)) {
            events.set(id, merged);
            changed = true;
          }
        }
      }
      // Older points may have arrived: the visible lines are rebuilt once, on the next read.
      if (changed) {
        model = null;
        bump();
      }
    },
    addEvents: (byMiner) => {
      let changed = false;
      for (const [id, incoming] of byMiner) {
        const before = events.get(id) ?? [];
        const merged = mergeEvents(before, incoming);
        if (merged === before) continue;
        events.set(id, merged);
        changed = true;
        const line = model?.lines.get(id);
        for (const e of incoming) if (line && BREAK_KINDS.has(e.kind)) line.markBreak(e.at);
      }
      if (changed) bump();
    },
    linesFor: (range, plotWidth, statsIntervalMs, now, metric = 'hashrate') => {
      const width = Math.max(WIDTH_STEP, Math.round(plotWidth / WIDTH_STEP) * WIDTH_STEP);
      const key = `${range}:${width}:${statsIntervalMs}:${metric}`;
      const from = now - RANGE_MS[range];
      if (metric === 'cpu' && cpuHistory.size > 0) {
        mergeCpuHistory();
        model = null;
      }
      if (!model || model.key !== key) {
        model = { key, metric, spec: rangeSpec(range, width, statsIntervalMs), lines: new Map() };
      }
      const current = model;
      const lines = new Map<string, readonly Bucket[]>();
      const visibleEvents = new Map<string, readonly HistoryEvent[]>();
      for (const id of sourceOf(metric).keys()) lines.set(id, lineOf(current, id, from).bucketsFrom(from));
      for (const [id, list] of events) {
        const inRange = list.filter((e) => e.at >= from && e.at <= now);
        if (inRange.length > 0) visibleEvents.set(id, inRange);
      }
      return { from, to: now, spec: current.spec, lines, events: visibleEvents };
    },
    drop: (id) => {
      const hadRate = series.delete(id);
      const hadCpu = cpu.delete(id);
      const hadCpuHistory = cpuHistory.delete(id);
      const had = hadRate || hadCpu || hadCpuHistory;
      const hadEvents = events.delete(id);
      model?.lines.delete(id);
      if (had || hadEvents) bump();
    },
    reset: () => {
      series.clear();
      cpu.clear();
      cpuHistory.clear();
      events.clear();
      model = null;
      batchesSinceCoarse = 0;
      set({ version: 0, coarseVersion: 0 });
    },
  };
});
