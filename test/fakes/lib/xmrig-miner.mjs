// @ts-check
// The simulated XMRig miner behind one API: start-up phases (dataset init = warm-up, then workers),
// pause/resume/stop, live config reloads, shares, console output, and the /2/summary, /1/summary,
// /2/backends bodies shaped exactly like the captured fixtures.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { ANSI } from './log.mjs';
import { Rng } from './rng.mjs';
import { HashrateModel } from './xmrig-hashrate.mjs';
import { configJson, isBench, poolHostPort, resolveCpu, BENCH_SIZES } from './xmrig-config.mjs';
import { dbl, round2, U64_MAX } from './xjson.mjs';

/** @typedef {import('./log.mjs').Logger} Logger */
/** @typedef {import('./xmrig-config.mjs').Json} Json */
/** @typedef {import('./xmrig-config.mjs').CpuPlan} CpuPlan */
/** @typedef {import('./burn.mjs').Burner} Burner */

/** Static parts of the summary (cpu block, algorithms, ua...) come from the captured fixture. */
const TEMPLATE = JSON.parse(
  fs.readFileSync(new URL('../data/xmrig/runA_2_summary_running.json.txt', import.meta.url), 'utf8'),
);
const BACKEND_TEMPLATE = JSON.parse(
  fs.readFileSync(new URL('../data/xmrig/runA_2_backends.json.txt', import.meta.url), 'utf8'),
)[0];

/**
 * @typedef {object} Settings
 * @property {number} cores            FAKE_XMRIG_CORES or os.availableParallelism()
 * @property {number} rate             FAKE_XMRIG_RATE: H/s per thread
 * @property {number} warmupMs         FAKE_XMRIG_WARMUP_MS / FAKE_WARMUP_MS: dataset init before workers
 * @property {number} windowScale      FAKE_XMRIG_WINDOW_SCALE: 10 s/60 s/15 m windows multiplied by it
 * @property {number | undefined} printMs FAKE_XMRIG_PRINT_MS: speed line period (else print-time / 2 s)
 * @property {number} shareMs          FAKE_SHARE_MS: mean time between shares (pool mode)
 * @property {number} rejectRate       FAKE_REJECT_RATE: share of rejected results
 * @property {number} diff             FAKE_XMRIG_DIFF: pool difficulty
 * @property {boolean} zeroRate        FAKE_ZERO_RATE
 * @property {number} seed             FAKE_SEED
 * @property {number} burnDuty         FAKE_BURN (0 = off)
 */

/**
 * XMRig's Hashrate::format: "n/a" for 0/null, 2 decimals below 100, 1 decimal above.
 * @param {number | null} h
 */
export function formatRate(h) {
  if (h === null || !Number.isFinite(h) || h <= 0) return 'n/a';
  return h < 100 ? h.toFixed(2) : h.toFixed(1);
}

/**
 * NetworkState::scaleDiff: 18446744073709551615 -> "18446744073G".
 * @param {bigint} diff
 */
function scaleDiff(diff) {
  if (diff >= 100000000000n) return `${diff / 1000000000n}G`;
  if (diff >= 100000000n) return `${diff / 1000000n}M`;
  if (diff >= 1000000n) return `${diff / 1000n}K`;
  return String(diff);
}

function cpuBrand() {
  const model = os.cpus()[0]?.model ?? '';
  const clean = model
    .replace(/\((R|TM)\)/gi, '')
    .replace(/\bCPU\b|\bProcessor\b|@.*$|\d+-Core/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean || TEMPLATE.cpu.brand;
}

export class XmrigMiner {
  /**
   * @param {object} o
   * @param {Logger} o.log
   * @param {Json} o.cfg effective configuration
   * @param {Settings} o.settings
   * @param {boolean} o.explicitPrintTime print-time came from the file / command line
   * @param {number} o.index instance number (many-ports mode)
   * @param {Burner | null} [o.burner]
   */
  constructor({ log, cfg, settings, explicitPrintTime, index, burner }) {
    this.log = log;
    this.cfg = cfg;
    this.s = settings;
    this.explicitPrintTime = explicitPrintTime;
    this.index = index;
    this.burner = burner ?? null;
    this.rng = new Rng(settings.seed * 7919 + index);
    this.startedAt = Date.now();
    this.connectAt = this.startedAt;
    /** @type {'init' | 'running' | 'stopped'} */
    this.phase = 'init';
    this.paused = false;
    /** @type {HashrateModel | null} */
    this.hashrate = null;
    /** @type {number | null} */
    this.highest = null;
    this.plan = resolveCpu(cfg, settings.cores, this.algo);
    this.lastCount = 0;
    this.accepted = 0;
    this.rejected = 0;
    /** @type {number[]} */
    this.best = [];
    this.ping = this.rng.int(18, 60);
    this.benchStart = 0;
    this.benchDone = false;
    this.brand = cpuBrand();
    /** @type {Record<string, NodeJS.Timeout | undefined>} */
    this.timers = {};
    this.apiPort = 0;
  }

  // ---------------------------------------------------------------- derived state

  get bench() {
    return isBench(this.cfg);
  }

  get algo() {
    if (isBench(this.cfg)) return String(this.cfg.benchmark.algo ?? 'rx/0');
    const pool = this.cfg.pools[0];
    return pool && typeof pool.algo === 'string' && pool.algo ? pool.algo : 'rx/0';
  }

  get poolAddress() {
    if (this.bench) return 'benchmark:3333';
    const pool = this.cfg.pools.find((/** @type {Json} */ p) => p.url && p.enabled !== false);
    return poolHostPort(String(pool?.url ?? ''));
  }

  get donateLevel() {
    return this.bench ? 0 : Math.max(1, Number(this.cfg['donate-level'] ?? 1));
  }

  get diff() {
    return this.bench ? U64_MAX : this.s.diff;
  }

  get light() {
    return this.cfg.randomx?.mode === 'light';
  }

  /** Hashing right now (workers exist, not paused). */
  get hashing() {
    return this.hashrate !== null && !this.paused && !this.s.zeroRate;
  }

  get printPeriodMs() {
    if (this.s.printMs !== undefined) return this.s.printMs;
    if (this.explicitPrintTime) return Number(this.cfg['print-time']) * 1000;
    return 2000;
  }

  get windowsMs() {
    return [10_000, 60_000, 900_000].map((w) => w * this.s.windowScale);
  }

  /**
   * [10 s, 60 s, 15 m] for thread i (or the total for i < 0), following XMRig's rules:
   * no workers -> 0, window not filled yet -> null, paused -> 0.
   * @param {number} i
   * @returns {(number | null)[]}
   */
  rates(i) {
    const hr = this.hashrate;
    if (!hr || this.s.zeroRate) return [0, 0, 0];
    return [0, 1, 2].map((w) => {
      const v = hr.calc(i, w);
      return v !== null && this.paused ? 0 : v;
    });
  }

  // ---------------------------------------------------------------- lifecycle

  start() {
    const log = this.log;
    const cores = this.s.cores;
    if (this.bench) {
      log.tag(
        'bench',
        `${log.paint(ANSI.magenta, 'start benchmark ')}hashes ${log.paint(ANSI.cyan, this.cfg.benchmark.size)} algo ${log.paint(ANSI.white, this.algo)}`,
      );
    } else {
      this.logPoolConnect();
    }
    log.tag('cpu', `use argon2 implementation ${log.paint(ANSI.green, 'AVX-512F')}`);
    log.tag('randomx', `init dataset algo ${this.algo} (${cores} threads) seed 0000000000000000...`);
    if (this.light) {
      log.tag('randomx', 'fast RandomX mode disabled by config');
      log.tag('randomx', 'failed to allocate RandomX dataset, switching to slow mode (0 ms)');
    } else {
      log.tag('randomx', 'allocated 2336 MB (2080+256) huge pages 0% 0/1168 +JIT (0 ms)');
    }
    const tickMs = Math.min(1000, Math.max(20, 1000 * this.s.windowScale));
    this.timers.tick = setInterval(() => this.tick(), tickMs);
    this.timers.warmup = setTimeout(() => {
      this.timers.warmup = undefined;
      log.tag('randomx', `${log.paint(ANSI.green, 'dataset ready')} (${this.s.warmupMs} ms)`);
      this.benchStart = Date.now();
      this.startWorkers();
    }, this.s.warmupMs);
  }

  logPoolConnect() {
    if (this.bench) return;
    this.connectAt = Date.now();
    const log = this.log;
    log.tag(
      'net',
      `use pool ${log.paint(ANSI.cyan, this.poolAddress)}  ${log.paint(ANSI.gray, this.poolIp)}`,
    );
    log.tag(
      'net',
      `new job from ${this.poolAddress} diff ${log.paint(ANSI.white, this.s.diff)} algo ${this.algo} height ${3_000_000 + this.rng.int(0, 99999)} (${this.rng.int(5, 60)} tx)`,
    );
  }

  get poolIp() {
    return process.env.FAKE_XMRIG_POOL_IP || '192.0.2.1';
  }

  startWorkers() {
    const log = this.log;
    this.plan = resolveCpu(this.cfg, this.s.cores, this.algo);
    const n = this.plan.count;
    this.phase = 'running';
    if (n === 0) {
      log.tag('cpu', log.paint(ANSI.red, 'disabled'));
      this.updateBurn();
      return;
    }
    this.lastCount = n;
    const plural = n === 1 ? 'thread' : 'threads';
    const profile = this.plan.profile;
    log.tag(
      'cpu',
      `use profile  ${profile}  (${log.paint(ANSI.cyan, n)} ${plural}) scratchpad ${log.paint(ANSI.cyan, '2048 KB')}`,
    );
    log.tag(
      'cpu',
      `${log.paint(ANSI.green, 'READY')} threads ${log.paint(ANSI.cyan, `${n}/${n} (${n})`)} huge pages ${log.paint(ANSI.red, `0% 0/${n}`)} memory ${log.paint(ANSI.cyan, `${n * 2048} KB`)} (${this.rng.int(0, 2)} ms)`,
    );
    this.hashrate = new HashrateModel({
      threads: n,
      ratePerThread: this.s.rate,
      windowsMs: this.windowsMs,
      rng: this.rng,
      now: Date.now(),
    });
    this.restartPrintTimer();
    this.scheduleShare();
    this.updateBurn();
  }

  /** @param {boolean} [logIt] */
  stopWorkers(logIt = true) {
    if (this.hashrate && logIt) {
      this.log.tag('cpu', `${this.log.paint(ANSI.yellowDim, 'stopped')} (${this.rng.int(1, 25)} ms)`);
    }
    this.hashrate = null;
    clearTimeout(this.timers.share);
    this.updateBurn();
  }

  updateBurn() {
    if (!this.burner || this.s.burnDuty <= 0) return;
    const n = this.hashrate ? this.plan.count : 0;
    // the thread count already follows the hint; the duty cycle makes CPU use proportional to it:
    // total ~= cores * hint / 100 * FAKE_BURN, never above the thread count
    let duty = this.s.burnDuty;
    if (this.plan.hint !== null && n > 0) duty *= Math.min(1, (this.s.cores * this.plan.hint) / 100 / n);
    this.burner.set(n, duty);
    this.burner.pause(this.paused);
  }

  tick() {
    const hr = this.hashrate;
    if (!hr) return;
    hr.tick(Date.now(), this.hashing);
    const v = hr.calc(-1, 0);
    if (this.hashing && v !== null && v > 0) this.highest = Math.max(this.highest ?? 0, v);
    if (this.bench && !this.benchDone) {
      const total = BENCH_SIZES[String(this.cfg.benchmark.size)] ?? 1_000_000;
      if (hr.hashes >= total) {
        this.benchDone = true;
        const secs = (Date.now() - this.benchStart) / 1000;
        const hash = crypto.createHash('sha256').update(String(this.s.seed)).digest('hex').slice(0, 16);
        this.log.tag(
          'bench',
          `${this.log.paint(ANSI.green, 'benchmark finished in')} ${secs.toFixed(3)} seconds (${formatRate(total / secs)} h/s) hash sum = ${hash.toUpperCase()}`,
        );
        this.stopWorkers();
      }
    }
  }

  restartPrintTimer() {
    clearInterval(this.timers.print);
    const period = this.printPeriodMs;
    if (period > 0) this.timers.print = setInterval(() => this.printSpeed(), period);
  }

  scheduleShare() {
    clearTimeout(this.timers.share);
    if (this.bench || !this.hashrate || this.s.shareMs <= 0) return;
    this.timers.share = setTimeout(
      () => {
        if (this.hashing) this.submitShare();
        this.scheduleShare();
      },
      Math.max(50, this.rng.exp(this.s.shareMs)),
    );
  }

  submitShare() {
    const log = this.log;
    const elapsed = this.rng.int(20, 80);
    const diff = this.s.diff;
    if (this.rng.next() < this.s.rejectRate) {
      this.rejected++;
      log.tag(
        'cpu',
        `${log.paint(ANSI.red, 'rejected')} (${this.accepted}/${this.rejected}) diff ${log.paint(ANSI.white, diff)} ${log.paint(ANSI.red, '"Low difficulty share"')} (${elapsed} ms)`,
      );
      return;
    }
    this.accepted++;
    const shareDiff = Math.floor(diff / Math.max(1e-6, 1 - this.rng.next()));
    this.best = [...this.best, shareDiff].sort((a, b) => b - a).slice(0, 10);
    log.tag(
      'cpu',
      `${log.paint(ANSI.green, 'accepted')} (${this.accepted}/${this.rejected}) diff ${log.paint(ANSI.white, diff)} ${log.paint(ANSI.gray, `(${elapsed} ms)`)}`,
    );
  }

  // ---------------------------------------------------------------- commands (console + json_rpc)

  pause() {
    if (this.paused) return;
    this.paused = true;
    const r = this.log.colors ? `${ANSI.magentaBg} r ${ANSI.reset}` : ' r ';
    this.log.tag('miner', `${this.log.paint(ANSI.yellow, 'paused')}, press ${r} to resume`);
    this.burner?.pause(true);
  }

  resume() {
    if (!this.paused) return;
    this.paused = false;
    this.log.tag('miner', this.log.paint(ANSI.green, 'resumed'));
    this.burner?.pause(false);
  }

  /** json_rpc "stop": workers end, the process lives on; "resume" does not restart them. */
  stop() {
    clearTimeout(this.timers.warmup);
    this.timers.warmup = undefined;
    this.phase = 'stopped';
    this.stopWorkers();
  }

  /**
   * Apply a new effective configuration (file watch or PUT /1/config).
   * @param {Json} cfg
   * @param {boolean} explicitPrintTime
   */
  applyConfig(cfg, explicitPrintTime) {
    const old = this.cfg;
    this.cfg = cfg;
    this.explicitPrintTime = explicitPrintTime;
    if (!this.bench && JSON.stringify(old.pools) !== JSON.stringify(cfg.pools)) this.logPoolConnect();
    if (this.hashrate) this.restartPrintTimer();
    if (this.phase === 'init') return; // workers start with the new config after the warm-up
    const next = resolveCpu(cfg, this.s.cores, this.algo);
    const cur = this.plan;
    const same =
      this.hashrate !== null &&
      next.count === cur.count &&
      next.priority === cur.priority &&
      next.yield === cur.yield &&
      next.affinities.join() === cur.affinities.join();
    if (same) {
      this.plan = next;
      this.updateBurn();
      return;
    }
    this.stopWorkers();
    this.startWorkers();
  }

  /** @param {string} key */
  command(key) {
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
      case 'e':
        this.printHealth();
        break;
      default:
        break;
    }
  }

  printSpeed() {
    if (!this.hashrate || this.log.muted) return;
    const log = this.log;
    const [a, b, c] = this.rates(-1);
    const max = this.highest;
    const big = [a, b, c, max].some((v) => v !== null && v >= 1e6);
    const k = big ? 1e-6 : 1;
    const unit = big ? 'MH/s' : 'H/s';
    /** @param {number | null} v */
    const f = (v) => formatRate(v === null ? null : v * k);
    log.tag(
      'miner',
      `${log.paint(ANSI.white, 'speed')} 10s/60s/15m ${log.paint(ANSI.cyan, f(a))}${log.paint(ANSI.cyanDim, ` ${f(b)} ${f(c)} `)}${log.paint(ANSI.cyan, unit)} max ${log.paint(ANSI.cyan, `${f(max)} ${unit}`)}`,
    );
    if (this.bench && !this.benchDone) {
      const total = BENCH_SIZES[String(this.cfg.benchmark.size)] ?? 1_000_000;
      const done = Math.min(total, Math.floor(this.hashrate.hashes));
      const pct = ((100 * done) / total).toFixed(2).padStart(5);
      const secs = ((Date.now() - this.benchStart) / 1000).toFixed(3);
      log.tag(
        'bench',
        `${log.paint(ANSI.magenta, `${pct}% `)}${log.paint(ANSI.cyan, done)}${log.paint(ANSI.cyanDim, `/${total}`)} ${log.paint(ANSI.gray, `(${secs}s)`)}`,
      );
    }
  }

  printHashrateTable() {
    if (!this.hashrate) return;
    const log = this.log;
    log.print(log.paint(ANSI.white, '|    CPU # | AFFINITY | 10s H/s | 60s H/s | 15m H/s |'));
    for (let i = 0; i < this.plan.count; i++) {
      const r = this.rates(i).map((v) => formatRate(v).padStart(7));
      const aff = String(this.plan.affinities[i] ?? -1).padStart(8);
      log.print(`| ${String(i).padStart(8)} | ${aff} | ${r[0]} | ${r[1]} | ${r[2]} |`);
    }
    const t = this.rates(-1).map((v) => formatRate(v).padStart(7));
    log.print(log.paint(ANSI.white, `|        - |        - | ${t[0]} | ${t[1]} | ${t[2]} |`));
    this.printSpeed();
  }

  printResults() {
    const log = this.log;
    if (this.accepted === 0) {
      log.line(log.paint(ANSI.yellow, 'no results yet'));
      return;
    }
    const total = this.accepted + this.rejected;
    const secs = (Date.now() - this.connectAt) / 1000 / this.accepted;
    log.print(log.paint(ANSI.magenta, ' - RESULTS'));
    log.print(
      ` * ${'results'.padEnd(17)}${this.accepted}/${total} (${((100 * this.accepted) / total).toFixed(1)}%)`,
    );
    log.print(` * ${'avg result time'.padEnd(17)}${secs.toFixed(1)} s`);
    log.print(` * ${'pool-side hashes'.padEnd(17)}${this.accepted * this.s.diff}`);
  }

  printConnection() {
    const log = this.log;
    const bench = this.bench;
    const uptime = Math.floor((Date.now() - this.connectAt) / 1000);
    const diff = bench ? 18446744073709551615n : BigInt(this.s.diff);
    log.print(log.paint(ANSI.magenta, ' - CONNECTION'));
    log.print(` * ${'pool address'.padEnd(17)}${this.poolAddress} (${bench ? '(null)' : this.poolIp}) `);
    log.print(` * ${'algorithm'.padEnd(17)}${this.algo}`);
    log.print(` * ${'difficulty'.padEnd(17)}${scaleDiff(diff)}`);
    log.print(` * ${'connection time'.padEnd(17)}${uptime}s`);
    if (!bench) log.print(` * ${'ping time'.padEnd(17)}${this.ping}ms`);
  }

  printHealth() {
    const n = this.hashrate ? this.plan.count : 0;
    this.log.tag('cpu', `health: ${n} ${n === 1 ? 'thread' : 'threads'} running, no sensors`);
  }

  /** SIGTERM/SIGINT: the lines XMRig prints while exiting. */
  shutdown() {
    for (const t of Object.values(this.timers)) {
      clearTimeout(t);
      clearInterval(t);
    }
    if (this.hashrate)
      this.log.tag('cpu', `${this.log.paint(ANSI.yellowDim, 'stopped')} (${this.rng.int(1, 20)} ms)`);
    this.hashrate = null;
  }

  // ---------------------------------------------------------------- API bodies

  get workerId() {
    const w = this.cfg.api?.['worker-id'];
    return typeof w === 'string' && w ? w : os.hostname();
  }

  get apiId() {
    const id = this.cfg.api?.id;
    if (typeof id === 'string' && id) return id.slice(0, 31);
    return crypto
      .createHash('sha256')
      .update(`${this.apiPort}:${os.hostname()}:${this.index}`)
      .digest('hex')
      .slice(0, 16);
  }

  /** @param {number} [version] 1 for /1/summary and /api.json, 2 for /2/summary */
  summary(version = 2) {
    const now = Date.now();
    const running = this.hashrate !== null;
    const bench = this.bench;
    const accepted = this.accepted;
    const uptimeMs = now - this.connectAt;
    const avgTime = accepted ? Math.floor(uptimeMs / 1000 / accepted) : 0;
    const avgTimeMs = accepted ? Math.floor(uptimeMs / accepted) : 0;
    const hashesTotal = accepted * (bench ? 0 : this.s.diff);
    const totals = this.rates(-1).map(dbl);
    const pages = running ? (this.light ? 128 : 1168) + this.plan.count : 0;

    /** @type {Json} */
    const results = {
      diff_current: this.diff,
      shares_good: accepted,
      shares_total: accepted + this.rejected,
      avg_time: avgTime,
      avg_time_ms: avgTimeMs,
      hashes_total: hashesTotal,
      best: [...this.best, ...Array(10).fill(0)].slice(0, 10),
    };
    if (version === 1) results.error_log = [];

    const pool = this.cfg.pools[0];
    /** @type {Json} */
    const connection = {
      pool: this.poolAddress,
      ip: bench ? null : this.poolIp,
      uptime: Math.floor(uptimeMs / 1000),
      uptime_ms: uptimeMs,
      ping: bench ? 0 : this.ping,
      failures: 0,
      tls: !bench && pool?.tls ? 'TLSv1.3' : null,
      'tls-fingerprint': null,
      algo: this.algo,
      diff: this.diff,
      accepted,
      rejected: this.rejected,
      avg_time: avgTime,
      avg_time_ms: avgTimeMs,
      hashes_total: hashesTotal,
    };
    if (version === 1) connection.error_log = [];

    /** @type {Json} */
    const hashrate = { total: totals, highest: dbl(this.highest) };
    if (version === 1) {
      hashrate.threads = running
        ? Array.from({ length: this.plan.count }, (_, i) => this.rates(i).map(dbl))
        : [];
    }

    return {
      id: this.apiId,
      worker_id: this.workerId,
      uptime: Math.floor((now - this.startedAt) / 1000),
      restricted: this.cfg.http.restricted !== false,
      resources: {
        memory: { free: os.freemem(), total: os.totalmem(), resident_set_memory: process.memoryUsage.rss() },
        load_average: os.loadavg().map((v) => dbl(round2(v))),
        hardware_concurrency: this.s.cores,
      },
      features: TEMPLATE.features,
      results,
      algo: this.algo,
      connection,
      version: TEMPLATE.version,
      kind: TEMPLATE.kind,
      ua: TEMPLATE.ua,
      cpu: { ...TEMPLATE.cpu, brand: this.brand, cores: this.s.cores, threads: this.s.cores },
      donate_level: this.donateLevel,
      paused: this.paused,
      algorithms: TEMPLATE.algorithms,
      hashrate,
      hugepages: version === 1 ? false : [0, pages],
    };
  }

  backends() {
    const n = this.lastCount;
    /** @type {Json} */
    const b = {
      type: 'cpu',
      enabled: this.cfg.cpu.enabled !== false,
      algo: this.algo,
      profile: this.plan.profile || '*',
      'hw-aes': BACKEND_TEMPLATE['hw-aes'],
      priority: this.plan.priority,
      msr: false,
      asm: BACKEND_TEMPLATE.asm,
      'argon2-impl': BACKEND_TEMPLATE['argon2-impl'],
      hugepages: [0, n ? (this.light ? 128 : 1168) + n : 0],
      memory: 2097152 * Math.max(1, n),
    };
    if (this.hashrate) {
      b.hashrate = this.rates(-1).map(dbl);
      b.threads = Array.from({ length: this.plan.count }, (_, i) => ({
        intensity: 1,
        affinity: this.plan.affinities[i] ?? -1,
        av: 1,
        hashrate: this.rates(i).map(dbl),
      }));
    }
    return [b];
  }

  config() {
    return configJson(this.cfg);
  }
}
