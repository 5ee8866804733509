// @ts-check
// Fault modes shared by both fakes, chosen by FAKE_* environment variables (see test/fakes/README.md):
// crash, config error, API hang/malformed/huge/slow, ignored SIGTERM, stdout flood, zero rate, grandchild.

import { spawn } from 'node:child_process';
import { envBool, envNum, envOptNum, envRaw } from './env.mjs';

/**
 * @typedef {object} Faults
 * @property {number | undefined} crashAfterMs   FAKE_CRASH_AFTER_MS
 * @property {number} crashCode                  FAKE_CRASH_CODE (default 1)
 * @property {NodeJS.Signals | undefined} crashSignal FAKE_CRASH_SIGNAL (e.g. SIGSEGV: die by that signal instead)
 * @property {boolean} configError               FAKE_CONFIG_ERROR
 * @property {boolean} apiHang                   FAKE_API_HANG
 * @property {boolean} apiMalformed              FAKE_API_MALFORMED
 * @property {boolean} apiHuge                   FAKE_API_HUGE
 * @property {number} apiHugeBytes               FAKE_API_HUGE_BYTES (default 20 MiB)
 * @property {number} apiSlowMs                  FAKE_API_SLOW_MS
 * @property {boolean} ignoreSigterm             FAKE_IGNORE_SIGTERM
 * @property {boolean} flood                     FAKE_FLOOD
 * @property {number} floodLines                 FAKE_FLOOD_LINES (default 100000)
 * @property {boolean} zeroRate                  FAKE_ZERO_RATE
 * @property {boolean} spawnChild                FAKE_SPAWN_CHILD
 * @property {number} childMaxMs                 FAKE_CHILD_MAX_MS (grandchild self-exit, default 120000)
 * @property {boolean} childDetached             FAKE_CHILD_DETACHED (grandchild leaves the process group: setsid)
 * @property {number} seed                       FAKE_SEED (default 1)
 */

/** @returns {Faults} */
export function readFaults() {
  const sig = envRaw('FAKE_CRASH_SIGNAL');
  return {
    crashAfterMs: envOptNum('FAKE_CRASH_AFTER_MS'),
    crashCode: envNum('FAKE_CRASH_CODE', 1),
    crashSignal: sig ? /** @type {NodeJS.Signals} */ (sig.toUpperCase()) : undefined,
    configError: envBool('FAKE_CONFIG_ERROR'),
    apiHang: envBool('FAKE_API_HANG'),
    apiMalformed: envBool('FAKE_API_MALFORMED'),
    apiHuge: envBool('FAKE_API_HUGE'),
    apiHugeBytes: envNum('FAKE_API_HUGE_BYTES', 20 * 1024 * 1024),
    apiSlowMs: envNum('FAKE_API_SLOW_MS', 0),
    ignoreSigterm: envBool('FAKE_IGNORE_SIGTERM'),
    flood: envBool('FAKE_FLOOD'),
    floodLines: envNum('FAKE_FLOOD_LINES', 100000),
    zeroRate: envBool('FAKE_ZERO_RATE'),
    spawnChild: envBool('FAKE_SPAWN_CHILD'),
    childMaxMs: envNum('FAKE_CHILD_MAX_MS', 120000),
    childDetached: envBool('FAKE_CHILD_DETACHED'),
    seed: envNum('FAKE_SEED', 1),
  };
}

/**
 * After `afterMs`, call `report` (prints the crash line) and die with `code` or `signal`.
 * @param {Faults} f
 * @param {() => void} report
 */
export function scheduleCrash(f, report) {
  if (f.crashAfterMs === undefined) return;
  setTimeout(() => {
    report();
    const die = () => {
      if (f.crashSignal) {
        for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP', f.crashSignal]) process.removeAllListeners(s);
        try {
          process.kill(process.pid, f.crashSignal);
        } catch {
          process.exit(f.crashCode);
        }
        setTimeout(() => process.exit(f.crashCode), 500);
      } else process.exit(f.crashCode);
    };
    process.stdout.write('', die);
    setTimeout(die, 500).unref();
  }, f.crashAfterMs);
}

/**
 * Spawn a long-lived grandchild (stdio ignored so it does not hold our pipes) and print "child pid N".
 * It stays in our process group unless `detached` (then it calls setsid, as a daemonising miner would).
 * It exits by itself after `maxMs` so a leaked one never lives forever.
 * @param {number} maxMs
 * @param {boolean} [detached]
 * @returns {number | undefined}
 */
export function spawnGrandchild(maxMs, detached = false) {
  const code = `setInterval(() => {}, 1000); setTimeout(() => process.exit(0), ${Math.max(1000, maxMs)});`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore', detached });
  child.on('error', () => {});
  child.unref();
  process.stdout.write(`child pid ${child.pid}\n`);
  return child.pid;
}

/**
 * Write `count` lines as fast as the reader takes them (awaiting 'drain' when the pipe is full).
 * @param {number} count
 * @param {(i: number) => string} makeLine line without newline
 */
export async function flood(count, makeLine) {
  const BATCH = 500;
  for (let i = 0; i < count;) {
    let chunk = '';
    const end = Math.min(count, i + BATCH);
    for (; i < end; i++) chunk += `${makeLine(i)}\n`;
    let ok = true;
    try {
      ok = process.stdout.write(chunk);
    } catch {
      return;
    }
    if (!ok) await new Promise((r) => process.stdout.once('drain', r));
  }
}

/**
 * Install handlers for the termination signals. With `ignore`, `onSignal` still runs (to log) but
 * the process keeps running; SIGKILL always works.
 * @param {(sig: NodeJS.Signals) => void} onSignal
 */
export function onTerminationSignals(onSignal) {
  /** @type {NodeJS.Signals[]} */
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  if (process.platform === 'win32') signals.push('SIGBREAK');
  for (const s of signals) {
    try {
      process.on(s, () => onSignal(s));
    } catch {
      /* signal not supported on this platform */
    }
  }
}
