// XMRig's warm-up phase from its own log lines: RandomX dataset init, "dataset ready", "READY threads",
// then speed lines until the first 10 s average. Pure: the manager feeds each stdout line with its time.
import type { MinerWarmup, WarmupPhase } from '../../../../shared/model';

/** What one line says: a warm-up phase began, hashing has a first average, or nothing about warm-up. */
export type WarmupSignal = WarmupPhase | 'hashing';

const ORDER: Record<WarmupSignal, number> = {
  starting: 0,
  dataset: 1,
  threads: 2,
  'first-sample': 3,
  hashing: 4,
};

// Colours are stripped before matching: with colours on, XMRig wraps every word group in SGR codes.
// eslint-disable-next-line no-control-regex -- matching the ESC of SGR sequences is the point
const SGR = /\u001b\[[0-9;]*m/g;
const DATASET_INIT = /\brandomx\s+init dataset\b/;
const DATASET_READY = /\brandomx\s+dataset ready\b/;
const THREADS_READY = /\bREADY threads\b/;
// "miner    speed 10s/60s/15m 34.36 n/a n/a H/s max 42.78 H/s": the first value is the 10 s average.
const SPEED = /\bminer\s+speed 10s\/60s\/15m\s+(\S+)/;

/** The warm-up signal of one stdout line (with or without ANSI colours), or null. */
export function warmupSignalOf(line: string): WarmupSignal | null {
  const text = line.replace(SGR, '');
  if (DATASET_INIT.test(text)) return 'dataset';
  if (DATASET_READY.test(text)) return 'threads';
  if (THREADS_READY.test(text)) return 'first-sample';
  const speed = SPEED.exec(text);
  if (speed) return Number.isFinite(Number(speed[1])) ? 'hashing' : 'first-sample';
  return null;
}

/** The warm-up state of a process that was just spawned. */
export function startWarmup(at: number): MinerWarmup {
  return { phase: 'starting', since: at };
}

/**
 * The warm-up after `line` (logged at `at`). Phases only move forward, so a later "READY threads" from a
 * live thread change does not send a hashing miner back; null means the miner hashes (warm-up over).
 * A new "init dataset" after that (the RandomX seed changed) starts a new warm-up: XMRig stops hashing
 * until the new dataset is ready. Returns `current` itself when the line changes nothing.
 */
export function nextWarmup(current: MinerWarmup | null, line: string, at: number): MinerWarmup | null {
  const signal = warmupSignalOf(line);
  if (signal === null) return current;
  if (current === null) return signal === 'dataset' ? { phase: 'dataset', since: at } : null;
  if (signal === 'hashing') return null;
  if (ORDER[signal] <= ORDER[current.phase]) return current;
  return { phase: signal, since: at };
}
