// Benchmark: the renderer under a realistic load. The headless server runs in this process (so the
// history can be seeded) with 10 simulated miners, each holding what 24 h at 1 Hz leaves (one-minute
// points for the day, every sample of the last 5 minutes) and streaming stats at 1 Hz; Debian's Chromium loads the UI through the printed URL.
// Measures (1) time to first render of the dashboard: from navigation start to all 10 cards plus the
// chart with points and drawn lines on screen, cold (fresh browser context) and warm (reload), with the
// renderer main thread's busy time until then (CDP task counters), and the page's own floor in the same
// load: the first contentful paint of the app shell (its "Connecting…" splash), so the target holds on
// any machine: dashboard complete ≤ FCP + 150 ms;
// (2) the renderer main thread's busy share while streaming, on the 5 m and the 24 h chart range
// (CDP Performance.getMetrics: busy % = ΔTaskDuration / Δwall). Target: busy < 5 %.
// With BENCH_BASELINE=<another renderer build> both builds are served by the same server and measured
// in the same run, their cold loads interleaved, so "before" and "after" share the machine's load.
// Writes bench/results/ui.json.
// Env: BENCH_SECONDS (streaming seconds per range, default 20), BENCH_RUNS (first-render runs, default 5),
// BENCH_STATIC (the renderer build to measure, default out/renderer), BENCH_BASELINE (a build to compare),
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
/** Dashboard complete at most this long after the app shell's first contentful paint, in the same load. */
const TARGET_AFTER_FCP_MS = 150;
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

/** Per load: how long after the shell's first contentful paint the dashboard was complete. */
const afterFcp = (r: RenderRecord): number => (r.paintAt ?? NaN) - (r.firstContentfulPaint ?? NaN);

function summarizeRenders(records: Load[]) {
  const pick = (k: keyof RenderRecord) =>
    round(median(records.map((r) => r[k]).filter((v): v is number => typeof v === 'number')));
  return {
    runs: records.length,
    dashboardPaintedMs: { median: pick('paintAt'), all: records.map((r) => round(r.paintAt ?? NaN)) },
    // The target: complete ≤ FCP + 150 ms, per load (FCP measured in the same load is the floor).
    completeAfterFcpMs: {
      median: round(median(records.map(afterFcp))),
      all: records.map((r) => round(afterFcp(r))),
    },
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

async function streamWindow(
  page: Page,
  cdp: CDPSession,
  range: Range,
  mayProfile: boolean,
): Promise<StreamWindow> {
  const profiling = mayProfile && PROFILE === range;
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

interface Build {
  name: 'after' | 'before';
  dir: string;
  url: string;
}

interface BuildResult {
  build: string;
  staticDir: string;
  firstRender: { cold: ReturnType<typeof summarizeRenders>; warm: ReturnType<typeof summarizeRenders> };
  rangeSwitchTo24hMs: number;
  streaming: StreamWindow[];
  pass: { coldAfterFcp: boolean; warmAfterFcp: boolean; busy: boolean };
  firstRenderHottest?: HotFunction[];
}

async function coldLoad(browser: Browser, url: string): Promise<Load> {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    return await loadDashboard(page, await cdpFor(context, page), url);
  } finally {
    await context.close();
  }
}

/** Warm loads, a profile if asked, then the two streaming windows of one build. */
async function measureWarmAndStreaming(browser: Browser, build: Build, cold: Load[]): Promise<BuildResult> {
  let firstRenderHottest: HotFunction[] | undefined;
  if (PROFILE === 'first-render-cold' && build.name === 'after') {
    const context = await newContext(browser);
    const coldPage = await context.newPage();
    const session = await cdpFor(context, coldPage);
    await startProfile(session, 100);
    await loadDashboard(coldPage, session, build.url);
    const profile = await stopProfile(session);
    firstRenderHottest = hottest(profile, 25);
    await writeFile(join(ROOT, 'bench/results/ui-first-render-cold.cpuprofile'), JSON.stringify(profile));
    await context.close();
  }
  const context = await newContext(browser);
  const page = await context.newPage();
  const cdp = await cdpFor(context, page);
  try {
    await loadDashboard(page, cdp, build.url);
    const warm: Load[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await loadDashboard(page, cdp, null));
    if (PROFILE === 'first-render' && build.name === 'after') {
      await startProfile(cdp, 100);
      await loadDashboard(page, cdp, null);
      const profile = await stopProfile(cdp);
      firstRenderHottest = hottest(profile, 25);
      await writeFile(join(ROOT, 'bench/results/ui-first-render.cpuprofile'), JSON.stringify(profile));
    }

    await sleep(2000); // let the reload's backfill and first stats batches settle
    const streaming: StreamWindow[] = [];
    streaming.push(await streamWindow(page, cdp, '5m', build.name === 'after'));
    const switchStart = Date.now();
    await page.getByTestId('range-24h').click();
    await waitFor(page, `${READ_CHART_POINTS} >= 250`);
    const rangeSwitchTo24hMs = Date.now() - switchStart;
    await sleep(2000);
    streaming.push(await streamWindow(page, cdp, '24h', build.name === 'after'));

    const firstRender = { cold: summarizeRenders(cold), warm: summarizeRenders(warm) };
    const worstBusy = Math.max(...streaming.map((w) => w.busyPercent));
    const result: BuildResult = {
      build: build.name,
      staticDir: build.dir,
      firstRender,
      rangeSwitchTo24hMs,
      streaming,
      pass: {
        coldAfterFcp: firstRender.cold.completeAfterFcpMs.median <= TARGET_AFTER_FCP_MS,
        warmAfterFcp: firstRender.warm.completeAfterFcpMs.median <= TARGET_AFTER_FCP_MS,
        busy: worstBusy < TARGET_BUSY_PERCENT,
      },
    };
    if (firstRenderHottest) result.firstRenderHottest = firstRenderHottest;
    return result;
  } finally {
    await context.close();
  }
}

function printBuild(r: BuildResult): void {
  const ok = (b: boolean) => (b ? 'ok' : 'MISS');
  console.log(`  [${r.build}] ${r.staticDir}`);
  for (const [name, fr, pass] of [
    ['cold', r.firstRender.cold, r.pass.coldAfterFcp],
    ['warm', r.firstRender.warm, r.pass.warmAfterFcp],
  ] as const) {
    const b = fr.breakdownMs;
    console.log(
      `    first render, ${name}: complete ${fr.dashboardPaintedMs.median} ms (${fr.dashboardPaintedMs.all.join(', ')}); FCP ${b.firstContentfulPaint} ms; complete − FCP ${fr.completeAfterFcpMs.median} ms (${fr.completeAfterFcpMs.all.join(', ')})  (target ≤ ${TARGET_AFTER_FCP_MS})  ${ok(pass)}`,
    );
    console.log(
      `      main thread ${fr.mainThreadMs.tasks} ms (script ${fr.mainThreadMs.script}); html ${b.documentLoaded}, js ${b.scriptLoaded}, DCL ${b.domContentLoaded}, snapshot ${b.snapshotLoaded}, cards ${b.cardsShown}, history x${fr.historyRequests} ${b.historyLoaded}, chart rows ${b.chartHasRows}, drawn ${b.chartDrawn}, painted ${b.painted} ms`,
    );
  }
  for (const w of r.streaming) {
    console.log(
      `    busy ${w.range.padEnd(3)}  ${w.busyPercent} % (script ${w.scriptPercent} %, layout ${w.layoutPercent} %, style ${w.styleRecalcPercent} %); per second median ${w.busyPerSecond.median} / p95 ${w.busyPerSecond.p95} / max ${w.busyPerSecond.max} %; ${w.statsEventsReceived} stats events in ${w.seconds} s; ${w.chartPoints} chart points  (target < ${TARGET_BUSY_PERCENT})  ${ok(w.busyPercent < TARGET_BUSY_PERCENT)}`,
    );
    for (const h of w.hottest ?? []) console.log(`      ${String(h.selfMs).padStart(8)} ms  ${h.fn}`);
  }
  for (const h of r.firstRenderHottest ?? [])
    console.log(`      ${String(h.selfMs).padStart(8)} ms  ${h.fn}`);
  console.log(`    switch to 24 h: ${r.rangeSwitchTo24hMs} ms until the chart showed the day`);
}

async function main(): Promise<void> {
  const builds: Omit<Build, 'url'>[] = [
    { name: 'after', dir: process.env.BENCH_STATIC ?? join(ROOT, 'out/renderer') },
  ];
  if (process.env.BENCH_BASELINE) builds.push({ name: 'before', dir: process.env.BENCH_BASELINE });
  for (const b of builds)
    if (!existsSync(join(b.dir, 'index.html')))
      throw new Error(`${b.dir} has no index.html: run \`npm run bench:ui\` (it builds first)`);
  const started = Date.now();
  const guardSeconds = 120 + builds.length * (4 * SECONDS + 60);
  const guard = setTimeout(() => {
    console.error(`bench:ui: timed out after ${guardSeconds} s`);
    process.exit(2);
  }, guardSeconds * 1000);
  guard.unref();

  // ---- the server, in this process, with 10 simulated miners and 24 h of seeded history ----
  const dataDir = await mkdtemp(join(tmpdir(), 'hashdeck-bench-ui-'));
  const service = await createMiningService({ dataDir });
  const token = randomBytes(24).toString('base64url');
  // One HTTP server per build, all over the same service: the same miners, history and stream.
  const servers = await Promise.all(
    builds.map((b) => startHeadlessServer({ service, host: '127.0.0.1', port: 0, token, staticDir: b.dir })),
  );
  const served: Build[] = builds.map((b, i) => ({ ...b, url: `${servers[i]!.url}?token=${token}` }));
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
  // Real miners also leave a measured CPU series of the same shape (getHistory returns both); the
  // simulated miner runs in-process and measures none, so it is seeded here too.
  const cpu = (n: number, t: number) => 4 + n + 2 * Math.sin(t / (23 * MINUTE) + n);
  for (const [n, miner] of service.miners().entries()) {
    const history = service.manager.historyOf(miner.id);
    const cpuHistory = service.manager.cpuHistoryOf(miner.id);
    for (let k = HISTORY_MINUTES; k > RAW_MINUTES; k--) {
      history.add(seededAt - k * MINUTE, rate(n, k * MINUTE));
      cpuHistory.add(seededAt - k * MINUTE, cpu(n, k * MINUTE));
    }
    for (let s = RAW_MINUTES * 60; s >= 1; s--) {
      history.add(seededAt - s * 1000, rate(n, s * 1000));
      cpuHistory.add(seededAt - s * 1000, cpu(n, s * 1000));
    }
  }
  service.manager.startCollector();
  const seededHistory = await service.invoke('getHistory', { id: service.miners()[0]!.id });
  const seeded = seededHistory.points.length;
  const seededCpu = seededHistory.cpu?.length ?? 0;

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: playwrightConfig.use?.launchOptions?.args,
    headless: true,
  });
  try {
    // ---- (1) cold first renders, the builds interleaved so both see the same machine load ----
    const cold = new Map<string, Load[]>(served.map((b) => [b.name, []]));
    for (let i = 0; i < RUNS; i++)
      for (const b of served) cold.get(b.name)!.push(await coldLoad(browser, b.url));
    // ---- warm renders and (2) streaming, one build after the other ----
    const results: BuildResult[] = [];
    for (const b of served) results.push(await measureWarmAndStreaming(browser, b, cold.get(b.name)!));

    const chromiumVersion = browser.version();
    const [after, before] = results;
    const result = {
      benchmark: 'ui',
      date: new Date().toISOString(),
      node: process.version,
      chromium: chromiumVersion,
      miners: MINERS,
      historyPointsPerMiner: seeded,
      cpuPointsPerMiner: seededCpu,
      statsIntervalMs: 1000,
      viewport: VIEWPORT,
      targets: { completeAfterFcpMs: TARGET_AFTER_FCP_MS, busyPercent: TARGET_BUSY_PERCENT },
      ...after!,
      ...(before ? { baseline: before } : {}),
      runSeconds: round((Date.now() - started) / 1000),
    };
    await mkdir(join(ROOT, 'bench/results'), { recursive: true });
    const out = join(ROOT, 'bench/results/ui.json');
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);

    console.log(
      `ui: ${MINERS} simulated miners, ${seeded} history points each (24 h: minutes + 5 min of seconds) and ${seededCpu} CPU points, stats at 1 Hz; Chromium ${chromiumVersion}`,
    );
    for (const r of results) printBuild(r);
    console.log(`  written to ${out} (${result.runSeconds} s)`);
  } finally {
    await browser.close();
    await service.shutdown();
    await Promise.all(servers.map((srv) => srv.close()));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
