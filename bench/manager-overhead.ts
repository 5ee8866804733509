// Benchmark: the manager's own cost. 100 fake XMRig APIs (a few fake-xmrig processes, each closing every
// connection like the real one) polled at 1 Hz through the real manager, adapter, collector, history and
// process-tree sampling, against a floor measured in the same run: a bare loop doing nothing but the same
// polls (a new connection per request, /2/backends every 5th, JSON.parse). Then 10 miners, watched (1 Hz)
// and minimised (no viewer: background polling). Writes bench/results/manager-overhead.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { MinerManager } from '../src/main/core/manager';
import { adapters } from '../src/main/core/miners/index';
import { nodeIo } from '../src/main/core/miners/io';
import type { MinerProcess, Spawner } from '../src/main/core/process';
import { Governor } from '../src/main/core/throttle/governor';
import { UsageSampler } from '../src/main/core/throttle/usage/sampler';
import { platformReader } from '../src/main/core/throttle/usage/tree-reader';
import { DEFAULT_CPU_BUDGET, DEFAULT_PAUSE_RULES } from '../src/shared/contract';
import type { ExitInfo } from '../src/shared/model';

// Run bundled from out/bench (plain node, no TS loader thread inflating the CPU figure) or via tsx.
const ROOT = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '../..')].find((dir) =>
  existsSync(join(dir, 'test/fakes/fake-xmrig.mjs')),
)!;
const MINERS = Number(process.env.BENCH_MINERS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SMALL = 10;
const SMALL_SECONDS = Number(process.env.BENCH_SMALL_SECONDS ?? SECONDS);
const INTERVAL_MS = 1000;
const BACKGROUND_MS = 10_000;
const DETAIL_EVERY = 5;
// The histogram records whole timer intervals, so an idle loop reads ~LAG_RESOLUTION_MS; lag is the excess.
const LAG_RESOLUTION_MS = 10;
const TOKEN = 'bench-token';
/** Fake miner processes serving the APIs; real miners are one process each, answering in well under 1 ms. */
const FARM_PROCESSES = Number(process.env.BENCH_FARM_PROCESSES ?? 4);
/** For a cost breakdown: BENCH_NO_USAGE=1 skips process-tree sampling, BENCH_NO_GOVERNOR=1 the control loop. */
const WITH_USAGE = process.env.BENCH_NO_USAGE !== '1';
const WITH_GOVERNOR = process.env.BENCH_NO_GOVERNOR !== '1';

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Between phases (never inside one), so one phase's garbage is not collected on another's clock. */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

// Main-thread GC pauses per phase: most of the manager's cost above the floor is collecting what its
// requests and parses allocate (a CPU profile of both shows it), so the figure is reported beside the CPU.
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

let maxListenerWarnings = 0;
process.on('warning', (w) => {
  if (w.name === 'MaxListenersExceededWarning') maxListenerWarnings++;
});

/** The farm process already runs every API; a "spawn" attaches an instance to the next port. */
function attachSpawner(pidFor: () => number | null): Spawner {
  return async () => {
    let resolveExit!: (e: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
    const handle: MinerProcess = {
      // A real pid (the farm process serving this API), so process-tree sampling costs what it costs.
      pid: pidFor(),
      exited,
      onLine: () => {},
      write: async () => {},
      terminate: () => resolveExit({ code: 0, signal: null, at: Date.now() }),
      killTree: async () => resolveExit({ code: null, signal: 'SIGKILL', at: Date.now() }),
    };
    return handle;
  };
}

interface Farm {
  stop: () => void;
  ready: Promise<void>;
  processes: ChildProcess[];
}

/** Fake XMRig processes serving MINERS APIs on consecutive ports (a few processes, like real miners). */
function startFarm(base: number, processes: number): Farm {
  const per = Math.ceil(MINERS / processes);
  const farms = Array.from({ length: processes }, (_, f) =>
    spawn(
      process.execPath,
      [
        join(ROOT, 'test/fakes/fake-xmrig.mjs'),
        '--no-color',
        '-o',
        'stratum+tcp://127.0.0.1:3333',
        '-u',
        'bench',
        `--multi-port-base=${base + f * per}`,
        `--multi-count=${Math.min(per, MINERS - f * per)}`,
        '--http-host=127.0.0.1',
        `--http-access-token=${TOKEN}`,
        '--http-no-restricted',
      ],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, FAKE_XMRIG_WARMUP_MS: '0', FAKE_XMRIG_PRINT_MS: '60000' },
      },
    ),
  );
  const up = async (port: number) => {
    for (let i = 0; i < 300; i++) {
      const ok = await rawGet(port, '/2/summary')
        .then(() => true)
        .catch(() => false);
      if (ok) return;
      const dead = farms.find((f) => f.exitCode !== null);
      if (dead) throw new Error(`fake-xmrig farm exited with ${dead.exitCode}`);
      await sleep(100);
    }
    throw new Error('fake-xmrig farm did not come up');
  };
  const ready = Promise.all(farms.map((_, f) => up(Math.min(base + (f + 1) * per, base + MINERS) - 1))).then(
    () => {},
  );
  return { stop: () => farms.forEach((f) => f.kill('SIGKILL')), ready, processes: farms };
}

/**
 * The floor's request: write the request on a new connection, take every byte until XMRig closes, parse
 * the body. Nothing else: no header parsing beyond finding the body, no validation, no timeout machinery.
 */
function rawGet(port: number, path: string): Promise<unknown> {
  return new Promise((resolvePoll, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port }, () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
      ),
    );
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const at = raw.indexOf('\r\n\r\n');
      try {
        resolvePoll(JSON.parse(raw.subarray(at + 4).toString('utf8')));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

interface CpuFigure {
  /** How long each 1 Hz round of polls took to complete (the floor's equivalent of a tick). */
  roundMs?: { p50: number; p99: number };
  seconds: number;
  samples: number;
  cpuMs: number;
  cpuPercentOfOneCore: number;
  cpuMsPerSample: number;
  /** Main-thread GC pause time per sample (part of cpuMsPerSample; collector threads are not in it). */
  gcMsPerSample: number;
}

function figure(cpu: NodeJS.CpuUsage, wallMs: number, samples: number, gc: number): CpuFigure {
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    seconds: round(wallMs / 1000, 1),
    samples,
    cpuMs: round(cpuMs, 1),
    cpuPercentOfOneCore: round((cpuMs / wallMs) * 100),
    cpuMsPerSample: round(cpuMs / Math.max(1, samples), 4),
    gcMsPerSample: round(gc / Math.max(1, samples), 4),
  };
}

/** The floor: the same polls, nothing else, on the same 1 Hz schedule. */
async function bareLoop(ports: number[], seconds: number): Promise<CpuFigure> {
  let samples = 0;
  let tick = 0;
  const rounds: number[] = [];
  const gcStart = gcMs;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const detail = tick % DETAIL_EVERY === 0;
      tick++;
      const t0 = performance.now();
      const round: Promise<unknown>[] = [];
      for (const port of ports) {
        const polls = [rawGet(port, '/2/summary')];
        if (detail) polls.push(rawGet(port, '/2/backends'));
        round.push(
          Promise.all(polls).then(
            () => samples++,
            () => {},
          ),
        );
      }
      void Promise.all(round).then(() => rounds.push(performance.now() - t0));
      if (tick >= seconds) {
        clearInterval(timer);
        setTimeout(done, 300); // let the last round finish inside the measurement
      }
    }, INTERVAL_MS);
  });
  const sorted = [...rounds].sort((a, b) => a - b);
  return {
    ...figure(process.cpuUsage(cpuStart), performance.now() - wallStart, samples, gcMs - gcStart),
    roundMs: { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) },
  };
}

async function main(): Promise<void> {
  // Below Linux's ephemeral range (32768+), so no outgoing socket can already hold one of these ports.
  const base = 20000 + Math.floor(Math.random() * 12000);
  const farm = startFarm(base, FARM_PROCESSES);
  // The farm must never outlive the benchmark, whatever ends it.
  process.on('exit', () => farm.stop());
  await farm.ready;
  const ports = Array.from({ length: MINERS }, (_, i) => base + i);
  const farmPids = farm.processes.map((p) => p.pid ?? null);
  const workRoot = await mkdtemp(join(tmpdir(), 'hashdeck-bench-'));

  const makeManager = (count: number) => {
    let next = 0;
    let nextPort = base;
    const per = Math.ceil(MINERS / FARM_PROCESSES);
    const manager = new MinerManager({
      // The APIs belong to the farm this benchmark started itself, so no port check is needed.
      adapters: { ...adapters, xmrig: { ...adapters.xmrig, apiCheck: 'none' } },
      spawn: attachSpawner(() => farmPids[Math.floor(next++ / per)] ?? null),
      io: nodeIo,
      workRoot,
      resolveBinary: async () => ({
        id: 'bench',
        path: join(ROOT, 'test/fakes/fake-xmrig.mjs'),
        version: null,
      }),
      allocatePort: async () => nextPort++,
      makeToken: () => TOKEN,
      writeFile: async () => {},
      statsIntervalMs: INTERVAL_MS,
      backgroundStatsIntervalMs: BACKGROUND_MS,
      usage: WITH_USAGE ? new UsageSampler({ reader: platformReader() }) : null,
    });
    let sampled = 0;
    manager.on('stats', (b) => (sampled += b.miners.length));
    // The app's control loop runs too (nothing enabled: the state a fresh install is in).
    const governor = new Governor({
      manager,
      settings: () => ({ cpuBudget: DEFAULT_CPU_BUDGET, pauseRules: DEFAULT_PAUSE_RULES }),
    });
    return {
      manager,
      governor,
      samples: () => sampled,
      async startAll() {
        for (let i = 0; i < count; i++) {
          await manager.start({
            name: `m${i}`,
            minerType: 'xmrig',
            config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: 'bench' },
          });
        }
      },
    };
  };

  // ---- 100 miners at 1 Hz, between two halves of the floor (drift in the machine's load cancels out)
  collectGarbage();
  const floorA = await bareLoop(ports, Math.ceil(SECONDS / 2));
  const big = makeManager(MINERS);
  await big.startAll();
  await big.manager.tick(); // warm the JIT and the tree cache before measuring
  if (WITH_GOVERNOR) big.governor.start();
  collectGarbage();
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const ticks: number[] = [];
  const samplesBefore = big.samples();
  const gcStart = gcMs;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const memStart = process.memoryUsage();
  await new Promise<void>((done) => {
    let count = 0;
    const timer = setInterval(() => {
      const t0 = performance.now();
      void big.manager.tick().then(() => {
        ticks.push(performance.now() - t0);
        if (++count >= SECONDS) {
          clearInterval(timer);
          done();
        }
      });
    }, INTERVAL_MS);
  });
  const live = figure(
    process.cpuUsage(cpuStart),
    performance.now() - wallStart,
    big.samples() - samplesBefore,
    gcMs - gcStart,
  );
  lag.disable();
  const memEnd = process.memoryUsage();
  const apiErrors: Record<string, number> = {};
  for (const m of big.manager.list()) {
    if (m.apiError) apiErrors[m.apiError] = (apiErrors[m.apiError] ?? 0) + 1;
  }
  big.governor.stop();
  await big.manager.shutdown();
  collectGarbage();
  const floorB = await bareLoop(ports, Math.floor(SECONDS / 2));
  const floorPerSample = (floorA.cpuMs + floorB.cpuMs) / Math.max(1, floorA.samples + floorB.samples);
  const floorPercent = (floorA.cpuPercentOfOneCore + floorB.cpuPercentOfOneCore) / 2;
  const floorGcPerSample =
    (floorA.gcMsPerSample * floorA.samples + floorB.gcMsPerSample * floorB.samples) /
    Math.max(1, floorA.samples + floorB.samples);

  // ---- 10 miners: watched (1 Hz, the collector's own timer) and minimised (no viewer)
  const small = makeManager(SMALL);
  await small.startAll();
  small.manager.startCollector();
  if (WITH_GOVERNOR) small.governor.start();
  const measureSmall = async (seconds: number): Promise<CpuFigure> => {
    const s0 = small.samples();
    const g0 = gcMs;
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await sleep(seconds * 1000);
    return figure(process.cpuUsage(c0), performance.now() - w0, small.samples() - s0, gcMs - g0);
  };
  await sleep(2000);
  collectGarbage();
  const smallWatched = await measureSmall(SMALL_SECONDS);
  small.manager.setViewers(0);
  await sleep(1000);
  collectGarbage();
  const smallMinimised = await measureSmall(SMALL_SECONDS);
  small.governor.stop();
  await small.manager.shutdown();
  collectGarbage();
  const smallFloor = await bareLoop(ports.slice(0, SMALL), Math.min(20, SMALL_SECONDS));

  const sorted = [...ticks].sort((a, b) => a - b);
  const ratio = round(live.cpuMsPerSample / floorPerSample);
  const result = {
    benchmark: 'manager-overhead',
    date: new Date().toISOString(),
    node: process.version,
    miners: MINERS,
    farmProcesses: FARM_PROCESSES,
    processTreeSampling: WITH_USAGE,
    controlLoop: WITH_GOVERNOR,
    seconds: SECONDS,
    intervalMs: INTERVAL_MS,
    ticks: ticks.length,
    samplesPerTick: round(live.samples / Math.max(1, ticks.length), 1),
    tickMs: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
    },
    eventLoopLagMs: {
      p50: round(Math.max(0, lag.percentile(50) / 1e6 - LAG_RESOLUTION_MS)),
      p99: round(Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS)),
      max: round(Math.max(0, lag.max / 1e6 - LAG_RESOLUTION_MS)),
      rawP99IncludingSamplingInterval: round(lag.percentile(99) / 1e6),
    },
    manager: live,
    floor: {
      before: floorA,
      after: floorB,
      cpuMsPerSample: round(floorPerSample, 4),
      gcMsPerSample: round(floorGcPerSample, 4),
      cpuPercentOfOneCore: round(floorPercent),
    },
    ratioToFloorPerSample: ratio,
    // kept for comparison with older runs
    cpuPercentOfOneCore: live.cpuPercentOfOneCore,
    maxListenersExceededWarnings: maxListenerWarnings,
    tenMiners: {
      watched1Hz: smallWatched,
      minimised: { ...smallMinimised, pollIntervalMs: BACKGROUND_MS },
      floor1Hz: smallFloor,
    },
    rssMiB: { start: round(memStart.rss / 2 ** 20, 1), end: round(memEnd.rss / 2 ** 20, 1) },
    heapUsedMiB: { start: round(memStart.heapUsed / 2 ** 20, 1), end: round(memEnd.heapUsed / 2 ** 20, 1) },
    apiErrorsAtEnd: apiErrors,
    targets: {
      ratioToFloor: 1.2,
      tickP99Ms: 100,
      lagP99Ms: 20,
      maxListenerWarnings: 0,
      minimisedTenMinersCpuPercent: 0.5,
    },
  };
  const pass = {
    ratio: ratio <= 1.2,
    tick: result.tickMs.p99 < 100,
    lag: result.eventLoopLagMs.p99 < 20,
    warnings: maxListenerWarnings === 0,
    minimised: smallMinimised.cpuPercentOfOneCore < 0.5,
  };

  farm.stop();
  await rm(workRoot, { recursive: true, force: true });
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  const out = join(ROOT, 'bench/results/manager-overhead.json');
  await writeFile(out, `${JSON.stringify({ ...result, pass }, null, 2)}\n`);

  const ok = (b: boolean) => (b ? 'ok' : 'MISS');
  console.log(
    `manager-overhead: ${MINERS} miners x ${ticks.length} ticks at 1 Hz (${result.samplesPerTick} samples/tick)`,
  );
  console.log(
    `  CPU/sample  manager ${live.cpuMsPerSample} ms, floor ${round(floorPerSample, 4)} ms -> ${ratio}x   (target <= 1.2x)  ${ok(pass.ratio)}`,
  );
  console.log(
    `  GC/sample   manager ${live.gcMsPerSample} ms, floor ${round(floorGcPerSample, 4)} ms (main-thread pauses, inside the CPU figure)`,
  );
  console.log(
    `  CPU         manager ${live.cpuPercentOfOneCore} % of one core, floor ${round(floorPercent)} % (same polls, nothing else)`,
  );
  console.log(
    `  tick        p50 ${result.tickMs.p50} ms   p99 ${result.tickMs.p99} ms   (target p99 < 100)  ${ok(pass.tick)}; the floor's rounds p50 ${floorA.roundMs?.p50} / ${floorB.roundMs?.p50} ms, p99 ${floorA.roundMs?.p99} / ${floorB.roundMs?.p99} ms`,
  );
  console.log(
    `  loop lag    p99 ${result.eventLoopLagMs.p99} ms                (target < 20)       ${ok(pass.lag)}`,
  );
  console.log(
    `  warnings    ${maxListenerWarnings} MaxListenersExceededWarning   (target 0)          ${ok(pass.warnings)}`,
  );
  console.log(
    `  10 miners   watched (1 Hz) ${smallWatched.cpuPercentOfOneCore} %, minimised (every ${BACKGROUND_MS / 1000} s) ${smallMinimised.cpuPercentOfOneCore} % of one core (target < 0.5)  ${ok(pass.minimised)}; floor at 1 Hz ${smallFloor.cpuPercentOfOneCore} %`,
  );
  console.log(
    `  RSS         ${result.rssMiB.start} -> ${result.rssMiB.end} MiB; heap ${result.heapUsedMiB.start} -> ${result.heapUsedMiB.end} MiB`,
  );
  if (Object.keys(apiErrors).length > 0) console.log(`  API errors at end: ${JSON.stringify(apiErrors)}`);
  console.log(`  written to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
