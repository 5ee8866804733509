// "Resume the miners that were running when the app last quit": the set of miners the user wants running
// is saved on every change (so a crash of the app keeps it), never by the stops of a quit, and started
// again at the next launch when the setting is on. Nothing starts hidden: a notice names what was resumed.
import type { Profile } from '../../shared/contract';
import { toErrorPayload } from '../../shared/errors';
import type { MinerSnapshot } from '../../shared/model';
import type { MinerManager } from '../core/manager';
import { RunningSet, type RunningEntry } from '../core/store/running-set';
import type { Clock } from '../core/util/clock';

export interface ResumeReport {
  resumed: string[];
  failed: { name: string; message: string }[];
}

export class ResumeKeeper {
  private readonly set: RunningSet;
  private frozen = false;
  private pending: Promise<void> = Promise.resolve();
  private off: (() => void) | null = null;

  constructor(
    private readonly manager: MinerManager,
    dataDir: string,
    private readonly clock: Clock,
    private readonly onError: (message: string) => void,
  ) {
    this.set = new RunningSet(dataDir);
  }

  /** The set the last session left; read before anything could change it. */
  load(): Promise<{ miners: RunningEntry[]; notice: string | null }> {
    return this.set.load();
  }

  /** From now on, every change of what the user wants running is written down. */
  track(): void {
    this.off ??= this.manager.on('state', () => this.save());
  }

  /** The app quits: the stops that follow must not empty the set the next launch resumes. */
  async freeze(): Promise<void> {
    this.frozen = true;
    this.off?.();
    this.off = null;
    await this.pending;
  }

  private save(): void {
    if (this.frozen) return;
    const miners: RunningEntry[] = this.manager.intended().map((m) => ({
      name: m.name,
      minerType: m.minerType,
      profileId: m.profileId,
      config: m.config,
    }));
    this.pending = this.pending
      .then(() => this.set.save(miners, this.clock.now()))
      .catch((err: unknown) =>
        this.onError(`Could not save which miners run: ${toErrorPayload(err).message}`),
      );
  }

  /** Starts each miner of the last session (from its profile as it is now, when it has one). */
  async resume(
    entries: readonly RunningEntry[],
    profiles: readonly Profile[],
    start: (request: unknown) => Promise<MinerSnapshot>,
  ): Promise<ResumeReport> {
    const report: ResumeReport = { resumed: [], failed: [] };
    const results = await Promise.allSettled(
      entries.map((e) => {
        const profile = e.profileId ? profiles.find((p) => p.id === e.profileId) : undefined;
        return start({
          name: e.name,
          minerType: profile?.minerType ?? e.minerType,
          profileId: profile?.id,
          config: profile?.config ?? e.config,
        });
      }),
    );
    results.forEach((r, i) => {
      const name = entries[i]!.name;
      if (r.status === 'fulfilled') report.resumed.push(name);
      else report.failed.push({ name, message: toErrorPayload(r.reason).message });
    });
    return report;
  }
}

/** The notice a resume shows (null when nothing was to resume). */
export function resumeNotice(report: ResumeReport): { level: 'info' | 'warning'; message: string } | null {
  const parts: string[] = [];
  if (report.resumed.length > 0) {
    parts.push(
      `Resumed ${report.resumed.length} miner(s) that were running when HashDeck last quit: ${report.resumed.join(', ')}.`,
    );
  }
  for (const f of report.failed) parts.push(`Could not resume ${f.name}: ${f.message}`);
  if (parts.length === 0) return null;
  return { level: report.failed.length > 0 ? 'warning' : 'info', message: parts.join(' ') };
}
