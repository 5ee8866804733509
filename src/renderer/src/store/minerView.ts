// What one miner looks like to a user: a single display state (never "crashed" and "paused" at once),
// its live hashrate only while it hashes, a crash reason as a sentence, and what a warm-up is doing.
import type { CpuUsage, ExitInfo, MinerSnapshot, WarmupPhase } from '../../../shared/model';
import { MINER_TYPE_LABELS } from '../format/minerType';

export type DisplayState =
  'starting' | 'warming' | 'hashing' | 'paused' | 'stopping' | 'stopped' | 'crashed' | 'errored';

export const DISPLAY_LABELS: Record<DisplayState, string> = {
  starting: 'starting',
  warming: 'warming up',
  hashing: 'mining',
  paused: 'paused',
  stopping: 'stopping',
  stopped: 'stopped',
  crashed: 'crashed',
  errored: 'error',
};

/**
 * The CPU budget pauses a miner in short pulses without telling anyone (no state event per pulse), so the
 * stats flip between paused and not every second: that miner mines part of the time, it is not paused.
 */
export const isPulsing = (m: MinerSnapshot): boolean =>
  m.control?.budget?.stage === 'pulse' && (m.control.pausedBy === null || m.control.pausedBy.by === 'budget');

const isPausedNow = (m: MinerSnapshot): boolean => (m.paused || m.stats?.paused === true) && !isPulsing(m);

/** A miner without a pause of its own (TT-Miner) is stopped to pause it, and started again to resume. */
export const pausesByStopping = (m: MinerSnapshot): boolean =>
  (m.control?.pauseKind ?? (m.minerType === 'ttminer' ? 'stop' : 'api')) === 'stop';

/** True while a running miner has no hashrate to show yet (RandomX dataset, first 10 s average). */
export function isWarmingUp(m: MinerSnapshot): boolean {
  if (m.state !== 'running') return false;
  if (m.warmup) return true;
  const s = m.stats;
  return !s || s.warmingUp || (s.hashrate[0] == null && s.hashrate[1] == null);
}

/** One state per miner: a pause or a warm-up is only ever shown for a running process. */
export function displayStateOf(m: MinerSnapshot): DisplayState {
  switch (m.state) {
    case 'running':
      if (isPausedNow(m)) return 'paused';
      return isWarmingUp(m) ? 'warming' : 'hashing';
    case 'stopped':
      // Stopped to pause it (TT-Miner): a resume, a rule or the timer starts it again.
      return m.paused ? 'paused' : 'stopped';
    default:
      return m.state === 'errored' ? 'errored' : m.state;
  }
}

/** The 10 s hashrate (60 s when the 10 s window is empty) of a miner that hashes now; null otherwise. */
export function liveHashrate(m: MinerSnapshot): number | null {
  if (displayStateOf(m) !== 'hashing' || !m.stats) return null;
  const rate = m.stats.hashrate[0] ?? m.stats.hashrate[1];
  return rate != null && Number.isFinite(rate) ? rate : null;
}

/**
 * What the miner's process tree costs this computer now, measured by the main process: the newer of the
 * stats sample's figure (every tick) and the snapshot's (state changes). null while not measured, and
 * for a miner that has no process (stopped, or an in-process simulated miner).
 */
export function cpuUsageOf(m: MinerSnapshot): CpuUsage | null {
  if (m.state !== 'running') return null;
  const fromStats = m.stats?.usage ?? null;
  const fromControl = m.control?.usage ?? null;
  const usage =
    fromStats && fromControl
      ? fromStats.at >= fromControl.at
        ? fromStats
        : fromControl
      : (fromStats ?? fromControl);
  if (!usage || !Number.isFinite(usage.machineCpuPercent) || usage.machineCpuPercent < 0) return null;
  return usage;
}

/** The miner's CPU use in % of the whole machine (100 = every logical core); null when not measured. */
export function cpuPercentOf(m: MinerSnapshot): number | null {
  return cpuUsageOf(m)?.machineCpuPercent ?? null;
}

export function describeExit(exit: ExitInfo): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  if (exit.code !== null) return `exit code ${exit.code}`;
  return 'no exit code';
}

/**
 * Why a miner is not running, as one sentence: a crash from its exit ("XMRig stopped unexpectedly
 * (exit code 1)"), a failed start from the main process's reason. null when nothing is wrong.
 */
export function problemOf(m: MinerSnapshot): string | null {
  if (m.state === 'crashed') {
    const type = MINER_TYPE_LABELS[m.minerType];
    if (m.lastExit) return `${type} stopped unexpectedly (${describeExit(m.lastExit)}).`;
    return m.reason ?? `${type} stopped unexpectedly.`;
  }
  if (m.state === 'errored') return m.reason ?? `${MINER_TYPE_LABELS[m.minerType]} could not start.`;
  return null;
}

const PHASE_TEXT: Record<WarmupPhase, string> = {
  starting: 'Starting the miner',
  dataset: 'Preparing the RandomX dataset (usually 10–30 s)',
  threads: 'Dataset ready, starting the mining threads',
  'first-sample': 'Hashing; waiting for the first 10-second average',
};

export interface WarmupView {
  text: string;
  /** When the current phase (or, without phases, the warm-up) began; null when unknown. */
  since: number | null;
}

/** What a warming-up miner is doing: the phase from the main process when known, else a general note. */
export function warmupOf(m: MinerSnapshot): WarmupView {
  if (m.warmup) return { text: PHASE_TEXT[m.warmup.phase], since: m.warmup.since };
  const text =
    m.minerType === 'xmrig'
      ? 'Warming up: XMRig prepares its RandomX dataset, then averages its first 10 s of hashing'
      : 'Warming up: waiting for the first hashrate sample';
  return { text, since: m.startedAt };
}
