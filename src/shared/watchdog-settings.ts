// The watchdog's user settings (crash restarts with backoff, crash-loop, hang and 0 H/s detection) with
// defaults that never restart a healthy miner: RandomX warm-up and pauses are respected.
import { z } from 'zod';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const ms = (min: number, max: number, what: string) =>
  z
    .number()
    .int()
    .min(min, `${what} must be at least ${min / SECOND} s`)
    .max(max, `${what} must be at most ${max / SECOND} s`);

export const watchdogSettingsSchema = z
  .object({
    /** Master switch: off means crashes stay crashed and nothing is ever restarted by the app. */
    enabled: z.boolean().default(true),
    /** First restart delay after a crash; doubles on each consecutive failure. */
    backoffInitialMs: ms(500, 10 * MINUTE, 'The first restart delay').default(2 * SECOND),
    /** The delay never grows beyond this. */
    backoffMaxMs: ms(SECOND, 24 * 60 * MINUTE, 'The longest restart delay').default(5 * MINUTE),
    /** A miner that ran this long without failing starts again from the first delay. */
    stableAfterMs: ms(10 * SECOND, 24 * 60 * MINUTE, 'The stable run time').default(5 * MINUTE),
    /** This many failures (crashes, hangs, 0 H/s restarts) within the window: crash-loop, no more retries. */
    crashLoopCount: z
      .number()
      .int()
      .min(2, 'A crash loop needs at least 2 crashes')
      .max(100, 'A crash loop is at most 100 crashes')
      .default(5),
    crashLoopWindowMs: ms(MINUTE, 24 * 60 * MINUTE, 'The crash-loop window').default(10 * MINUTE),
    /** The stats API did not answer for this long while the miner runs: it hangs. */
    hangTimeoutMs: ms(10 * SECOND, 60 * MINUTE, 'The API hang timeout').default(60 * SECOND),
    /** The total-hashes counter did not move for this long while running and not paused: it hangs. */
    counterStallMs: ms(10 * SECOND, 60 * MINUTE, 'The stalled-counter timeout').default(2 * MINUTE),
    /** Restart after this many consecutive 0 H/s (or missing) samples once warmed up... */
    zeroHashrateSamples: z
      .number()
      .int()
      .min(2, 'At least 2 samples of 0 H/s')
      .max(100_000, 'At most 100000 samples of 0 H/s')
      .default(30),
    /** ...that also span at least this long (a fast stats interval must not shorten the verdict). */
    zeroHashrateMinMs: ms(10 * SECOND, 60 * MINUTE, 'The 0 H/s duration').default(60 * SECOND),
    /**
     * No 0 H/s verdict before the first hashrate or before this grace has passed since start (RandomX
     * builds a 2 GB dataset first; slow machines with no huge pages take minutes).
     */
    warmupGraceMs: ms(30 * SECOND, 60 * MINUTE, 'The warm-up grace').default(10 * MINUTE),
    /** After a resume the rate windows refill from zero: no 0 H/s verdict for this long. */
    resumeGraceMs: ms(5 * SECOND, 30 * MINUTE, 'The grace after resume').default(60 * SECOND),
  })
  .refine((s) => s.backoffMaxMs >= s.backoffInitialMs, {
    message: 'The longest restart delay must not be shorter than the first one',
    path: ['backoffMaxMs'],
  });

export type WatchdogSettings = z.output<typeof watchdogSettingsSchema>;
export type WatchdogSettingsInput = z.input<typeof watchdogSettingsSchema>;

export const DEFAULT_WATCHDOG_SETTINGS: WatchdogSettings = watchdogSettingsSchema.parse({});
