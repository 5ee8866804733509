// CPU % and RSS of each miner's whole process tree: the tree is re-discovered every few seconds, CPU time
// is read every call and turned into a rate from the per-process deltas (a pid reused by another program
// or a child that exited never yields a negative or inflated figure).
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { CpuUsage } from '../../../../shared/model';
import type { ProcessTreeReader, ProcSample } from './tree-reader';

export interface UsageTarget {
  /** Identifies one process of one miner (id + generation): a new process starts a new series. */
  key: string;
  pid: number;
}

export interface UsageSamplerOptions {
  reader: ProcessTreeReader;
  /** Logical cores the machine share is relative to. */
  cores?: number;
  /** Monotonic ms for rates; wall ms for the `at` stamp. */
  monotonic?: () => number;
  wall?: () => number;
  /** How often the tree's members are re-discovered (miners rarely start children). */
  treeRefreshMs?: number;
  /** Calls closer together than this return the previous figure (the collector and the budget share it). */
  minIntervalMs?: number;
}

interface Series {
  rootPid: number;
  rootStart: number;
  tree: number[];
  treeAt: number;
  at: number;
  members: Map<number, ProcSample>;
  /** The pids counted by the current call (kept to be cleared, not reallocated, each call). */
  seen: Set<number>;
  last: CpuUsage | null;
}

export class UsageSampler {
  readonly cores: number;
  private readonly series = new Map<string, Series>();
  private readonly monotonic: () => number;
  private readonly wall: () => number;
  private readonly treeRefreshMs: number;
  private readonly minIntervalMs: number;

  constructor(private readonly opts: UsageSamplerOptions) {
    this.cores = Math.max(1, opts.cores ?? availableParallelism());
    this.monotonic = opts.monotonic ?? (() => performance.now());
    this.wall = opts.wall ?? Date.now;
    this.treeRefreshMs = opts.treeRefreshMs ?? 10_000;
    this.minIntervalMs = Math.max(opts.minIntervalMs ?? 500, opts.reader.minIntervalMs);
  }

  /** One figure per target; null while unknown (first read of a process) or when the process is gone. */
  async sample(targets: readonly UsageTarget[]): Promise<Map<string, CpuUsage | null>> {
    const out = new Map<string, CpuUsage | null>();
    const wanted = new Set(targets.map((t) => t.key));
    for (const key of this.series.keys()) if (!wanted.has(key)) this.series.delete(key);
    const now = this.monotonic();
    const due: { target: UsageTarget; series: Series | undefined }[] = [];
    for (const target of targets) {
      const s = this.series.get(target.key);
      if (s && s.rootPid === target.pid && now - s.at < this.minIntervalMs) out.set(target.key, s.last);
      else due.push({ target, series: s && s.rootPid === target.pid ? s : undefined });
    }
    if (due.length === 0) return out;

    // Only the trees due for a refresh are looked up (no promise per miner on the 1 Hz path).
    // Stryker disable next-line ArrayDeclaration: equivalent, every index is assigned below before it is read
    const trees: number[][] = new Array<number[]>(due.length);
    // Stryker disable next-line ArrayDeclaration: equivalent, Promise.all resolves a non-promise entry at once
    const lookups: Promise<void>[] = [];
    due.forEach(({ target, series }, i) => {
      if (series && now - series.treeAt < this.treeRefreshMs) trees[i] = series.tree;
      else {
        lookups.push(
          this.opts.reader.descendants(target.pid).then(
            (t) => void (trees[i] = t),
            () => void (trees[i] = []),
          ),
        );
      }
    });
    await Promise.all(lookups);
    const pids = new Set<number>();
    due.forEach(({ target }, i) => {
      pids.add(target.pid);
      for (const p of trees[i]!) pids.add(p);
    });
    const samples = await this.opts.reader.read([...pids]).catch(() => new Map<number, ProcSample>());
    const at = this.monotonic();
    const wallAt = this.wall();

    due.forEach(({ target, series: previous }, i) => {
      const root = samples.get(target.pid);
      if (!root) {
        this.series.delete(target.key);
        out.set(target.key, null);
        return;
      }
      const tree = trees[i]!;
      let series = previous;
      // No previous reading of this very process (first call, or the pid now belongs to another start):
      // a new series, whose members the loop below records; a rate needs a second reading.
      if (!series || series.rootStart !== root.startKey) {
        series = {
          rootPid: target.pid,
          rootStart: root.startKey,
          tree,
          treeAt: at,
          at,
          members: new Map(),
          seen: new Set(),
          last: null,
        };
        this.series.set(target.key, series);
      }
      // (a series read before always holds its root: the root is never dropped from members below)
      const first = series.members.size === 0;
      // Updated in place: one series object per miner for its whole run (nothing new for the GC to trace).
      let cpuMs = 0;
      let rssBytes = 0;
      let processes = 0;
      const seen = series.seen;
      seen.clear();
      for (let m = -1; m < tree.length; m++) {
        const pid = m < 0 ? target.pid : tree[m]!;
        const s = samples.get(pid);
        if (!s || seen.has(pid)) continue;
        seen.add(pid);
        processes++;
        rssBytes += s.rssBytes;
        const before = series.members.get(pid);
        // A member seen for the first time counts from its next reading.
        if (before && before.startKey === s.startKey) cpuMs += Math.max(0, s.cpuMs - before.cpuMs);
        series.members.set(pid, s);
      }
      // the root always has a sample here (it was checked above), so it is in `seen` and stays
      for (const pid of series.members.keys()) if (!seen.has(pid)) series.members.delete(pid);
      if (series.tree !== tree) {
        series.tree = tree;
        series.treeAt = at;
      }
      if (first) {
        out.set(target.key, null);
        return;
      }
      const elapsed = at - series.at;
      series.at = at;
      const percent = elapsed > 0 ? (cpuMs / elapsed / this.cores) * 100 : 0;
      series.last = {
        machineCpuPercent: Math.round(Math.min(100, Math.max(0, percent)) * 100) / 100,
        logicalCores: this.cores,
        rssBytes,
        processes,
        at: wallAt,
      };
      out.set(target.key, series.last);
    });
    return out;
  }
}
