// Benchmark: the renderer under a realistic load. The headless server runs in this process (so the
// history can be seeded) with 10 simulated miners, each holding what 24 h at 1 Hz leaves (one-minute
// points for the day, every sample of the last 5 minutes) and streaming stats at 1 Hz; Debian's Chromium loads the UI through the printed URL.
// Measures (1) time to first render of the dashboard: from navigation start to all 10 cards plus the
// chart with points and drawn lines on screen, cold (fresh browser context) and warm (reload), with the
// renderer main thread's busy time until then (CDP task counters), and
// (2) the renderer main thread's busy share while streaming, on the 5 m and the 24 h chart range
// (CDP Performance.getMetrics: busy % = ΔTaskDuration / Δwall).
// Targets: first render < 300 ms, busy < 5 %. Writes bench/results/ui.json.
// Env: BENCH_SECONDS (streaming seconds per range, default 20), BENCH_RUNS (first-render runs, default 5),
// BENCH_STATIC (another renderer build to serve, for before/after comparisons),
// BENCH_PROFILE=5m|24h|first-render|first-render-cold (also record a CPU profile of that window, or of
// one warm or cold load, into bench/results/ui-*.cpuprofile and list the hottest functions).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import playwrightConfig, { CHROMIUM_PATH } from '../playwright.config';
import { ROOT } from '../e2e/support/headless';
import { startHeadlessServer } from '../src/main/headless/server';
import { createMiningService } from '../src/main/service/mining-service';
import {
  DIAGNOSE,
  initScript,
  READ_CHART_POINTS,
  READ_RENDER,
  READ_STATS_EVENTS,
  type RenderRecord,
} from './ui/probe';
import {
  hottest,
  mainThreadTime,
  startProfile,
  stopProfile,
  type HotFunction,
  type MainThreadTime,
} from './ui/profile';

const MINERS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROFILE = process.env.BENCH_PROFILE ?? '';
const MINUTE = 60_000;
const HISTORY_MINUTES = 24 * 60;
/** The history's raw tier: every sample of the last 5 minutes. */
const RAW_MINUTES = 5;
const TARGET_FIRST_RENDER_MS = 300;
const TARGET_BUSY_PERCENT = 5;
const VIEWPORT = { width: 1280, height: 800 };

type Range = '5m' | '24h';
type Metrics = Record<string, number>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** Polls a page expression (waitForFunction would eval a string, which the app's CSP forbids). */
async function waitFor(page: Page, expression: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) {
      const seen = await page.evaluate(DIAGNOSE);
      throw new Error(`timed out waiting for ${expression}; the page shows ${JSON.stringify(seen)}`);
    }
    await sleep(10);
  }
}

type Load = RenderRecord & { mainThread: MainThreadTime };

/**
 * Loads the URL in `page` (or reloads it) and waits for the probe to see the dashboard painted; the
 * main-thread time also counts the few ms between that paint and the probe's poll noticing it.
 */
async function loadDashboard(page: Page, cdp: CDPSession, url: string | null): Promise<Load> {
  if (url) await page.goto(url);
  else await page.reload();
  await waitFor(page, 'window.__bench.paintAt !== null');
  const record = (await page.evaluate(READ_RENDER)) as RenderRecord;
  return { ...record, mainThread: await mainThreadTime(cdp) };
}

async function cdpFor(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  return cdp;
}

async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript({ content: initScript(MINERS) });
  return context;
}

function summarizeRenders(records: Load[]) {
  const pick = (k: keyof RenderRecord) =>
    round(median(records.map((r) => r[k]).filter((v): v is number => typeof v === 'number')));
  return {
    runs: records.length,
    dashboardPaintedMs: { median: pick('paintAt'), all: records.map((r) => round(r.paintAt ?? NaN)) },
    // Medians of the renderer main thread's busy time until then: all tasks, and script (incl. compiling).
    mainThreadMs: {
      tasks: round(median(records.map((r) => r.mainThread.taskMs))),
      script: round(median(records.map((r) => r.mainThread.scriptMs))),
    },
    // Medians of the way there, all from navigation start:
    breakdownMs: {
      documentLoaded: pick('responseEnd'),
      scriptLoaded: pick('scriptLoaded'),
      domContentLoaded: pick('domContentLoaded'),
      firstContentfulPaint: pick('firstContentfulPaint'),
      snapshotLoaded: pick('snapshotLoaded'),
      cardsShown: pick('cardsAt'),
      historyLoaded: pick('historyLoaded'),
      chartHasRows: pick('pointsAt'),
      chartDrawn: pick('domAt'),
      painted: pick('paintAt'),
    },
    historyRequests: median(records.map((r) => r.historyRequests)),
    transferKiB: round(median(records.map((r) => r.transferBytes)) / 1024),
  };
}

interface StreamWindow {
  range: Range;
  seconds: number;
  busyPercent: number;
  scriptPercent: number;
  layoutPercent: number;
  styleRecalcPercent: number;
  busyPerSecond: { median: number; p95: number; max: number };
  statsEventsReceived: number;
  chartPoints: number;
  layoutsPerSecond: number;
  jsHeapMiB: { start: number; end: number };
  domNodes: number;
  hottest?: HotFunction[];
}

async function streamWindow(page: Page, cdp: CDPSession, range: Range): Promise<StreamWindow> {
  const profiling = PROFILE === range;
  if (profiling) await startProfile(cdp, 200);
  const events0 = (await page.evaluate(READ_STATS_EVENTS)) as number;
  const first = await metrics(cdp);
  const perSecond: number[] = [];
  let prev = first;
  for (let s = 0; s < SECONDS; s++) {
    await sleep(1000);
    const cur = await metrics(cdp);
    perSecond.push((100 * (cur.TaskDuration! - prev.TaskDuration!)) / (cur.Timestamp! - prev.Timestamp!));
    prev = cur;
  }
  const last = prev;
  const events1 = (await page.evaluate(READ_STATS_EVENTS)) as number;
  const wall = last.Timestamp! - first.Timestamp!;
  const share = (k: string) => round((100 * (last[k]! - first[k]!)) / wall, 2);
  const result: StreamWindow = {
    range,
    seconds: round(wall, 2),
    busyPercent: share('TaskDuration'),
    scriptPercent: share('ScriptDuration'),
    layoutPercent: share('LayoutDuration'),
    styleRecalcPercent: share('RecalcStyleDuration'),
    busyPerSecond: {
      median: round(median(perSecond), 2),
      p95: round(percentile(perSecond, 95), 2),
      max: round(Math.max(...perSecond), 2),
    },
    statsEventsReceived: events1 - events0,
    chartPoints: (await page.evaluate(READ_CHART_POINTS)) as number,
    layoutsPerSecond: round((last.LayoutCount! - first.LayoutCount!) / wall, 2),
    jsHeapMiB: { start: round(first.JSHeapUsedSize! / 2 ** 20), end: round(last.JSHeapUsedSize! / 2 ** 20) },
    domNodes: last.Nodes!,
  };
  if (profiling) {
    const profile = await stopProfile(cdp);
    result.hottest = hottest(profile);
    await writeFile(join(ROOT, `bench/results/ui-${range}.cpuprofile`), JSON.stringify(profile));
  }
  return result;
}

async function main(): Promise<void> {
  const staticDir = process.env.BENCH_STATIC ?? join(ROOT, 'out/renderer');
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('out/renderer is missing: run `npm run bench:ui` (it builds first)');
  const started = Date.now();
  const guard = setTimeout(() => {
    console.error('bench:ui: timed out after 180 s');
    process.exit(2);
  }, 180_000);
  guard.unref();

  // ---- the server, in this process, with 10 simulated miners and 24 h of seeded history ----
  const dataDir = await mkdtemp(join(tmpdir(), 'hashdeck-bench-ui-'));
  const service = await createMiningService({ dataDir });
  const token = randomBytes(24).toString('base64url');
  const server = await startHeadlessServer({ service, host: '127.0.0.1', port: 0, token, staticDir });
  const url = `${server.url}?token=${token}`;
  const profile = await service.invoke('saveProfile', { name: 'Bench', minerType: 'simulated', config: {} });
  for (let i = 1; i <= MINERS; i++) {
    await service.invoke('startMiner', {
      profileId: profile.id,
      name: `bench-${String(i).padStart(2, '0')}`,
    });
  }
  // The collector has not started, so nothing has been recorded yet. Seed what 24 h of running at 1 Hz
  // leaves behind, oldest first (the history drops samples older than its newest): one sample per minute
  // until 5 minutes ago (the minute tier), then one per second (the raw tier), then start the live stream.
  const seededAt = Date.now();
  const rate = (n: number, t: number) =>
    (2000 + 150 * n) * (1 + 0.08 * Math.sin(t / (37 * MINUTE) + n) + 0.02 * Math.sin(t / 4000));
  for (const [n, miner] of service.miners().entries()) {
    const history = service.manager.historyOf(miner.id);
    for (let k = HISTORY_MINUTES; k > RAW_MINUTES; k--)
      history.add(seededAt - k * MINUTE, rate(n, k * MINUTE));
    for (let s = RAW_MINUTES * 60; s >= 1; s--) history.add(seededAt - s * 1000, rate(n, s * 1000));
  }
  service.manager.startCollector();
  const seeded = (await service.invoke('getHistory', { id: service.miners()[0]!.id })).points.length;

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: playwrightConfig.use?.launchOptions?.args,
    headless: true,
  });
  try {
    // ---- (1) first render: cold = a fresh context each (empty cache); warm = reloads of one page ----
    const cold: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await newContext(browser);
      const coldPage = await context.newPage();
      cold.push(await loadDashboard(coldPage, await cdpFor(context, coldPage), url));
      await context.close();
    }
    let firstRenderHottest: HotFunction[] | undefined;
    if (PROFILE === 'first-render-cold') {
      const context = await newContext(browser);
      const coldPage = await context.newPage();
      const session = await cdpFor(context, coldPage);
      await startProfile(session, 100);
      await loadDashboard(coldPage, session, url);
      const profile = await stopProfile(session);
      firstRenderHottest = hottest(profile, 25);
      await writeFile(join(ROOT, 'bench/results/ui-first-render-cold.cpuprofile'), JSON.stringify(profile));
      await context.close();
    }
    const context = await newContext(browser);
    const page = await context.newPage();
    const cdp = await cdpFor(context, page);
    await loadDashboard(page, cdp, url);
    const warm: Load[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await loadDashboard(page, cdp, null));
    if (PROFILE === 'first-render') {
      await startProfile(cdp, 100);
      await loadDashboard(page, cdp, null);
      const profile = await stopProfile(cdp);
      firstRenderHottest = hottest(profile, 25);
      await writeFile(join(ROOT, 'bench/results/ui-first-render.cpuprofile'), JSON.stringify(profile));
    }

    // ---- (2) streaming: the renderer's main-thread busy share on each range ----
    await sleep(2000); // let the reload's backfill and first stats batches settle
    const streaming: StreamWindow[] = [];
    streaming.push(await streamWindow(page, cdp, '5m'));
    const switchStart = Date.now();
    await page.getByTestId('range-24h').click();
    await waitFor(page, `${READ_CHART_POINTS} >= 250`);
    const rangeSwitchMs = Date.now() - switchStart;
    await sleep(2000);
    streaming.push(await streamWindow(page, cdp, '24h'));

    const firstRender = { cold: summarizeRenders(cold), warm: summarizeRenders(warm) };
    const worstBusy = Math.max(...streaming.map((s) => s.busyPercent));
    const pass = {
      firstRenderCold: firstRender.cold.dashboardPaintedMs.median < TARGET_FIRST_RENDER_MS,
      firstRenderWarm: firstRender.warm.dashboardPaintedMs.median < TARGET_FIRST_RENDER_MS,
      busy: worstBusy < TARGET_BUSY_PERCENT,
    };
    const chromiumVersion = browser.version();
    const result = {
      benchmark: 'ui',
      date: new Date().toISOString(),
      node: process.version,
      chromium: chromiumVersion,
      miners: MINERS,
      historyPointsPerMiner: seeded,
      statsIntervalMs: 1000,
      viewport: VIEWPORT,
      firstRender,
      rangeSwitchTo24hMs: rangeSwitchMs,
      streaming,
      targets: { firstRenderMs: TARGET_FIRST_RENDER_MS, busyPercent: TARGET_BUSY_PERCENT },
      pass,
      runSeconds: round((Date.now() - started) / 1000),
    };
    await mkdir(join(ROOT, 'bench/results'), { recursive: true });
    const out = join(ROOT, 'bench/results/ui.json');
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);

    const ok = (b: boolean) => (b ? 'ok' : 'MISS');
    const fr = firstRender;
    console.log(
      `ui: ${MINERS} simulated miners, ${seeded} history points each (24 h: minutes + 5 min of seconds), stats at 1 Hz; Chromium ${chromiumVersion}`,
    );
    console.log(
      `  first render, cold  median ${fr.cold.dashboardPaintedMs.median} ms (${fr.cold.dashboardPaintedMs.all.join(', ')}); FCP ${fr.cold.breakdownMs.firstContentfulPaint} ms; main thread ${fr.cold.mainThreadMs.tasks} ms (script ${fr.cold.mainThreadMs.script})  (target < ${TARGET_FIRST_RENDER_MS})  ${ok(pass.firstRenderCold)}`,
    );
    console.log(
      `  first render, warm  median ${fr.warm.dashboardPaintedMs.median} ms (${fr.warm.dashboardPaintedMs.all.join(', ')}); FCP ${fr.warm.breakdownMs.firstContentfulPaint} ms; main thread ${fr.warm.mainThreadMs.tasks} ms (script ${fr.warm.mainThreadMs.script})  (target < ${TARGET_FIRST_RENDER_MS})  ${ok(pass.firstRenderWarm)}`,
    );
    for (const [name, r] of [
      ['cold', fr.cold],
      ['warm', fr.warm],
    ] as const) {
      const b = r.breakdownMs;
      console.log(
        `    ${name}: html ${b.documentLoaded}, js ${b.scriptLoaded}, DCL ${b.domContentLoaded}, snapshot ${b.snapshotLoaded}, cards ${b.cardsShown}, history x${r.historyRequests} ${b.historyLoaded}, chart rows ${b.chartHasRows}, drawn ${b.chartDrawn}, painted ${b.painted} ms`,
      );
    }
    for (const s of streaming) {
      console.log(
        `  busy ${s.range.padEnd(3)}  ${s.busyPercent} % (script ${s.scriptPercent} %, layout ${s.layoutPercent} %, style ${s.styleRecalcPercent} %); per second median ${s.busyPerSecond.median} / p95 ${s.busyPerSecond.p95} / max ${s.busyPerSecond.max} %; ${s.statsEventsReceived} stats events in ${s.seconds} s; ${s.chartPoints} chart rows  (target < ${TARGET_BUSY_PERCENT})  ${ok(s.busyPercent < TARGET_BUSY_PERCENT)}`,
      );
      for (const h of s.hottest ?? []) console.log(`      ${String(h.selfMs).padStart(8)} ms  ${h.fn}`);
    }
    for (const h of firstRenderHottest ?? [])
      console.log(`      ${String(h.selfMs).padStart(8)} ms  ${h.fn}`);
    console.log(`  switch to 24 h: ${rangeSwitchMs} ms until the chart showed the day`);
    console.log(`  written to ${out} (${result.runSeconds} s)`);
  } finally {
    await browser.close();
    await service.shutdown();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
