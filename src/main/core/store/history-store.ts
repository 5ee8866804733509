// Lasting history: 1-minute points and events of every miner, appended to one JSON-lines file per miner
// per UTC day under <data>/history, read back by time range with gaps kept, pruned daily by retention.
import { appendFile, mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_HISTORY_SETTINGS } from '../../../shared/history-settings';
import { realClock, type Clock, type TimerHandle } from '../util/clock';
import { atomicWrite } from '../util/atomic-write';
import {
  checkEvent,
  checkPoint,
  DAY_MS,
  dayKey,
  dayStart,
  encodeEvent,
  encodePoint,
  MINUTE_MS,
  parseDay,
  type HistoryEvent,
  type HistoryPoint,
} from './history-store-format';
import {
  bucketSums,
  buildSummary,
  decodeSummary,
  encodeSummary,
  isSorted,
  pointSums,
  SUMMARY_STEP_MS,
  sumsPoint,
  withGaps,
  type DaySummary,
  type Sums,
} from './history-store-summary';

export type { HistoryEvent, HistoryPoint } from './history-store-format';

/** Miner ids are the manager's slugs; anything else could name a path outside the history folder. */
const MINER_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
/** Files of a day that retention removes with it: set-aside corrupt copies and the derived summary. */
const DAY_COMPANION = /^(\d{4}-\d{2}-\d{2})\.(?:jsonl\.corrupt-.*|sum\.json)$/;

export interface HistoryRange {
  /** Oldest first. With `gaps`, a point of nulls marks where the miner did not run. */
  points: HistoryPoint[];
  events: HistoryEvent[];
}

export interface QueryOptions {
  /**
   * Bucket width for the chart (e.g. 30 min for 30 days): mean hashrate and CPU, summed shares. A bucket
   * with no point is a gap. Default: the stored 1-minute points.
   */
  stepMs?: number;
  /** Insert null points where minutes are missing, so a chart breaks its line there. Default true. */
  gaps?: boolean;
}

export interface HistoryStoreOptions {
  /** The folder that holds one sub-folder per miner (normally <data>/history). */
  dir: string;
  clock?: Clock;
  retentionDays?: number;
  /** Told when a corrupt file was moved aside (show it to the user). */
  onNotice?: (message: string) => void;
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[:.]/g, '-');
}

function checkId(minerId: string): void {
  if (!MINER_ID.test(minerId)) throw new RangeError(`history: invalid miner id "${minerId}"`);
}

export class HistoryStore {
  readonly dir: string;
  private readonly clock: Clock;
  private retentionDays: number;
  private readonly onNotice: (message: string) => void;
  /** Per-miner chain: appends and repairs of one miner run in order; miners never wait for each other. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Day files already checked for a torn tail in this session. */
  private readonly checked = new Set<string>();
  /** Miner folders made in this session (see appendLines). */
  private readonly madeDirs = new Set<string>();
  private pruneTimer: TimerHandle | null = null;
  /** The last daily job (settled ones included: awaiting one costs nothing). */
  private pruning: Promise<unknown> = Promise.resolve();

  constructor(options: HistoryStoreOptions) {
    this.dir = options.dir;
    this.clock = options.clock ?? realClock;
    this.retentionDays = options.retentionDays ?? DEFAULT_HISTORY_SETTINGS.retentionDays;
    this.onNotice = options.onNotice ?? (() => {});
  }

  setRetentionDays(days: number): void {
    this.retentionDays = days;
  }

  /** Prunes now and then once a day (the service owns this loop: start() / stop()). */
  start(): void {
    if (this.pruneTimer) return;
    // Chained, never overlapping: a prune that falls due while one runs waits for it.
    const run = () => {
      this.pruning = this.pruning
        .then(() => this.prune())
        .then(() => this.summarize())
        .catch((err: unknown) => this.onNotice(`History pruning failed: ${String(err)}`));
    };
    run();
    this.pruneTimer = this.clock.setInterval(run, DAY_MS);
  }

  /** Stops the daily prune and waits for it and for every pending write. */
  async stop(): Promise<void> {
    this.pruneTimer?.cancel();
    this.pruneTimer = null;
    await this.pruning;
    await this.flush();
  }

  /** Resolves once every append queued so far is on disk. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }

  appendPoint(minerId: string, point: HistoryPoint): Promise<void> {
    return this.appendPoints(minerId, [point]);
  }

  /** Appends points (any order of days) in as few writes as there are day files touched. */
  appendPoints(minerId: string, points: readonly HistoryPoint[]): Promise<void> {
    checkId(minerId);
    for (const p of points) checkPoint(p);
    return this.appendLines(
      minerId,
      points.map((p) => ({ at: p.at, line: encodePoint(p) })),
    );
  }

  appendEvent(minerId: string, event: HistoryEvent): Promise<void> {
    checkId(minerId);
    checkEvent(event);
    return this.appendLines(minerId, [{ at: event.at, line: encodeEvent(event) }]);
  }

  /** Miners that have any history on disk. */
  async miners(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => MINER_ID.test(n)).sort();
  }

  /**
   * Points and events of one miner in [from, to], oldest first. A bucketed query (stepMs a multiple of
   * 10 min) takes the days that lie wholly inside the range and are over from their summaries.
   */
  async query(minerId: string, from: number, to: number, options: QueryOptions = {}): Promise<HistoryRange> {
    checkId(minerId);
    if (!(to >= from)) return { points: [], events: [] };
    const step = options.stepMs && options.stepMs > MINUTE_MS ? options.stepMs : null;
    const summaries = step !== null && step % SUMMARY_STEP_MS === 0;
    const today = Math.floor(this.clock.now() / DAY_MS) * DAY_MS;
    // Only the day files that exist: a range reaching back years costs one readdir, not a read per day.
    const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
    const names = await readdir(join(this.dir, minerId)).catch(() => [] as string[]);
    const days: { key: string; start: number }[] = [];
    for (const name of names) {
      const m = DAY_FILE.exec(name);
      const start = m ? dayStart(m[1]!) : null;
      if (start !== null && start >= firstDay && start <= to) days.push({ key: m![1]!, start });
    }
    days.sort((a, b) => a.start - b.start);
    const parts = await Promise.all(
      days.map(
        async ({
          key,
          start,
        }): Promise<{ sums?: Sums[]; points?: HistoryPoint[]; events: HistoryEvent[] }> => {
          if (summaries && start >= from && start + DAY_MS - 1 <= to && start < today) {
            return this.summary(minerId, key);
          }
          const day = await this.readDay(minerId, key);
          const points = day.points.filter((p) => p.at >= from && p.at <= to);
          const events = day.events.filter((e) => e.at >= from && e.at <= to);
          // Appends are in time order unless the wall clock stepped back; sort only then.
          return {
            points: isSorted(points) ? points : [...points].sort((a, b) => a.at - b.at),
            events: isSorted(events) ? events : [...events].sort((a, b) => a.at - b.at),
          };
        },
      ),
    );
    const events = parts.flatMap((p) => p.events);
    const gaps = options.gaps ?? true;
    if (step === null) {
      // Without a step no day comes from a summary: every part has its points.
      const points = parts.flatMap((p) => p.points!);
      return { points: gaps ? withGaps(points, MINUTE_MS) : points, events };
    }
    const sums = parts.flatMap((p) => p.sums ?? p.points!.map(pointSums));
    const points = bucketSums(sums, step).map(sumsPoint);
    return { points: gaps ? withGaps(points, step) : points, events };
  }

  /** Every miner's range at once (the dashboard's 7 d / 30 d view). */
  async queryAll(
    from: number,
    to: number,
    options: QueryOptions = {},
  ): Promise<Record<string, HistoryRange>> {
    const ids = await this.miners();
    const ranges = await Promise.all(ids.map((id) => this.query(id, from, to, options)));
    return Object.fromEntries(ids.map((id, i) => [id, ranges[i]!]));
  }

  /** Removes day files (and set-aside corrupt copies) older than the retention; returns what went. */
  async prune(now = this.clock.now()): Promise<string[]> {
    const keepFrom = Math.floor(now / DAY_MS) * DAY_MS - (this.retentionDays - 1) * DAY_MS;
    const removed: string[] = [];
    for (const id of await this.miners()) {
      const minerDir = join(this.dir, id);
      const names = await readdir(minerDir).catch(() => [] as string[]);
      for (const name of names) {
        const m = DAY_FILE.exec(name) ?? DAY_COMPANION.exec(name);
        const start = m ? dayStart(m[1]!) : null;
        if (start === null || start >= keepFrom) continue;
        await this.enqueue(id, () => rm(join(minerDir, name), { force: true }));
        this.checked.delete(join(minerDir, name));
        removed.push(join(id, name));
      }
      // Only an empty folder goes: one with any other file, or one just appended to, stays.
      await rmdir(minerDir).then(
        () => this.madeDirs.delete(minerDir), // the next append makes it again
        () => {},
      );
    }
    return removed;
  }

  /**
   * Builds the summary of every completed day that lacks a current one (the daily job does this after
   * pruning), so the first 7 d / 30 d chart of a session reads summaries only.
   */
  async summarize(now = this.clock.now()): Promise<number> {
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    let built = 0;
    for (const id of await this.miners()) {
      const names = await readdir(join(this.dir, id)).catch(() => [] as string[]);
      for (const name of names) {
        const m = DAY_FILE.exec(name);
        const start = m ? dayStart(m[1]!) : null;
        if (start === null || start >= today) continue;
        if (await this.readSummary(id, m![1]!)) continue;
        await this.summary(id, m![1]!);
        built++;
      }
    }
    return built;
  }

  // ---------- internals ----------

  private enqueue<T>(minerId: string, job: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(minerId) ?? Promise.resolve();
    const next = prev.then(job, job);
    const settled = next.catch(() => {});
    this.queues.set(minerId, settled);
    void settled.then(() => {
      if (this.queues.get(minerId) === settled) this.queues.delete(minerId);
    });
    return next;
  }

  private appendLines(minerId: string, lines: { at: number; line: string }[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    const byDay = new Map<string, string[]>();
    // Performance only (bench/history.ts: formatting a day key per point tripled the bulk write time):
    // the key is made once per day, not once per line.
    let lastDayStart = NaN;
    let lastKey = '';
    for (const { at, line } of lines) {
      const ds = Math.floor(at / DAY_MS);
      // Stryker disable next-line ConditionalExpression: equivalent, a cache: the key is the same either way
      if (ds !== lastDayStart) {
        lastDayStart = ds;
        lastKey = dayKey(at);
      }
      let list = byDay.get(lastKey);
      if (!list) byDay.set(lastKey, (list = []));
      list.push(line);
    }
    return this.enqueue(minerId, async () => {
      const minerDir = join(this.dir, minerId);
      // Made once per session (pruning forgets a folder it removed); a cache that only saves a system call.
      // Stryker disable next-line ConditionalExpression: equivalent, mkdir with recursive is a no-op on a folder that exists
      if (!this.madeDirs.has(minerDir)) {
        await mkdir(minerDir, { recursive: true, mode: 0o700 });
        this.madeDirs.add(minerDir);
      }
      for (const [day, dayLines] of byDay) {
        const file = join(minerDir, `${day}.jsonl`);
        if (!this.checked.has(file)) {
          await this.healTail(file);
          this.checked.add(file);
        }
        await appendFile(file, `${dayLines.join('\n')}\n`, { mode: 0o600 });
      }
    });
  }

  /**
   * Before the first append to an existing file: a torn last line (power cut mid-write) is cut off, so
   * the next record starts on a line of its own instead of being glued to the fragment.
   */
  private async healTail(file: string): Promise<void> {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      return; // new file
    }
    // A file that ends with a newline (or is empty) is cut at its own length below: a no-op.
    const handle = await open(file, 'r+');
    try {
      const tailSize = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(tailSize);
      await handle.read(buf, 0, tailSize, size - tailSize);
      const nl = buf.lastIndexOf(0x0a);
      const fragment = buf.subarray(nl + 1).toString('utf8');
      const parsed = parseDay(fragment);
      if (!parsed.tornTail && parsed.points.length + parsed.events.length === 1) {
        await handle.write('\n', size); // a whole record that only lacks its newline
      } else if (nl >= 0 || size <= tailSize) {
        await handle.truncate(size - tailSize + nl + 1);
      }
    } finally {
      await handle.close();
    }
  }

  private async readDay(
    minerId: string,
    day: string,
  ): Promise<{ points: HistoryPoint[]; events: HistoryEvent[]; bytes: number }> {
    const file = join(this.dir, minerId, `${day}.jsonl`);
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { points: [], events: [], bytes: 0 };
      throw err;
    }
    const parsed = parseDay(buf.toString('utf8'));
    if (parsed.badLines.length > 0) {
      await this.setAside(minerId, file, parsed.badLines);
      return { ...parsed, bytes: -1 }; // the file was rewritten: never summarise from this read
    }
    return { ...parsed, bytes: buf.length };
  }

  /** The current summary of a day, or null when it is missing, unreadable or older than the day file. */
  private async readSummary(minerId: string, day: string): Promise<DaySummary | null> {
    const sumFile = join(this.dir, minerId, `${day}.sum.json`);
    const dayFile = join(this.dir, minerId, `${day}.jsonl`);
    const [text, src] = await Promise.all([
      // A missing summary reads as '', which decodeSummary refuses like any text that is not one.
      // Stryker disable next-line StringLiteral,ArrowFunction: equivalent, JSON.parse reads a Buffer (no encoding) as UTF-8 too, and refuses '', any other non-summary text and undefined alike
      readFile(sumFile, 'utf8').catch(() => ''),
      // Stryker disable next-line ArrowFunction: equivalent, an undefined stat fails the `src &&` below as null does
      stat(dayFile).catch(() => null),
    ]);
    const summary = decodeSummary(text);
    return summary && src && summary.srcBytes === src.size ? summary : null;
  }

  /**
   * A completed day as 10-minute sums and its events. A summary is a cache derived from the day file: a
   * stale or unreadable one is simply built again from the day file (which is never touched here).
   */
  private async summary(minerId: string, day: string): Promise<{ sums: Sums[]; events: HistoryEvent[] }> {
    const current = await this.readSummary(minerId, day);
    if (current) return current;
    const parsed = await this.readDay(minerId, day);
    const built = buildSummary(parsed.bytes, parsed.points, parsed.events);
    if (parsed.bytes > 0) {
      await atomicWrite(join(this.dir, minerId, `${day}.sum.json`), encodeSummary(built)).catch(
        (err: unknown) =>
          this.onNotice(`Could not save the history summary of ${minerId} ${day}: ${String(err)}`),
      );
    }
    return built;
  }

  /**
   * A file with bad lines in the middle is not ours to fix by guessing: it is renamed aside untouched and
   * the good records are written back, so nothing readable is lost and the next appends go to a clean file.
   */
  private setAside(minerId: string, file: string, badLines: number[]): Promise<void> {
    return this.enqueue(minerId, async () => {
      // Re-read under the queue: an append may have landed since the unlocked read.
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        return;
      }
      const parsed = parseDay(text);
      if (parsed.badLines.length === 0) return;
      const aside = `${file}.corrupt-${stamp(this.clock.now())}`;
      await rename(file, aside);
      const good = [
        ...parsed.points.map((p) => ({ at: p.at, line: encodePoint(p) })),
        ...parsed.events.map((e) => ({ at: e.at, line: encodeEvent(e) })),
      ].sort((a, b) => a.at - b.at);
      if (good.length > 0) await atomicWrite(file, `${good.map((g) => g.line).join('\n')}\n`);
      this.checked.add(file);
      const lines = badLines.length > 5 ? `${badLines.slice(0, 5).join(', ')}…` : badLines.join(', ');
      this.onNotice(
        `History file ${file} had ${badLines.length} unreadable line(s) (${lines}). It was kept as ${aside}; the ${good.length} readable record(s) were kept.`,
      );
    });
  }
}
