// Miners left running by a session that died hard (SIGKILL, power loss) are found through the pid file
// written per spawn and stopped at start-up: the whole recorded process group, and only processes that are
// provably ours (pid + start time + executable). Linux is exact; macOS and Windows are best effort.
import { readdir, readFile, readlink, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { z } from 'zod';
import { atomicWrite } from './util/atomic-write';
import { killTree } from './util/kill-tree';
import { realClock, type Clock } from './util/clock';

export const PID_FILE = 'miner.pid.json';
/** XMRig's generated config; it holds the miner's API token in plain text. */
export const CONFIG_FILE = 'config.json';

const pidRecordSchema = z.object({
  version: z.literal(2),
  pid: z.number().int().positive(),
  /** The miner's process group (it is spawned as a group leader, so normally pgid === pid); null on Windows. */
  pgid: z.number().int().positive().nullable(),
  /** Platform start-time token; with the pid it names one process for the life of the machine. */
  startTime: z.string().min(1),
  /** The resolved executable: the real binary, or node for a script miner. Never empty. */
  exe: z.string().min(1),
  /** A script miner's script (node's first argument); null for a binary. */
  script: z.string().min(1).nullable(),
  /** What the manager asked to spawn (for messages). */
  command: z.string().min(1),
  startedAt: z.number(),
});
export type PidRecord = z.infer<typeof pidRecordSchema>;

/** What the OS says about a live process. */
export interface ProcessIdentity {
  pid: number;
  pgid: number | null;
  startTime: string;
  exe: string | null;
  /** argv when the platform gives it split (Linux); otherwise one joined command line. */
  argv: string[];
}

type Platform = NodeJS.Platform;

/**
 * What the sweep reads from and does to the OS. The real one by default; tests script /proc, ps and
 * PowerShell with it (and see the signals) without reading or touching any process they do not own.
 */
export interface OsAccess {
  readFile(path: string): Promise<string>;
  readlink(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  /** Runs a command and resolves with its stdout, whatever it exits with (bounded by timeoutMs). */
  run(file: string, args: string[], timeoutMs: number): Promise<string>;
  /** SIGKILL to every process of a group; throws (ESRCH) when the group is empty. */
  killGroup(pgid: number): void;
  /** SIGKILL to a process and all its descendants. */
  killTree(pid: number, platform: Platform): Promise<void>;
}

export const realOs: OsAccess = {
  readFile: (path) => readFile(path, 'utf8'),
  readlink: (path) => readlink(path),
  readdir: (path) => readdir(path),
  run: async (file, args, timeoutMs) =>
    String((await execa(file, args, { reject: false, timeout: timeoutMs, windowsHide: true })).stdout),
  killGroup: (pgid) => process.kill(-pgid, 'SIGKILL'),
  killTree,
};

// ---------------------------------------------------------------- Linux: /proc, exact

const bootIds = new WeakMap<OsAccess, string>();
async function bootId(os: OsAccess): Promise<string> {
  // Start times count clock ticks since boot: without the boot id a reboot could make them collide.
  let id = bootIds.get(os);
  if (id === undefined) {
    id = (await os.readFile('/proc/sys/kernel/random/boot_id').catch(() => 'unknown-boot')).trim();
    bootIds.set(os, id);
  }
  return id;
}

interface ProcStat {
  state: string;
  pgid: number;
  /** Field 22: start time in clock ticks since boot. */
  startTicks: string;
}

/** /proc/PID/stat; the command name may hold spaces and ')' so fields are counted after the last ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // The kernel separates the fields by single spaces (proc(5)).
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); field N is fields[N - 3].
  const state = fields[0]!;
  const pgid = Number(fields[5 - 3]);
  const startTicks = String(fields[22 - 3]); // a missing field reads 'undefined' and fails the digits test
  if (!state || !Number.isInteger(pgid) || !/^\d+$/.test(startTicks)) return null;
  return { state, pgid, startTicks };
}

async function linuxIdentity(pid: number, os: OsAccess): Promise<ProcessIdentity | null> {
  // No such process: the read throws and processIdentity answers null.
  const stat = parseProcStat(await os.readFile(`/proc/${pid}/stat`));
  // A zombie has exited already; it holds no resources and cannot be signalled away.
  if (!stat || stat.state === 'Z' || stat.state === 'X') return null;
  const [exe, cmdline] = await Promise.all([
    os.readlink(`/proc/${pid}/exe`).catch(() => null),
    os.readFile(`/proc/${pid}/cmdline`).catch(() => ''),
  ]);
  return {
    pid,
    pgid: stat.pgid,
    startTime: `${await bootId(os)}:${stat.startTicks}`,
    // The kernel marks a replaced binary " (deleted)"; it is still the same executable for our purpose.
    exe: exe === null ? null : exe.replace(/ \(deleted\)$/, ''),
    argv: cmdline.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1),
  };
}

async function linuxGroup(pgid: number, os: OsAccess): Promise<ProcessIdentity[]> {
  // An unreadable /proc throws and groupMembers answers [].
  const names = await os.readdir('/proc');
  const out: ProcessIdentity[] = [];
  await Promise.all(
    names
      .filter((n) => /^\d+$/.test(n))
      .map(async (n) => {
        // A process that exits while the group is listed is skipped, not the whole listing.
        const text = await os.readFile(`/proc/${n}/stat`).catch(() => null);
        const stat = text === null ? null : parseProcStat(text);
        if (!stat || stat.pgid !== pgid || stat.state === 'Z' || stat.state === 'X') return;
        out.push({
          pid: Number(n),
          pgid,
          startTime: `${await bootId(os)}:${stat.startTicks}`,
          exe: null,
          argv: [],
        });
      }),
  );
  return out;
}

// ---------------------------------------------------------------- macOS and other POSIX: ps, best effort

// `lstart` has one-second resolution ("Mon Mar 10 11:07:32 2025"): a pid reused within the same second
// by the same executable would pass; the executable and script checks make that vanishingly unlikely.
async function psIdentity(pid: number, os: OsAccess): Promise<ProcessIdentity | null> {
  const out = await os.run('ps', ['-o', 'pid=,pgid=,stat=,lstart=,comm=', '-p', String(pid)], 5000);
  const m = /^\d+\s+(\d+)\s+(\S+)\s+(\w{3}\s+\w{3}\s+\d+\s+[\d:]+\s+\d{4})\s+(.+)$/.exec(out.trim());
  if (!m || m[2]!.startsWith('Z')) return null;
  const args = await os.run('ps', ['-o', 'args=', '-p', String(pid)], 5000);
  return {
    pid,
    pgid: Number(m[1]),
    startTime: m[3]!.replace(/\s+/g, ' '),
    exe: m[4]!,
    argv: [args.trim()],
  };
}

async function psGroup(pgid: number, os: OsAccess): Promise<ProcessIdentity[]> {
  return (await os.run('ps', ['-A', '-o', 'pid=,pgid=,stat='], 5000))
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === pgid && !String(f[2]).startsWith('Z'))
    .map((f) => ({ pid: Number(f[0]), pgid, startTime: '', exe: null, argv: [] }));
}

// ---------------------------------------------------------------- Windows: CIM, best effort, no groups

async function windowsIdentity(pid: number, os: OsAccess): Promise<ProcessIdentity | null> {
  // wmic is gone from current Windows 11; PowerShell's CIM cmdlets are the supported way.
  const script =
    `$p = Get-CimInstance Win32_Process -Filter "ProcessId=${pid}"; ` +
    `if ($p) { $p.CreationDate.ToUniversalTime().ToString('o'); $p.ExecutablePath; $p.CommandLine }`;
  const out = await os.run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], 10_000);
  const [first, exe, cmd] = out.split(/\r?\n/);
  const created = first!.trim(); // split always yields a first element
  if (!created) return null;
  return { pid, pgid: null, startTime: created, exe: exe?.trim() || null, argv: [cmd?.trim() ?? ''] };
}

// ---------------------------------------------------------------- identity

/** The identity of a live process, or null when it is gone (or a zombie, or unreadable). */
export async function processIdentity(
  pid: number,
  platform: Platform = process.platform,
  os: OsAccess = realOs,
): Promise<ProcessIdentity | null> {
  try {
    if (platform === 'linux') return await linuxIdentity(pid, os);
    if (platform === 'win32') return await windowsIdentity(pid, os);
    return await psIdentity(pid, os);
  } catch {
    return null;
  }
}

/** Live members of a process group (POSIX); Windows has no groups and returns []. */
export async function groupMembers(
  pgid: number,
  platform: Platform = process.platform,
  os: OsAccess = realOs,
): Promise<ProcessIdentity[]> {
  try {
    if (platform === 'linux') return await linuxGroup(pgid, os);
    if (platform === 'win32') return [];
    return await psGroup(pgid, os);
  } catch {
    return [];
  }
}

function isInterpreter(command: string): boolean {
  return command === process.execPath || /^node(?:\.exe)?$/i.test(basename(command));
}

/** Same process: pid, start time and executable all equal (and the script, for a script miner). */
export function sameProcess(
  record: PidRecord,
  id: ProcessIdentity,
  platform: Platform = process.platform,
): boolean {
  if (id.pid !== record.pid || id.startTime !== record.startTime) return false;
  // A record's exe is never empty, so an unreadable one (null) never matches.
  if (id.exe !== record.exe) return false;
  if (record.script === null) return true;
  // Linux gives argv split: node's script is argv[1]. Elsewhere only the joined line is known.
  const script = record.script;
  return platform === 'linux' ? id.argv[1] === script : id.argv.some((line) => line.includes(script));
}

export interface SpawnInfo {
  pid: number;
  command: string;
  args: readonly string[];
  startedAt: number;
}

/** Builds the record of a process just spawned (while it is surely alive), or null if it is already gone. */
export async function recordOf(
  spawned: SpawnInfo,
  platform: Platform = process.platform,
  os: OsAccess = realOs,
): Promise<PidRecord | null> {
  const id = await processIdentity(spawned.pid, platform, os);
  if (!id || !id.exe) return null;
  return {
    version: 2,
    pid: spawned.pid,
    pgid: id.pgid,
    startTime: id.startTime,
    exe: id.exe,
    script: isInterpreter(spawned.command) && spawned.args[0] ? spawned.args[0] : null,
    command: spawned.command,
    startedAt: spawned.startedAt,
  };
}

export function writePidFile(workDir: string, record: PidRecord): Promise<void> {
  return atomicWrite(join(workDir, PID_FILE), JSON.stringify(record));
}

export function removePidFile(workDir: string): Promise<void> {
  return rm(join(workDir, PID_FILE), { force: true });
}

// ---------------------------------------------------------------- the sweep

export type SweepResult =
  /** The recorded miner (and its group) was alive and has been killed. */
  | 'killed'
  /** The leader was gone but processes of its group lived on; they were killed. */
  | 'killed-group'
  /** Nothing of it was alive. */
  | 'gone'
  /** The pid now belongs to another process (different start time or executable): left alone. */
  | 'pid-reused'
  /** An old-format or unreadable record: it cannot be verified, so nothing was signalled. */
  | 'unverifiable';

export interface SweepOutcome {
  dir: string;
  result: SweepResult;
  record: PidRecord | null;
  /** Members of the group still alive after the bounded wait (should be empty). */
  survivors: number[];
}

export interface SweepOptions {
  platform?: Platform;
  clock?: Clock;
  /** How long to wait for a killed group to be empty. */
  waitMs?: number;
  /** The OS seen through a seam (tests); the real one by default. */
  os?: OsAccess;
}

async function ownGroup(platform: Platform, os: OsAccess): Promise<number | null> {
  if (platform === 'win32') return null;
  return (await processIdentity(process.pid, platform, os))?.pgid ?? null;
}

/** SIGKILL to the whole group, then wait (bounded) until no member is left; returns the survivors. */
async function killGroup(pgid: number, platform: Platform, ctx: SweepContext): Promise<number[]> {
  const { clock, os } = ctx;
  const deadline = clock.now() + ctx.waitMs;
  for (;;) {
    try {
      os.killGroup(pgid);
    } catch {
      // ESRCH: nobody left in the group
    }
    const left = await groupMembers(pgid, platform, os);
    if (left.length === 0 || clock.now() >= deadline) return left.map((p) => p.pid);
    await clock.sleep(25);
  }
}

interface SweepContext {
  clock: Clock;
  waitMs: number;
  os: OsAccess;
}

async function sweepOne(
  dir: string,
  record: PidRecord,
  platform: Platform,
  ctx: SweepContext,
  own: number | null,
): Promise<SweepOutcome> {
  const { os } = ctx;
  const outcome = (result: SweepResult, survivors: number[] = []): SweepOutcome => ({
    dir,
    result,
    record,
    survivors,
  });
  // Never our own group (a record that somehow names it must not take the app down with it).
  const pgid = record.pgid !== own && record.pgid !== process.pid ? record.pgid : null;
  const leader = await processIdentity(record.pid, platform, os);

  if (leader) {
    if (!sameProcess(record, leader, platform)) return outcome('pid-reused');
    if (platform === 'win32' || pgid === null) {
      await os.killTree(record.pid, platform);
      return outcome('killed');
    }
    // Descendants that left the group (setsid) are found through parent links while the leader lives.
    await os.killTree(record.pid, platform).catch(() => {});
    return outcome('killed', await killGroup(pgid, platform, ctx));
  }

  if (pgid === null) return outcome('gone');
  // The leader is gone. While any process is in group G, POSIX never hands out pid G again, so the group
  // is still the one our leader created - unless it ended and a new process with pid G made a new group.
  // Members started before our leader cannot be ours; on Linux start times make that check exact.
  const members = await groupMembers(pgid, platform, os);
  const ours =
    platform === 'linux'
      ? members.filter((m) => {
          const [boot, ticks] = m.startTime.split(':');
          const [recBoot, recTicks] = record.startTime.split(':');
          return boot === recBoot && Number(ticks) >= Number(recTicks);
        })
      : members;
  if (ours.length === 0 || ours.length !== members.length) {
    return outcome(members.length === 0 ? 'gone' : 'pid-reused');
  }
  return outcome('killed-group', await killGroup(pgid, platform, ctx));
}

/**
 * Stops what the pid files under `<workRoot>/<id>/` describe, then removes each pid file and the
 * `config.json` beside it (the API token must not outlive the miner). Returns one outcome per folder.
 */
export async function sweepWorkDirs(workRoot: string, options: SweepOptions = {}): Promise<SweepOutcome[]> {
  const platform = options.platform ?? process.platform;
  const ctx: SweepContext = {
    clock: options.clock ?? realClock,
    waitMs: options.waitMs ?? 3000,
    os: options.os ?? realOs,
  };
  const own = await ownGroup(platform, ctx.os);
  const outcomes: SweepOutcome[] = [];
  const dirs = await readdir(workRoot).catch(() => [] as string[]);
  for (const name of dirs) {
    const dir = join(workRoot, name);
    const file = join(dir, PID_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      // No pid file: a config.json here is from a run that ended without its cleanup; its token is stale.
      await rm(join(dir, CONFIG_FILE)).catch(() => {});
      continue;
    }
    let record: PidRecord | null = null;
    try {
      record = pidRecordSchema.parse(JSON.parse(text));
    } catch {
      // not JSON or not a valid record: unverifiable
    }
    outcomes.push(
      record
        ? await sweepOne(dir, record, platform, ctx, own)
        : { dir, result: 'unverifiable', record: null, survivors: [] },
    );
    await rm(file, { force: true });
    // Already gone is fine; a token that cannot be removed must not stop the sweep of the others.
    await rm(join(dir, CONFIG_FILE)).catch(() => {});
  }
  return outcomes;
}

/** The start-up sweep as the service uses it: the records of the miners it stopped. */
export async function sweepOrphans(workRoot: string, options: SweepOptions = {}): Promise<PidRecord[]> {
  const outcomes = await sweepWorkDirs(workRoot, options);
  return outcomes.filter((o) => o.result === 'killed' || o.result === 'killed-group').map((o) => o.record!); // only a valid record is ever acted on
}
