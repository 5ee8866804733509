#!/usr/bin/env node
// Fake TT-Miner (NVIDIA GPU miner) for integration tests and demo mode: TT-Miner's flags, console lines
// and the Claymore miner_getstat1 JSON-RPC over TCP (-b host:port), with simulated GPUs; it mines nothing.
// @ts-check
/*
 * Run: node test/fakes/fake-ttminer.mjs -a KAWPOW -P user.rig:x@pool.example:4444 -b 127.0.0.1:4068 -d 0,1
 *
 * Environment (optional, see test/fakes/README.md):
 *   FAKE_TT_RATE=14000000   H/s per GPU          FAKE_TT_WARMUP_MS / FAKE_WARMUP_MS=1500  DAG generation
 *   FAKE_TT_PRINT_MS=5000   report period        FAKE_SHARE_MS=4000  mean time between shares
 *   FAKE_REJECT_RATE=0      rejected fraction    FAKE_SEED=1         PRNG seed
 *   Faults: FAKE_CRASH_AFTER_MS, FAKE_CRASH_CODE=1, FAKE_CRASH_SIGNAL, FAKE_CONFIG_ERROR, FAKE_API_HANG,
 *   FAKE_API_MALFORMED, FAKE_API_HUGE, FAKE_API_SLOW_MS, FAKE_IGNORE_SIGTERM, FAKE_FLOOD (+FAKE_FLOOD_LINES),
 *   FAKE_ZERO_RATE, FAKE_SPAWN_CHILD (+FAKE_CHILD_DETACHED).
 */

import { ClaymoreServer } from './lib/claymore-api.mjs';
import { readKeys } from './lib/console.mjs';
import { envNum } from './lib/env.mjs';
import { flood, onTerminationSignals, readFaults, scheduleCrash, spawnGrandchild } from './lib/faults.mjs';
import { ANSI, flushAndExit, ignoreStdioErrors, timestamp } from './lib/log.mjs';
import { Rng } from './lib/rng.mjs';

const VERSION = '2023.1.0';
const GPU_NAME = 'NVIDIA GeForce RTX 3070';

/** Options that take one value. */
const VALUE_OPTS = new Set([
  '-P',
  '-PALT',
  '-o',
  '-pool',
  '-url',
  '-u',
  '-user',
  '-wal',
  '-p',
  '-pass',
  '-w',
  '-worker',
  '-a',
  '-A',
  '-algo',
  '-AALT',
  '-b',
  '--api-bind',
  '--api-type',
  '--api-password',
  '-coin',
  '-PP',
  '-PRHRI',
  '-PRT',
  '-PRS',
  '-tstop',
  '-tstart',
  '-pool2',
  '-user2',
  '-wal2',
  '-pass2',
  '-worker2',
  '-oALT',
  '-uALT',
  '-pALT',
  '-wALT',
  '-work-timeout',
]);
/** Options followed by a comma- or space-separated list of numbers. */
const LIST_OPTS = new Set([
  '-d',
  '-device',
  '-devices',
  '-gpus',
  '-i',
  '-mi',
  '-intensity',
  '-iALT',
  '-ig',
  '-gs',
]);
const FLAG_OPTS = new Set([
  '-RH',
  '-rate',
  '-DSS',
  '-logpool',
  '-log',
  '-poolinfo',
  '-pi',
  '-luck',
  '-U',
  '--nvidia',
  '-X',
  '-G',
  '--amd',
  '-nocolor',
  '-notimestamp',
  '-ccd',
  '-PRGN',
  '-h',
  '--help',
  '-v',
  '--version',
  '-n',
  '-list',
  '-ndevs',
]);

/**
 * @typedef {object} TtArgs
 * @property {string | null} pool      -P / -o
 * @property {string} user
 * @property {string} algo
 * @property {string | null} apiBind   -b host[:port]
 * @property {string | null} apiPassword
 * @property {number[]} devices
 * @property {number[]} intensity
 * @property {Set<string>} flags
 * @property {string[]} unknown
 */

/**
 * @param {string[]} argv
 * @returns {TtArgs}
 */
function parseArgs(argv) {
  /** @type {TtArgs} */
  const a = {
    pool: null,
    user: '',
    algo: 'KAWPOW',
    apiBind: null,
    apiPassword: null,
    devices: [],
    intensity: [],
    flags: new Set(),
    unknown: [],
  };
  for (let i = 0; i < argv.length; i++) {
    let opt = argv[i];
    /** @type {string | undefined} */
    let inline;
    if (opt.startsWith('--') && opt.includes('='))
      [opt, inline] = [opt.slice(0, opt.indexOf('=')), opt.slice(opt.indexOf('=') + 1)];
    if (LIST_OPTS.has(opt)) {
      const values = [];
      if (inline !== undefined) values.push(inline);
      while (i + 1 < argv.length && /^-?\d+(,-?\d+)*$/.test(argv[i + 1])) {
        values.push(argv[++i]);
      }
      const nums = values
        .flatMap((v) => v.split(','))
        .filter(Boolean)
        .map(Number);
      if (opt.startsWith('-d') || opt === '-gpus') a.devices.push(...nums);
      else a.intensity.push(...nums);
    } else if (VALUE_OPTS.has(opt)) {
      const v = inline ?? argv[++i] ?? '';
      if ((opt === '-P' || opt === '-o' || opt === '-pool' || opt === '-url') && a.pool === null) a.pool = v;
      else if (opt === '-u' || opt === '-user' || opt === '-wal') a.user = v;
      else if (opt === '-a' || opt === '-A' || opt === '-algo') a.algo = v;
      else if (opt === '-b' || opt === '--api-bind') a.apiBind = v;
      else if (opt === '--api-password') a.apiPassword = v;
    } else if (FLAG_OPTS.has(opt)) a.flags.add(opt);
    else a.unknown.push(argv[i]);
  }
  return a;
}

/**
 * "pool.example:4444" from "stratum+tcp://wallet.rig:pw@pool.example:4444".
 * @param {string} p
 */
function poolAddress(p) {
  return p.replace(/^[a-z0-9+.-]+:\/\//i, '').replace(/^.*@/, '');
}

/**
 * "wallet.rig" from "stratum+tcp://wallet.rig:pw@pool.example:4444" ("" without a user part).
 * @param {string} p
 */
function poolUser(p) {
  const noScheme = p.replace(/^[a-z0-9+.-]+:\/\//i, '');
  return noScheme.includes('@') ? noScheme.replace(/@.*$/, '').replace(/:.*$/, '') : '';
}

/** @param {number} h H/s */
const mhs = (h) => (h / 1e6).toFixed(3);

main().catch((err) => {
  process.stderr.write(`fake-ttminer: ${err?.stack ?? err}\n`);
  process.exit(70);
});

async function main() {
  ignoreStdioErrors();
  const faults = readFaults();
  const args = parseArgs(process.argv.slice(2));
  const colors = !args.flags.has('-nocolor');
  const stamps = !args.flags.has('-notimestamp');
  /** @param {string} code @param {string} s */
  const paint = (code, s) => (colors ? `${code}${s}${ANSI.reset}` : s);
  /** @param {string} msg */
  const out = (msg) => {
    try {
      process.stdout.write(`${stamps ? `[${timestamp().slice(0, 19)}] ` : ''}${msg}\n`);
    } catch {
      /* reader gone */
    }
  };

  if (args.flags.has('-v') || args.flags.has('--version')) {
    process.stdout.write(`TT-Miner ${VERSION}\n`);
    return flushAndExit(0);
  }
  if (args.flags.has('-h') || args.flags.has('--help')) {
    process.stdout.write(
      `TT-Miner ${VERSION} (fake)\n  -a ALGO  -P [scheme://]user[.worker][:pass]@host:port  -u USER  -p PASS\n` +
        '  -b, --api-bind IP[:port]  --api-password PW  -d 0,1  -i 20  -v  -nocolor  -notimestamp\n',
    );
    return flushAndExit(0);
  }
  const devices = args.devices.length ? args.devices : [0, 1];
  if (args.flags.has('-n') || args.flags.has('-list') || args.flags.has('-ndevs')) {
    devices.forEach((d) => process.stdout.write(`GPU[${d}]: ${GPU_NAME}, 8192 MB\n`));
    return flushAndExit(0);
  }

  process.stdout.write(`TT-Miner ${VERSION}\n`);
  for (const u of args.unknown) out(paint(ANSI.yellow, `WARNING: unknown parameter '${u}' ignored`));
  if (faults.configError || !args.pool) {
    out(paint(ANSI.red, 'ERROR: no pool defined, use -P [scheme://]user[.worker][:password]@host:port'));
    return flushAndExit(2);
  }

  // ------------------------------------------------------------------ simulated GPUs
  const rng = new Rng(faults.seed * 104729);
  const rate = envNum('FAKE_TT_RATE', 14_000_000);
  const warmupMs = envNum(['FAKE_TT_WARMUP_MS', 'FAKE_WARMUP_MS'], 1500);
  const shareMs = envNum('FAKE_SHARE_MS', 4000);
  const rejectRate = envNum('FAKE_REJECT_RATE', 0);
  const printMs = envNum('FAKE_TT_PRINT_MS', 5000);
  const startedAt = Date.now();
  const pool = poolAddress(args.pool);
  const gpus = devices.map((id) => ({
    id,
    base: rate * (1 + 0.02 * rng.gauss()),
    hashrate: 0,
    temp: 55 + rng.int(0, 6),
    target: 58 + rng.int(0, 10),
    fan: 40,
    power: 150,
  }));
  let mining = false;
  let accepted = 0;
  let rejected = 0;

  const tick = () => {
    for (const g of gpus) {
      g.hashrate = mining && !faults.zeroRate ? Math.round(g.base * (1 + 0.01 * rng.gauss())) : 0;
      g.temp = Math.round(Math.min(70, Math.max(55, g.temp + Math.sign(g.target - g.temp) + rng.int(-1, 1))));
      g.fan = Math.round(Math.min(60, Math.max(40, 40 + (g.temp - 55) * 1.3 + rng.int(-2, 2))));
      g.power = Math.round(
        Math.min(200, Math.max(150, mining ? 175 + 8 * rng.gauss() : 150 + rng.int(0, 5))),
      );
    }
  };
  tick();

  /** @returns {string[]} miner_getstat1 result, indexes as in PROTOCOL.md */
  const getstat1 = () => {
    const total = gpus.reduce((s, g) => s + g.hashrate, 0);
    return [
      `TT-Miner/${VERSION}`,
      String(Math.floor((Date.now() - startedAt) / 60000)),
      `${total};${accepted};${rejected}`,
      gpus.map((g) => g.hashrate).join(';'),
      '0;0;0',
      gpus.map(() => 'off').join(';'),
      gpus.map((g) => `${g.temp};${g.fan}`).join(';'),
      pool,
      '0;0;0;0',
      gpus.map((g) => g.power).join(';'),
    ];
  };

  const report = () => {
    for (const g of gpus) {
      out(
        `GPU[${g.id}]: ${paint(ANSI.cyan, `${mhs(g.hashrate)} MH/s`)}  T:${g.temp}C  F:${g.fan}%  P:${g.power}W`,
      );
    }
    const total = gpus.reduce((s, g) => s + g.hashrate, 0);
    const up = Math.floor((Date.now() - startedAt) / 1000);
    const hms = `${Math.floor(up / 3600)}:${String(Math.floor(up / 60) % 60).padStart(2, '0')}:${String(up % 60).padStart(2, '0')}`;
    out(
      `Total: ${paint(ANSI.cyan, `${mhs(total)} MH/s`)}  Shares A:${accepted} R:${rejected}  Uptime ${hms}`,
    );
  };

  // ------------------------------------------------------------------ start-up
  out(`CUDA devices: ${gpus.length}`);
  for (const g of gpus)
    out(`GPU[${g.id}]: ${GPU_NAME}, 8192 MB, compute 8.6, intensity ${args.intensity[0] ?? 21}`);
  out(`Algorithm: ${args.algo.toUpperCase()}`);

  /** @type {ClaymoreServer | null} */
  let api = null;
  let exiting = false;
  onTerminationSignals((sig) => {
    out(paint(ANSI.yellow, `Received ${sig}, shutting down...`));
    if (faults.ignoreSigterm || exiting) return;
    exiting = true;
    api?.close();
    out('TT-Miner stopped');
    flushAndExit(0);
  });
  if (args.apiBind) {
    const m = /^(.*?)(?::(\d+))?$/.exec(args.apiBind);
    const host = m?.[1] || '127.0.0.1';
    const port = Number(m?.[2] ?? 4068);
    const server = new ClaymoreServer({ getstat1, password: args.apiPassword }, faults);
    const r = await server.listen(host, port);
    if (r.ok) {
      api = server;
      out(`API server (Claymore JSON-RPC) listening on ${host}:${r.port}`);
    } else out(paint(ANSI.red, `ERROR: cannot bind API to ${host}:${port}: ${r.error}`));
  }

  out(`Connecting to pool ${pool} ...`);
  setTimeout(() => {
    out(`Connected to ${pool}, user ${args.user || poolUser(String(args.pool)) || 'x'}`);
    out(`New job from ${pool}, diff ${paint(ANSI.white, '1.00G')}`);
    for (const g of gpus) out(`GPU[${g.id}]: generating DAG...`);
  }, 30);
  setTimeout(() => {
    mining = true;
    tick();
    for (const g of gpus)
      out(`GPU[${g.id}]: DAG generated in ${(warmupMs / 1000).toFixed(2)} s, mining started`);
  }, warmupMs);
  setInterval(tick, 1000);
  if (printMs > 0) setInterval(report, printMs);

  const scheduleShare = () => {
    if (shareMs <= 0) return;
    setTimeout(
      () => {
        if (mining && !faults.zeroRate) {
          const g = gpus[rng.int(0, gpus.length - 1)];
          const ms = rng.int(20, 80);
          if (rng.next() < rejectRate) {
            rejected++;
            out(`GPU[${g.id}]: ${paint(ANSI.red, 'share rejected')} (${ms} ms)  A:${accepted} R:${rejected}`);
          } else {
            accepted++;
            out(
              `GPU[${g.id}]: ${paint(ANSI.green, 'share accepted')} (${ms} ms)  A:${accepted} R:${rejected}`,
            );
          }
        }
        scheduleShare();
      },
      Math.max(50, rng.exp(shareMs)),
    );
  };
  scheduleShare();

  // ------------------------------------------------------------------ console, signals, faults
  readKeys((key) => {
    if (key === 'h' || key === 'H') report();
    if (key === 's' || key === 'S') out(`Shares: accepted ${accepted}, rejected ${rejected}`);
  });

  scheduleCrash(faults, () =>
    out(paint(ANSI.red, `GPU[${gpus[0].id}]: CUDA error 700: an illegal memory access was encountered`)),
  );
  if (faults.spawnChild) spawnGrandchild(faults.childMaxMs, faults.childDetached);
  if (faults.flood) {
    void flood(
      faults.floodLines,
      (i) => `[${timestamp().slice(0, 19)}] GPU[0]: ${mhs(rate)} MH/s  (flood ${i + 1})`,
    );
  }
}
