// Pure restart arithmetic: capped exponential backoff (2 s, 4 s, 8 s ... 5 min) and the sliding
// window of recent failures that decides when retrying has become a crash loop.
import type { WatchdogSettings } from '../../../shared/watchdog-settings';

/** Delay before restart number `attempt` (1-based): initial * 2^(attempt-1), never above the cap. */
export function backoffDelay(
  attempt: number,
  s: Pick<WatchdogSettings, 'backoffInitialMs' | 'backoffMaxMs'>,
) {
  const n = Math.max(1, Math.floor(attempt));
  // 2^n overflows to Infinity long after the cap is reached; Math.min handles that.
  return Math.min(s.backoffMaxMs, s.backoffInitialMs * 2 ** (n - 1));
}

/** Failure times still inside the window ending at `at`, plus this one. */
export function recordFailure(failures: readonly number[], at: number, windowMs: number): number[] {
  return [...failures.filter((t) => at - t < windowMs), at];
}

export function isCrashLoop(failures: readonly number[], s: Pick<WatchdogSettings, 'crashLoopCount'>) {
  return failures.length >= s.crashLoopCount;
}

/** "2 s", "1 min 30 s", "2 h 5 min": short, for log lines and markers. */
export function formatDuration(ms: number): string {
  const totalSec = Math.round(ms / 1000);
  if (totalSec < 60) return `${totalSec} s`;
  const min = Math.floor(totalSec / 60);
  const sec = totalSec % 60;
  if (min < 60) return sec ? `${min} min ${sec} s` : `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}
