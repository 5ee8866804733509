// An in-process stand-in for XMRig: seeded, clock-injectable hashrate/share simulation with XMRig-like
// log lines, so demos and tests exercise the whole stats pipeline without a binary or a pool.
import os from 'node:os';
import type { HashrateTriple, MinerStats } from '../../../../shared/model';
import { RingBuffer as Ring } from '../../../../shared/buffers/ring-buffer';
import { realClock, type Clock, type TimerHandle } from '../../util/clock';

/** The engine's part of core's clock; tests pass a FakeClock (or use vi.useFakeTimers with the default). */
export type SimClock = Pick<Clock, 'now' | 'setInterval'>;

/** The real clock (its timers look globals up per call, so vi.useFakeTimers() also fakes it). */
export const systemClock: SimClock = realClock;

export interface SimEngineOptions {
  /** Seeds the PRNG; the adapter uses `${id}#${generation}` so each run is reproducible. */
  seed: string;
  /** 0 means one per logical CPU, like XMRig's auto mode. */
  threads: number;
  cpuMaxThreadsHint: number;
  algo?: string | null;
  pool?: string | null;
  /** How long the hashrate stays null (XMRig's RandomX dataset init); default 3000 ms. */
  warmupMs?: number;
  /** Simulation step; default 1000 ms. */
  tickMs?: number;
  /** Interval of the "speed" log line; default 10 000 ms (XMRig's print-time). */
  printTimeMs?: number;
  /** Mean H/s of one thread at 100 %; default 600 (a modern core on rx/0). */
  perThreadRate?: number;
  cpuCount?: number;
  /** Pool share difficulty; sets how often shares are found (rate / difficulty per second). */
  difficulty?: number;
  clock?: SimClock;
}

const NOISE = 0.03;
/** One share in this many is rejected (a draw below 1/50, compared as an integer so no edge case exists). */
const REJECT_ONE_IN = 50;
const WINDOWS_MS = [10_000, 60_000, 900_000] as const;
const LINE_BUFFER = 1000;

/** mulberry32: tiny, fast, good enough for a simulation, and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn the instance key into a 32-bit seed. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mean of the newest n samples of a non-empty bounded buffer. */
function meanOfLast(ring: Ring<number>, n: number): number {
  const count = Math.min(n, ring.size);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += ring.at(ring.size - 1 - i) ?? 0;
  // Callers only ask non-empty buffers (windows() and stats() check first), so count is at least 1.
  return sum / count;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** XMRig's `[YYYY-MM-DD HH:MM:SS.mmm]` local-time prefix. */
export function logTimestamp(ms: number): string {
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return `[${date} ${time}.${String(d.getMilliseconds()).padStart(3, '0')}]`;
}

function fmtRate(v: number | null): string {
  return v === null ? 'n/a' : v.toFixed(1);
}

export class SimulatedEngine {
  private readonly rand: () => number;
  private readonly clock: SimClock;
  private readonly warmupMs: number;
  private readonly tickMs: number;
  private readonly printTimeMs: number;
  private readonly perThreadRate: number;
  private readonly cpuCount: number;
  private readonly difficulty: number;
  private readonly algo: string;
  private readonly pool: string;
  private readonly ping: number;

  private threadsSetting: number;
  private hint: number;
  /** Set while running: the simulation step's interval. */
  private timer: TimerHandle | null = null;
  private startedAt = 0;
  private lastTickAt = 0;
  private lastPrintAt = 0;
  private warmedUp = false;
  private paused = false;
  private hashingMs = 0;
  private good = 0;
  private bad = 0;
  private highest: number | null = null;
  private total: Ring<number>;
  private perThread: Ring<number>[];
  private listener: ((text: string) => void) | null = null;
  private pending: string[] = [];

  constructor(opts: SimEngineOptions) {
    this.rand = mulberry32(hashSeed(opts.seed));
    this.clock = opts.clock ?? systemClock;
    this.warmupMs = opts.warmupMs ?? 3000;
    this.tickMs = opts.tickMs ?? 1000;
    this.printTimeMs = opts.printTimeMs ?? 10_000;
    this.perThreadRate = opts.perThreadRate ?? 600;
    this.cpuCount = Math.max(1, opts.cpuCount ?? os.availableParallelism());
    this.difficulty = opts.difficulty ?? 100_001;
    this.algo = opts.algo || 'rx/0';
    this.pool = opts.pool || 'simulated.pool:3333';
    this.threadsSetting = opts.threads;
    this.hint = opts.cpuMaxThreadsHint;
    this.ping = 20 + Math.floor(this.rand() * 60);
    const windowTicks = Math.ceil(WINDOWS_MS[2] / this.tickMs);
    // Samples are kept for the longest window only, so memory stays bounded however long it runs.
    this.total = new Ring<number>(windowTicks);
    this.perThread = this.threadRings();
  }

  get isRunning(): boolean {
    return this.timer !== null;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Worker threads: explicit count, else one per logical CPU. */
  get threadCount(): number {
    return this.threadsSetting > 0 ? this.threadsSetting : this.cpuCount;
  }

  /** Mean H/s the engine is aiming for right now (before noise). */
  get targetRate(): number {
    return this.paused ? 0 : this.threadCount * (this.hint / 100) * this.perThreadRate;
  }

  /** Registers the single line sink; lines emitted before it was registered are delivered first. */
  onLine(listener: (text: string) => void): void {
    this.listener = listener;
    // The buffer only serves lines from before the first listener: empty it as it is delivered.
    for (const line of this.pending.splice(0)) listener(line);
  }

  start(): void {
    if (this.timer !== null) return;
    this.startedAt = this.clock.now();
    this.lastTickAt = this.startedAt;
    this.lastPrintAt = this.startedAt;
    this.timer = this.clock.setInterval(() => this.tick(), this.tickMs);
    this.raw(' * ABOUT        XMRig/6.26.0 (simulated miner, no real hashing)');
    this.raw(` * CPU          Simulated CPU (${this.cpuCount} threads)`);
    this.raw(` * POOL #1      ${this.pool} algo ${this.algo}`);
    this.raw(" * COMMANDS     'h' hashrate, 'p' pause, 'r' resume, 's' results, 'c' connection");
    // XMRig prints an empty TLS column between the pool and its IP, hence the two spaces.
    this.log('net', `use pool ${this.pool}  127.0.0.1`);
    this.log(
      'net',
      `new job from ${this.pool} diff ${this.difficulty} algo ${this.algo} height 3185000 (5 tx)`,
    );
    this.log('randomx', `init dataset algo ${this.algo} (${this.cpuCount} threads) seed 0000000000000000...`);
  }

  /** Stops the simulation; `graceful` logs XMRig's SIGTERM lines first. */
  stop(graceful: boolean): void {
    if (this.timer === null) return;
    if (graceful) {
      this.log('signal', 'SIGTERM received, exiting');
      this.log('cpu', 'stopped (2 ms)');
    }
    this.timer.cancel();
    this.timer = null;
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.log('miner', 'paused, press  r  to resume');
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.log('miner', 'resumed');
  }

  /** Applies a throttle like XMRig's watched-config reload: workers restart with the new count. */
  setThrottle(patch: { threads?: number; cpuMaxThreadsHint?: number }): void {
    const before = this.threadCount;
    if (patch.threads !== undefined) this.threadsSetting = patch.threads;
    if (patch.cpuMaxThreadsHint !== undefined) this.hint = patch.cpuMaxThreadsHint;
    if (this.isRunning) {
      this.log('config', '"simulated config" was changed, reloading configuration');
      this.log('cpu', 'stopped (1 ms)');
    }
    if (this.threadCount !== before) this.perThread = this.threadRings();
    if (this.isRunning && this.warmedUp) this.logReady();
  }

  /** XMRig console keys: h hashrate, p pause, r resume, s results, c connection; others are ignored. */
  command(key: string): void {
    switch (key.toLowerCase()) {
      case 'h':
        this.printHashrateTable();
        break;
      case 'p':
        this.pause();
        break;
      case 'r':
        this.resume();
        break;
      case 's':
        this.printResults();
        break;
      case 'c':
        this.printConnection();
        break;
    }
  }

  stats(): MinerStats {
    const now = this.clock.now();
    const hashrate = this.windows();
    const total = this.good + this.bad;
    return {
      at: now,
      hashrate,
      highest: this.highest,
      warmingUp: !this.warmedUp,
      threads: this.perThread.map((r) =>
        this.warmedUp && r.size > 0 ? round2(meanOfLast(r, this.ticks(10_000))) : null,
      ),
      shares: { good: this.good, total, rejected: this.bad },
      difficulty: this.difficulty,
      avgShareTime: this.good > 0 ? round2(this.hashingMs / 1000 / this.good) : null,
      pool: this.pool,
      ping: this.ping,
      uptime: Math.floor(Math.max(0, (this.isRunning ? now : this.lastTickAt) - this.startedAt) / 1000),
      paused: this.paused,
      algo: this.algo,
      cpu: { brand: 'Simulated CPU', threads: this.cpuCount },
      gpus: [],
    };
  }

  /** Advances the simulation by one step; public so tests with a manual clock can drive it. */
  tick(): void {
    if (!this.isRunning) return;
    const now = this.clock.now();
    const dtMs = Math.max(0, now - this.lastTickAt);
    this.lastTickAt = now;
    if (!this.warmedUp) {
      if (now - this.startedAt < this.warmupMs) return;
      this.warmedUp = true;
      this.log('randomx', `dataset ready (${this.warmupMs} ms)`);
      this.logReady();
      this.lastPrintAt = now;
      return;
    }
    const perThreadMean = this.targetRate / this.threadCount;
    let sum = 0;
    for (const ring of this.perThread) {
      const r = perThreadMean > 0 ? Math.max(0, perThreadMean * (1 + NOISE * this.gaussian())) : 0;
      ring.push(r);
      sum += r;
    }
    this.total.push(sum);
    // The 10 s figure exists once a sample is in, and rates are never negative: 0 is a safe floor.
    this.highest = Math.max(this.highest ?? 0, this.windows()[0] ?? 0);
    if (!this.paused) {
      this.hashingMs += dtMs;
      this.findShares((sum * dtMs) / 1000 / this.difficulty);
    }
    if (now - this.lastPrintAt >= this.printTimeMs) {
      this.lastPrintAt = now;
      this.logSpeed();
    }
  }

  private threadRings(): Ring<number>[] {
    const cap = Math.ceil(WINDOWS_MS[0] / this.tickMs);
    return Array.from({ length: this.threadCount }, () => new Ring<number>(cap));
  }

  private ticks(windowMs: number): number {
    return Math.max(1, Math.round(windowMs / this.tickMs));
  }

  // The 10 s window reports as soon as it has one sample (the warm-up already stands for XMRig's n/a
  // period); the 60 s and 15 m windows stay null until they are full, as XMRig's do.
  private windows(): HashrateTriple {
    // Samples are only taken once warmed up, so an empty buffer also covers the warm-up.
    const n = this.total.size;
    if (n === 0) return [null, null, null];
    const [w10, w60, w15m] = WINDOWS_MS.map((w) => this.ticks(w));
    return [
      round2(meanOfLast(this.total, w10 ?? 1)),
      n >= (w60 ?? 1) ? round2(meanOfLast(this.total, w60 ?? 1)) : null,
      n >= (w15m ?? 1) ? round2(meanOfLast(this.total, w15m ?? 1)) : null,
    ];
  }

  /** Shares arrive as a Poisson process with mean `lambda` per step (Knuth's method, lambda is small). */
  private findShares(lambda: number): void {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.rand();
    while (p > limit && k < 100) {
      k += 1;
      p *= this.rand();
    }
    for (let i = 0; i < k; i++) {
      const latency = 20 + Math.floor(this.rand() * 80);
      const diff = this.difficulty + Math.floor(this.rand() * this.difficulty * 3);
      if (Math.floor(this.rand() * REJECT_ONE_IN) === 0) {
        this.bad += 1;
        this.log(
          'cpu',
          `rejected (${this.good}/${this.bad}) diff ${diff} "Low difficulty share" (${latency} ms)`,
        );
      } else {
        this.good += 1;
        this.log('cpu', `accepted (${this.good}/${this.bad}) diff ${diff} (${latency} ms)`);
      }
    }
  }

  /** Standard normal sample (Box-Muller). */
  private gaussian(): number {
    const u = Math.max(this.rand(), Number.EPSILON);
    const v = this.rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private logReady(): void {
    const n = this.threadCount;
    this.log('cpu', `use profile  rx  (${n} thread${n === 1 ? '' : 's'}) scratchpad 2048 KB`);
    this.log('cpu', `READY threads ${n}/${n} (${n}) huge pages 0% 0/${n} memory ${n * 2048} KB (0 ms)`);
  }

  private logSpeed(): void {
    const [a, b, c] = this.windows();
    this.log(
      'miner',
      `speed 10s/60s/15m ${fmtRate(a)} ${fmtRate(b)} ${fmtRate(c)} H/s max ${fmtRate(this.highest)} H/s`,
    );
  }

  private printHashrateTable(): void {
    this.raw('|    CPU # | AFFINITY | 10s H/s | 60s H/s | 15m H/s |');
    const rates = this.stats().threads;
    rates.forEach((r, i) => {
      this.raw(`| ${String(i).padStart(8)} |       -1 | ${fmtRate(r).padStart(7)} |     n/a |     n/a |`);
    });
    const [a, b, c] = this.windows();
    this.raw(
      `|        - |        - | ${fmtRate(a).padStart(7)} | ${fmtRate(b).padStart(7)} | ${fmtRate(c).padStart(7)} |`,
    );
    this.logSpeed();
  }

  private printResults(): void {
    if (this.good + this.bad === 0) {
      this.raw(`${logTimestamp(this.clock.now())} no results yet`);
      return;
    }
    const pct = ((this.good / (this.good + this.bad)) * 100).toFixed(2);
    this.raw(' - RESULTS');
    this.raw(` * accepted         ${this.good}/${this.good + this.bad} (${pct}%)`);
    const avg = this.stats().avgShareTime;
    this.raw(` * avg result time  ${avg === null ? 'n/a' : `${avg.toFixed(1)}s`}`);
  }

  private printConnection(): void {
    const uptime = this.stats().uptime;
    this.raw(' - CONNECTION');
    this.raw(` * pool address     ${this.pool} (127.0.0.1)`);
    this.raw(` * algorithm        ${this.algo}`);
    this.raw(` * difficulty       ${this.difficulty}`);
    this.raw(` * ping time        ${this.ping}ms`);
    this.raw(` * connection time  ${uptime}s`);
  }

  /** A tagged line like XMRig's: `[time]  tag      message` (tag column is 8 wide). */
  private log(tag: string, message: string): void {
    this.raw(`${logTimestamp(this.clock.now())}  ${tag.padEnd(8)} ${message}`);
  }

  private raw(text: string): void {
    if (this.listener) {
      this.listener(text);
      return;
    }
    // Before anyone listens, keep the newest lines only.
    this.pending.push(text);
    if (this.pending.length > LINE_BUFFER) this.pending.shift();
  }
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
