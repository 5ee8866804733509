// Benchmark: the lasting history with 10 miners x 30 days of 1-minute points: write throughput, loading
// 24 h and 30 d for the chart, bytes on disk, each against a floor measured in the same run on the same
// bytes (plain appendFile; plain readFile + one JSON.parse). Writes bench/results/history.json.
// Targets: load 24 h < 50 ms, load 30 d < 300 ms (all miners, as the dashboard asks for them).
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HistoryStore, type HistoryPoint } from '../src/main/core/store/history-store';
import { DAY_MS, MINUTE_MS, dayKey } from '../src/main/core/store/history-store-format';
import { FakeClock } from '../src/main/core/util/clock';

const ROOT = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '../..')].find((dir) =>
  existsSync(join(dir, 'package.json')),
)!;
const MINERS = Number(process.env.BENCH_MINERS ?? 10);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const LIVE_APPENDS = Number(process.env.BENCH_LIVE_APPENDS ?? 5000);
const CHART_STEP_30D = 30 * MINUTE_MS; // 1440 points per miner on a 30-day chart
const CHART_STEP_7D = 10 * MINUTE_MS; // 1008 points per miner on a 7-day chart

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Deterministic pseudo-random numbers (mulberry32) so every run writes the same bytes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A day of one miner: ~2 % of minutes off (gaps), warm-up minutes with no rate, realistic numbers. */
function dayOfPoints(miner: number, dayStart: number, rand: () => number): HistoryPoint[] {
  const base = 3000 + miner * 450;
  const out: HistoryPoint[] = [];
  const offFrom = Math.floor(rand() * 1400);
  for (let m = 0; m < 1440; m++) {
    if (m >= offFrom && m < offFrom + 30) continue; // a half-hour stop: a gap
    const warming = m === offFrom + 30;
    out.push({
      at: dayStart + m * MINUTE_MS,
      hashrate: warming ? null : base * (0.97 + rand() * 0.06),
      cpu: 90 + rand() * 9,
      accepted: rand() < 0.3 ? 1 : 0,
      rejected: rand() < 0.01 ? 1 : 0,
    });
  }
  return out;
}

async function dirBytes(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const id of await readdir(dir)) {
    for (const name of await readdir(join(dir, id))) {
      bytes += (await stat(join(dir, id, name))).size;
      files++;
    }
  }
  return { bytes, files };
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** The floor for a load: read the same day files and parse them as one JSON array each, nothing else. */
async function floorLoad(dir: string, from: number, to: number): Promise<number> {
  let values = 0;
  const days = new Set<string>();
  for (let d = Math.floor(from / DAY_MS) * DAY_MS; d <= to; d += DAY_MS) days.add(dayKey(d));
  const ids = await readdir(dir);
  await Promise.all(
    ids.flatMap((id) =>
      [...days].map(async (day) => {
        const text = await readFile(join(dir, id, `${day}.jsonl`), 'utf8').catch(() => '');
        if (!text) return;
        values += (JSON.parse(`[${text.slice(0, -1).replaceAll('\n', ',')}]`) as unknown[]).length;
      }),
    ),
  );
  return values;
}

async function main(): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), 'hashdeck-bench-history-'));
  const dir = join(base, 'history');
  const floorDir = join(base, 'floor');
  const end = Math.floor(Date.UTC(2025, 5, 1) / DAY_MS) * DAY_MS; // a fixed "now" at midnight UTC
  const start = end - DAYS * DAY_MS;
  const now = end - 1;

  // ---- data: every miner's days, generated up front so generation is not timed
  const rand = rng(42);
  const perMinerDays: HistoryPoint[][][] = [];
  let totalPoints = 0;
  for (let m = 0; m < MINERS; m++) {
    const days: HistoryPoint[][] = [];
    for (let d = 0; d < DAYS; d++) {
      const pts = dayOfPoints(m, start + d * DAY_MS, rand);
      totalPoints += pts.length;
      days.push(pts);
    }
    perMinerDays.push(days);
  }
  const events = MINERS * DAYS * 4;

  // ---- write: bulk (one append per miner per day: an import or a catch-up)
  const store = new HistoryStore({ dir, retentionDays: DAYS + 1 });
  const bulk = await time(async () => {
    for (let m = 0; m < MINERS; m++) {
      for (let d = 0; d < DAYS; d++) {
        const dayStart = start + d * DAY_MS;
        await store.appendPoints(`miner-${m}`, perMinerDays[m]![d]!);
        for (const h of [1, 7, 13, 19]) {
          await store.appendEvent(`miner-${m}`, {
            at: dayStart + h * 3600_000,
            kind: 'watchdog',
            text: `restart ${h}`,
          });
        }
      }
    }
  });
  const disk = await dirBytes(dir);

  // floor: the same bytes with plain appendFile, one call per miner per day
  const files: { path: string; text: string }[] = [];
  for (const id of await readdir(dir)) {
    for (const name of await readdir(join(dir, id))) {
      files.push({ path: join(floorDir, id, name), text: await readFile(join(dir, id, name), 'utf8') });
    }
  }
  for (const id of await readdir(dir)) await mkdir(join(floorDir, id), { recursive: true });
  const bulkFloor = await time(async () => {
    for (const f of files) await appendFile(f.path, f.text);
  });

  // ---- write: live pattern (one point per miner per minute, each its own append)
  const live = new HistoryStore({ dir: join(base, 'live') });
  const latencies: number[] = [];
  const liveRun = await time(async () => {
    for (let i = 0; i < LIVE_APPENDS; i++) {
      const m = i % MINERS;
      const t0 = performance.now();
      await live.appendPoint(`miner-${m}`, {
        at: start + Math.floor(i / MINERS) * MINUTE_MS,
        hashrate: 3210.55,
        cpu: 95.1,
        accepted: 0,
        rejected: 0,
      });
      latencies.push(performance.now() - t0);
    }
  });
  const liveLine = `${JSON.stringify([start, 3210.55, 95.1, 0, 0])}\n`;
  await mkdir(join(base, 'live-floor'), { recursive: true });
  const liveFloor = await time(async () => {
    for (let i = 0; i < LIVE_APPENDS; i++)
      await appendFile(join(base, 'live-floor', `m${i % MINERS}.jsonl`), liveLine);
  });

  // ---- loads (each run with a fresh store: nothing cached in the process; the OS page cache is warm).
  // The store's clock says "now" is the last minute of the data, so every earlier day is complete.
  const clock = new FakeClock(now);
  const dropSummaries = async () => {
    for (const id of await readdir(dir)) {
      for (const name of await readdir(join(dir, id))) {
        if (name.endsWith('.sum.json')) await rm(join(dir, id, name));
      }
    }
  };
  const load = async (from: number, stepMs?: number, cold = false) => {
    const ms: number[] = [];
    let points = 0;
    for (let r = 0; r < RUNS; r++) {
      if (cold) await dropSummaries();
      const fresh = new HistoryStore({ dir, clock });
      const res = await time(() => fresh.queryAll(from, now, stepMs ? { stepMs } : {}));
      ms.push(res.ms);
      points = Object.values(res.value).reduce((n, x) => n + x.points.length, 0);
    }
    return { medianMs: round(median(ms)), maxMs: round(Math.max(...ms)), pointsReturned: points };
  };
  const floor = async (from: number) => {
    const ms: number[] = [];
    for (let r = 0; r < RUNS; r++) ms.push((await time(() => floorLoad(dir, from, now))).ms);
    return round(median(ms));
  };
  const from24h = now - DAY_MS;
  const from30d = start;
  const load24h = await load(from24h);
  const load30dCold = await load(from30d, CHART_STEP_30D, true);
  // The daily job (prune + summarise) as the app runs it at start-up; timed once from no summaries.
  await dropSummaries();
  const daily = await time(() => new HistoryStore({ dir, clock, retentionDays: DAYS + 1 }).summarize());
  const load30dChart = await load(from30d, CHART_STEP_30D);
  const load7dChart = await load(now - 7 * DAY_MS, CHART_STEP_7D);
  const load30dRaw = await load(from30d);
  const floor24h = await floor(from24h);
  const floor30d = await floor(from30d);

  const result = {
    when: new Date().toISOString(),
    node: process.version,
    miners: MINERS,
    days: DAYS,
    points: totalPoints,
    events,
    write: {
      bulk: {
        ms: round(bulk.ms),
        pointsPerSec: Math.round(totalPoints / (bulk.ms / 1000)),
        mbPerSec: round(disk.bytes / 2 ** 20 / (bulk.ms / 1000)),
        floorMs: round(bulkFloor.ms),
        ratioToFloor: round(bulk.ms / bulkFloor.ms),
      },
      live: {
        appends: LIVE_APPENDS,
        appendsPerSec: Math.round(LIVE_APPENDS / (liveRun.ms / 1000)),
        p50Ms: round(percentile(latencies, 50), 3),
        p99Ms: round(percentile(latencies, 99), 3),
        floorAppendsPerSec: Math.round(LIVE_APPENDS / (liveFloor.ms / 1000)),
        ratioToFloor: round(liveRun.ms / liveFloor.ms),
      },
    },
    disk: {
      bytes: disk.bytes,
      mib: round(disk.bytes / 2 ** 20),
      files: disk.files,
      bytesPerPoint: round(disk.bytes / totalPoints, 1),
    },
    load: {
      h24: { ...load24h, floorMs: floor24h, ratioToFloor: round(load24h.medianMs / floor24h), targetMs: 50 },
      d30Chart: {
        ...load30dChart,
        stepMinutes: CHART_STEP_30D / MINUTE_MS,
        floorMs: floor30d,
        ratioToFloor: round(load30dChart.medianMs / floor30d),
        targetMs: 300,
      },
      d30ChartFirstEver: {
        ...load30dCold,
        note: 'no day summaries on disk yet: this load builds them',
        floorMs: floor30d,
        ratioToFloor: round(load30dCold.medianMs / floor30d),
      },
      d7Chart: { ...load7dChart, stepMinutes: CHART_STEP_7D / MINUTE_MS },
      d30Raw: { ...load30dRaw, floorMs: floor30d, ratioToFloor: round(load30dRaw.medianMs / floor30d) },
      dailySummarizeMs: { ms: round(daily.ms), daysSummarized: daily.value },
    },
  };
  const pass = { load24h: load24h.medianMs < 50, load30d: load30dChart.medianMs < 300 };

  await rm(base, { recursive: true, force: true });
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  const out = join(ROOT, 'bench/results/history.json');
  await writeFile(out, `${JSON.stringify({ ...result, pass }, null, 2)}\n`);

  const w = result.write;
  console.log(`history: ${MINERS} miners x ${DAYS} days = ${totalPoints} minute points + ${events} events`);
  console.log(
    `  write bulk   ${w.bulk.pointsPerSec} points/s (${w.bulk.mbPerSec} MiB/s), ${w.bulk.ms} ms; floor ${w.bulk.floorMs} ms (x${w.bulk.ratioToFloor})`,
  );
  console.log(
    `  write live   ${w.live.appendsPerSec} appends/s, p50 ${w.live.p50Ms} ms p99 ${w.live.p99Ms} ms; floor ${w.live.floorAppendsPerSec}/s (x${w.live.ratioToFloor})`,
  );
  console.log(
    `  disk         ${result.disk.mib} MiB in ${result.disk.files} files, ${result.disk.bytesPerPoint} B/point`,
  );
  const l = result.load;
  console.log(
    `  load 24 h    median ${l.h24.medianMs} ms, max ${l.h24.maxMs} ms, ${l.h24.pointsReturned} points; floor ${l.h24.floorMs} ms (x${l.h24.ratioToFloor})  target < 50 ${pass.load24h ? 'ok' : 'MISS'}`,
  );
  console.log(
    `  load 30 d    median ${l.d30Chart.medianMs} ms, max ${l.d30Chart.maxMs} ms, ${l.d30Chart.pointsReturned} points (${l.d30Chart.stepMinutes}-min buckets); floor ${l.d30Chart.floorMs} ms (x${l.d30Chart.ratioToFloor})  target < 300 ${pass.load30d ? 'ok' : 'MISS'}`,
  );
  console.log(
    `  load 30 d    first ever (builds summaries) median ${l.d30ChartFirstEver.medianMs} ms (x${l.d30ChartFirstEver.ratioToFloor} floor); daily job summarising ${l.dailySummarizeMs.daysSummarized} days: ${l.dailySummarizeMs.ms} ms`,
  );
  console.log(
    `  load 7 d     median ${l.d7Chart.medianMs} ms, ${l.d7Chart.pointsReturned} points (${l.d7Chart.stepMinutes}-min buckets)`,
  );
  console.log(
    `  load 30 d raw median ${l.d30Raw.medianMs} ms, ${l.d30Raw.pointsReturned} points (1-min); floor ${l.d30Raw.floorMs} ms (x${l.d30Raw.ratioToFloor})`,
  );
  console.log(`  written to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
