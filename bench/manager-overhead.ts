// Benchmark: the manager's polling overhead with 100 XMRig APIs (one fake-xmrig process serving 100
// ports) polled at 1 Hz through the real adapter, collector and history. Writes bench/results/*.json.
// Targets: tick p99 < 100 ms, event-loop lag p99 < 20 ms, manager CPU < 3 % of one core.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { MinerManager } from '../src/main/core/manager';
import { adapters } from '../src/main/core/miners/index';
import { nodeIo } from '../src/main/core/miners/io';
import type { MinerProcess, Spawner } from '../src/main/core/process';
import type { ExitInfo } from '../src/shared/model';

// Run bundled from out/bench (plain node, no TS loader thread inflating the CPU figure) or via tsx.
const ROOT = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '../..')].find((dir) =>
  existsSync(join(dir, 'test/fakes/fake-xmrig.mjs')),
)!;
const MINERS = Number(process.env.BENCH_MINERS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const INTERVAL_MS = 1000;
// The histogram records whole timer intervals, so an idle loop reads ~LAG_RESOLUTION_MS; lag is the excess.
const LAG_RESOLUTION_MS = 10;
const TOKEN = 'bench-token';
/** Fake miner processes serving the APIs; real miners are one process each, answering in well under 1 ms. */
const FARM_PROCESSES = Number(process.env.BENCH_FARM_PROCESSES ?? 4);

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** The farm process already runs every API; a "spawn" attaches an instance to the next port. */
function attachSpawner(): Spawner {
  return async () => {
    let resolveExit!: (e: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
    const handle: MinerProcess = {
      pid: null,
      exited,
      onLine: () => {},
      write: async () => {},
      terminate: () => resolveExit({ code: 0, signal: null, at: Date.now() }),
      killTree: async () => resolveExit({ code: null, signal: 'SIGKILL', at: Date.now() }),
    };
    return handle;
  };
}

/** Fake XMRig processes serving MINERS APIs on consecutive ports (a few processes, like real miners). */
async function startFarm(
  base: number,
  processes: number,
): Promise<{ stop: () => void; ready: Promise<void> }> {
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
      const ok = await fetch(`http://127.0.0.1:${port}/2/summary`, {
        headers: { Authorization: `Bearer ${TOKEN}` },
      })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      const dead = farms.find((f) => f.exitCode !== null);
      if (dead) throw new Error(`fake-xmrig farm exited with ${dead.exitCode}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('fake-xmrig farm did not come up');
  };
  const ready = Promise.all(farms.map((_, f) => up(Math.min(base + (f + 1) * per, base + MINERS) - 1))).then(
    () => {},
  );
  return { stop: () => farms.forEach((f) => f.kill('SIGKILL')), ready };
}

async function main(): Promise<void> {
  // Below Linux's ephemeral range (32768+), so no outgoing socket can already hold one of these ports.
  const base = 20000 + Math.floor(Math.random() * 12000);
  const farm = await startFarm(base, FARM_PROCESSES);
  // The farm must never outlive the benchmark, whatever ends it.
  process.on('exit', () => farm.stop());
  await farm.ready;
  const workRoot = await mkdtemp(join(tmpdir(), 'hashdeck-bench-'));
  let nextPort = base;
  const manager = new MinerManager({
    // The APIs belong to the farm this benchmark started itself, so no port check is needed.
    adapters: { ...adapters, xmrig: { ...adapters.xmrig, apiCheck: 'none' } },
    spawn: attachSpawner(),
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
    startGraceMs: 0,
    statsIntervalMs: INTERVAL_MS,
  });
  let batches = 0;
  let sampled = 0;
  manager.on('stats', (b) => {
    batches++;
    sampled += b.miners.length;
  });
  for (let i = 0; i < MINERS; i++) {
    await manager.start({
      name: `m${i}`,
      minerType: 'xmrig',
      config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: 'bench' },
    });
  }
  await manager.tick(); // warm the connection pool and JIT before measuring

  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const ticks: number[] = [];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const memStart = process.memoryUsage();
  await new Promise<void>((done) => {
    let count = 0;
    const timer = setInterval(() => {
      const t0 = performance.now();
      void manager.tick().then(() => {
        ticks.push(performance.now() - t0);
        if (++count >= SECONDS) {
          clearInterval(timer);
          done();
        }
      });
    }, INTERVAL_MS);
  });
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  lag.disable();
  const memEnd = process.memoryUsage();

  const apiErrors: Record<string, number> = {};
  for (const m of manager.list()) if (m.apiError) apiErrors[m.apiError] = (apiErrors[m.apiError] ?? 0) + 1;
  const sorted = [...ticks].sort((a, b) => a - b);
  const result = {
    benchmark: 'manager-overhead',
    date: new Date().toISOString(),
    node: process.version,
    miners: MINERS,
    farmProcesses: FARM_PROCESSES,
    seconds: SECONDS,
    intervalMs: INTERVAL_MS,
    ticks: ticks.length,
    samplesPerTick: round(sampled / Math.max(1, batches), 1),
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
    cpuPercentOfOneCore: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
    rssMiB: { start: round(memStart.rss / 2 ** 20, 1), end: round(memEnd.rss / 2 ** 20, 1) },
    heapUsedMiB: { start: round(memStart.heapUsed / 2 ** 20, 1), end: round(memEnd.heapUsed / 2 ** 20, 1) },
    apiErrorsAtEnd: apiErrors,
    targets: { tickP99Ms: 100, lagP99Ms: 20, cpuPercent: 3 },
  };
  const pass = {
    tick: result.tickMs.p99 < 100,
    lag: result.eventLoopLagMs.p99 < 20,
    cpu: result.cpuPercentOfOneCore < 3,
  };

  await manager.shutdown();
  farm.stop();
  await rm(workRoot, { recursive: true, force: true });
  await mkdir(join(ROOT, 'bench/results'), { recursive: true });
  const out = join(ROOT, 'bench/results/manager-overhead.json');
  await writeFile(out, `${JSON.stringify({ ...result, pass }, null, 2)}\n`);

  console.log(
    `manager-overhead: ${MINERS} miners x ${ticks.length} ticks at 1 Hz (${result.samplesPerTick} samples/tick)`,
  );
  console.log(
    `  tick      p50 ${result.tickMs.p50} ms   p99 ${result.tickMs.p99} ms   (target p99 < 100)  ${pass.tick ? 'ok' : 'MISS'}`,
  );
  console.log(
    `  loop lag  p99 ${result.eventLoopLagMs.p99} ms                (target < 20)       ${pass.lag ? 'ok' : 'MISS'}`,
  );
  console.log(
    `  CPU       ${result.cpuPercentOfOneCore} % of one core          (target < 3)        ${pass.cpu ? 'ok' : 'MISS'}`,
  );
  console.log(
    `  RSS       ${result.rssMiB.start} -> ${result.rssMiB.end} MiB; heap ${result.heapUsedMiB.start} -> ${result.heapUsedMiB.end} MiB`,
  );
  if (Object.keys(apiErrors).length > 0) console.log(`  API errors at end: ${JSON.stringify(apiErrors)}`);
  console.log(`  written to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
