// Confirmation of a live knob change: read the knobs back from the miner until they show the change,
// with a short deadline while it mines and a long one while it has no workers yet (RandomX init).
import type { KnobTarget } from '../../../shared/model';
import type { KnobReading } from '../miners/adapter';

export function knobsMatch(target: KnobTarget, reading: KnobReading): boolean {
  if (reading.threads === null) return false;
  // XMRig reports priority -1 when the config sets none.
  if (reading.priority !== (target.cpuPriority ?? -1)) return false;
  if (target.threads !== null) return reading.threads === target.threads;
  // Automatic count: XMRig picks it from the hint and its caches; the reload shows in the hint in use.
  return reading.hint === target.cpuMaxThreadsHint;
}

export interface ConfirmOptions {
  read: (signal: AbortSignal) => Promise<KnobReading>;
  target: KnobTarget;
  /** Deadline while the miner has workers (a reload takes ~0.5 s on the real binary). */
  timeoutMs: number;
  /** Deadline while it has none yet: XMRig applies the change when its workers start. */
  initTimeoutMs: number;
  intervalMs: number;
  /** Per-read deadline. */
  readTimeoutMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** False once the change no longer matters (superseded, process replaced): stop quietly. */
  stillWanted: () => boolean;
}

export type ConfirmOutcome =
  { kind: 'applied'; reading: KnobReading } | { kind: 'failed'; message: string } | { kind: 'abandoned' };

function describe(r: KnobReading): string {
  if (r.threads === null) return 'no workers yet';
  const hint = r.hint === undefined ? '' : `, hint ${r.hint ?? 'ignored'}`;
  return `${r.threads} thread(s), priority ${r.priority ?? 'unknown'}${hint}`;
}

function want(t: KnobTarget): string {
  const threads =
    t.threads === null ? `automatic threads at ${t.cpuMaxThreadsHint} %` : `${t.threads} thread(s)`;
  return `${threads}, priority ${t.cpuPriority ?? 'default'}`;
}

export async function confirmKnobs(o: ConfirmOptions): Promise<ConfirmOutcome> {
  const start = o.now();
  let last: KnobReading | null = null;
  // What the last read said (a reading or its error): every pass reads once before any verdict.
  let reports: string;
  for (;;) {
    if (!o.stillWanted()) return { kind: 'abandoned' };
    try {
      last = await o.read(AbortSignal.timeout(o.readTimeoutMs));
      reports = describe(last);
      if (knobsMatch(o.target, last))
        return o.stillWanted() ? { kind: 'applied', reading: last } : { kind: 'abandoned' };
    } catch (err) {
      reports = err instanceof Error ? err.message : String(err);
    }
    const limit = last?.threads === null ? o.initTimeoutMs : o.timeoutMs;
    if (o.now() - start >= limit) {
      return {
        kind: 'failed',
        message: `The miner did not confirm ${want(o.target)} within ${Math.round(limit / 1000)} s (it reports ${reports})`,
      };
    }
    await o.sleep(o.intervalMs);
  }
}
