// The orphan sweep's decisions on scripted process tables: /proc (Linux), ps (macOS and other POSIX) and
// PowerShell (Windows) as the OsAccess seam shows them. No real process is read or signalled here.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_FILE,
  PID_FILE,
  groupMembers,
  parseProcStat,
  processIdentity,
  realOs,
  recordOf,
  sameProcess,
  sweepOrphans,
  sweepWorkDirs,
  removePidFile,
  writePidFile,
  type OsAccess,
  type PidRecord,
} from '../../src/main/core/orphans';
import type { Clock } from '../../src/main/core/util/clock';

const BOOT = '6b1d5a5e-0000-4000-8000-000000000001';
// Far above any real pid_max, so even a leaked call could not name a real process.
const P = 90_000_000;

interface FakeProc {
  pid: number;
  pgid: number;
  ticks: number;
  state?: string;
  /** undefined: no readable link (kernel thread, other user). */
  exe?: string;
  /** undefined: unreadable. */
  cmdline?: string;
  /** Survives SIGKILL to its group (uninterruptible sleep) for this many kill rounds. */
  stubborn?: number;
}

function statLine(p: FakeProc): string {
  const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
  fields[0] = p.state ?? 'S';
  fields[5 - 3] = String(p.pgid);
  fields[22 - 3] = String(p.ticks);
  return `${p.pid} (fake miner) ${fields.join(' ')}\n`;
}

const enoent = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });

/** A Linux /proc in memory; kills remove the processes they reach and are logged. */
class FakeLinux implements OsAccess {
  readonly procs = new Map<number, FakeProc>();
  readonly log: string[] = [];
  bootId: string | null = BOOT;
  bootReads = 0;
  /** Extra /proc entries (non-pid names, pids whose stat vanished). */
  extraNames: string[] = [];
  extraFiles = new Map<string, string>();
  procUnreadable = false;

  constructor(procs: FakeProc[] = []) {
    for (const p of procs) this.procs.set(p.pid, p);
  }

  readFile(path: string): Promise<string> {
    if (path === '/proc/sys/kernel/random/boot_id') {
      this.bootReads++;
      return this.bootId === null ? Promise.reject(enoent(path)) : Promise.resolve(`${this.bootId}\n`);
    }
    const extra = this.extraFiles.get(path);
    if (extra !== undefined) return Promise.resolve(extra);
    const m = /^\/proc\/(\d+)\/(stat|cmdline)$/.exec(path);
    const p = m ? this.procs.get(Number(m[1])) : undefined;
    if (!p) return Promise.reject(enoent(path));
    if (m![2] === 'stat') return Promise.resolve(statLine(p));
    return p.cmdline === undefined ? Promise.reject(enoent(path)) : Promise.resolve(p.cmdline);
  }

  readlink(path: string): Promise<string> {
    const m = /^\/proc\/(\d+)\/exe$/.exec(path);
    const exe = m ? this.procs.get(Number(m[1]))?.exe : undefined;
    return exe === undefined ? Promise.reject(enoent(path)) : Promise.resolve(exe);
  }

  readdir(path: string): Promise<string[]> {
    if (path !== '/proc' || this.procUnreadable) return Promise.reject(enoent(path));
    return Promise.resolve([...[...this.procs.keys()].map(String), ...this.extraNames, 'self', 'sys']);
  }

  run(file: string): Promise<string> {
    this.log.push(`run ${file}`);
    return Promise.resolve('');
  }

  killGroup(pgid: number): void {
    this.log.push(`killGroup ${pgid}`);
    const members = [...this.procs.values()].filter((p) => p.pgid === pgid);
    if (members.length === 0) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
    for (const p of members) {
      if (p.stubborn) p.stubborn--;
      else this.procs.delete(p.pid);
    }
  }

  killTree(pid: number, platform: NodeJS.Platform): Promise<void> {
    this.log.push(`killTree ${pid} ${platform}`);
    this.procs.delete(pid);
    return Promise.resolve();
  }
}

/** The fake's methods as a plain object, some of them replaced. */
function withOs(base: FakeLinux, over: Partial<OsAccess>): OsAccess {
  return {
    readFile: (p) => base.readFile(p),
    readlink: (p) => base.readlink(p),
    readdir: (p) => base.readdir(p),
    run: (f) => base.run(f),
    killGroup: (g) => base.killGroup(g),
    killTree: (pid, platform) => base.killTree(pid, platform),
    ...over,
  };
}

const byDir = <T extends { dir: string }>(list: T[]) => [...list].sort((a, b) => a.dir.localeCompare(b.dir));

/** Time that passes only when the code sleeps. */
function steppingClock(start = 1000): Clock & { slept: number } {
  let now = start;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: (ms: number) => {
      if (clock.slept > 60_000) throw new Error('the sweep keeps waiting');
      now += ms;
      clock.slept += ms;
      return Promise.resolve();
    },
    setTimeout: () => {
      throw new Error('not used');
    },
    setInterval: () => {
      throw new Error('not used');
    },
  };
  return clock;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function workRoot(records: Record<string, PidRecord | string | null>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'hashdeck-orphans-os-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  for (const [id, record] of Object.entries(records)) {
    const dir = join(root, id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, CONFIG_FILE), '{"http":{"access-token":"secret"}}');
    if (typeof record === 'string') await writeFile(join(dir, PID_FILE), record);
    else if (record) await writePidFile(dir, record);
  }
  return root;
}

const miner: FakeProc = {
  pid: P + 10,
  pgid: P + 10,
  ticks: 5000,
  exe: '/opt/xmrig/xmrig',
  cmdline: '/opt/xmrig/xmrig\0--config=config.json\0',
};
const recordOfMiner: PidRecord = {
  version: 2,
  pid: P + 10,
  pgid: P + 10,
  startTime: `${BOOT}:5000`,
  exe: '/opt/xmrig/xmrig',
  script: null,
  command: '/opt/xmrig/xmrig',
  startedAt: 1,
};

describe('Linux identity from /proc', () => {
  it('reads group, boot-qualified start time, executable and split argv', async () => {
    const os = new FakeLinux([
      { ...miner, exe: '/opt/xmrig/xmrig (deleted)', cmdline: '/opt/xmrig/xmrig\0\0--x\0' },
    ]);
    expect(await processIdentity(P + 10, 'linux', os)).toEqual({
      pid: P + 10,
      pgid: P + 10,
      startTime: `${BOOT}:5000`,
      exe: '/opt/xmrig/xmrig', // a replaced binary is still the same executable
      argv: ['/opt/xmrig/xmrig', '', '--x'], // an empty argument is kept, the final NUL is not
    });
  });

  it('keeps " (deleted)" inside a path, and a command line without a final NUL whole', async () => {
    const os = new FakeLinux([{ ...miner, exe: '/tmp/a (deleted)/xmrig', cmdline: 'xmrig: worker' }]);
    expect(await processIdentity(P + 10, 'linux', os)).toMatchObject({
      exe: '/tmp/a (deleted)/xmrig',
      argv: ['xmrig: worker'],
    });
  });

  it('an unreadable executable link or command line still gives the identity', async () => {
    const os = new FakeLinux([{ ...miner, exe: undefined, cmdline: undefined }]);
    expect(await processIdentity(P + 10, 'linux', os)).toEqual({
      pid: P + 10,
      pgid: P + 10,
      startTime: `${BOOT}:5000`,
      exe: null,
      argv: [],
    });
  });

  it('a gone pid, a zombie, a dead task and an unparsable stat have no identity', async () => {
    const os = new FakeLinux([
      { ...miner, pid: P + 1, state: 'Z' },
      { ...miner, pid: P + 2, state: 'X' },
      { ...miner, pid: P + 3, state: 'R' },
    ]);
    os.extraFiles.set(`/proc/${P + 4}/stat`, 'garbage');
    expect(await processIdentity(P + 1, 'linux', os)).toBeNull();
    expect(await processIdentity(P + 2, 'linux', os)).toBeNull();
    expect(await processIdentity(P + 3, 'linux', os)).toMatchObject({ pid: P + 3 });
    expect(await processIdentity(P + 4, 'linux', os)).toBeNull();
    expect(await processIdentity(P + 5, 'linux', os)).toBeNull();
  });

  it('reads the boot id once per OS, and names an unreadable one instead of failing', async () => {
    const os = new FakeLinux([miner, { ...miner, pid: P + 11, ticks: 6000 }]);
    await processIdentity(P + 10, 'linux', os);
    await groupMembers(P + 10, 'linux', os);
    expect(os.bootReads).toBe(1);
    const noBoot = new FakeLinux([miner]);
    noBoot.bootId = null;
    expect(await processIdentity(P + 10, 'linux', noBoot)).toMatchObject({ startTime: 'unknown-boot:5000' });
  });

  it('lists the live members of a group only: no zombie, no other group, no non-pid entry', async () => {
    const os = new FakeLinux([
      miner,
      { ...miner, pid: P + 11, ticks: 5001 },
      { ...miner, pid: P + 12, state: 'Z' },
      { ...miner, pid: P + 13, state: 'X' },
      { ...miner, pid: P + 14, pgid: P + 99 },
    ]);
    // Entries that are not pids, even with a stat of the group, and a pid whose process just exited.
    os.extraNames = [`${P + 15}x`, `x${P + 16}`, String(P + 17)];
    os.extraFiles.set(`/proc/${P + 15}x/stat`, statLine({ ...miner, pid: P + 15 }));
    os.extraFiles.set(`/proc/x${P + 16}/stat`, statLine({ ...miner, pid: P + 16 }));
    const members = await groupMembers(P + 10, 'linux', os);
    expect(members.sort((a, b) => a.pid - b.pid)).toEqual([
      { pid: P + 10, pgid: P + 10, startTime: `${BOOT}:5000`, exe: null, argv: [] },
      { pid: P + 11, pgid: P + 10, startTime: `${BOOT}:5001`, exe: null, argv: [] },
    ]);
    os.procUnreadable = true;
    expect(await groupMembers(P + 10, 'linux', os)).toEqual([]);
  });
});

describe('parseProcStat on malformed lines', () => {
  const fields = (over: Record<number, string> = {}) => {
    const f = Array.from({ length: 50 }, (_, i) => String(i + 3));
    f[0] = 'S';
    f[2] = '4242';
    f[19] = '987654';
    for (const [i, v] of Object.entries(over)) f[Number(i)] = v;
    return f.join(' ');
  };

  it('rejects what is not the kernel format', () => {
    expect(parseProcStat(`1 (x) ${fields()}`)).toEqual({ state: 'S', pgid: 4242, startTicks: '987654' });
    expect(parseProcStat('1 (x)')).toBeNull();
    expect(parseProcStat(`1 (x) ${fields({ 2: '42a' })}`)).toBeNull();
    expect(parseProcStat(`1 (x) ${fields({ 19: '98a' })}`)).toBeNull();
    expect(parseProcStat(`1 (x) ${fields({ 19: 'a98' })}`)).toBeNull();
    expect(parseProcStat(`1 (x)  ${fields()}`)).toBeNull(); // a double space shifts every field
    expect(parseProcStat(`1 (x) ${fields().split(' ').slice(0, 19).join(' ')}`)).toBeNull(); // cut short
    // Without the name's ')' nothing says where field 3 starts.
    expect(parseProcStat(`12 ${fields()}`)).toBeNull();
  });

  it('counts from a ")" even at the very start', () => {
    expect(parseProcStat(`) ${fields()}`)).toEqual({ state: 'S', pgid: 4242, startTicks: '987654' });
  });
});

/** A ps (macOS/BSD) that answers from a table; every call is logged. */
function fakePs(table: Record<number, { line: string; args: string }>, listing = '') {
  const calls: { file: string; args: string[]; timeoutMs: number }[] = [];
  const os: OsAccess = withOs(new FakeLinux(), {
    run: (file, args, timeoutMs) => {
      calls.push({ file, args, timeoutMs });
      if (args[0] === '-A') return Promise.resolve(listing);
      const row = table[Number(args[args.length - 1])];
      if (!row) return Promise.resolve('');
      return Promise.resolve(args[1] === 'args=' ? row.args : row.line);
    },
  });
  return { os, calls };
}

describe('ps identity (macOS and other POSIX)', () => {
  it('reads group, start time, executable and the joined command line', async () => {
    const { os, calls } = fakePs({
      [P + 10]: {
        line: `  ${P + 10}  ${P + 10}  Ss   Mon Mar  9 11:07:32 2025     /opt/xmrig/xmrig\n`,
        args: '  /opt/xmrig/xmrig --config=config.json\n',
      },
    });
    expect(await processIdentity(P + 10, 'darwin', os)).toEqual({
      pid: P + 10,
      pgid: P + 10,
      startTime: 'Mon Mar 9 11:07:32 2025',
      exe: '/opt/xmrig/xmrig',
      argv: ['/opt/xmrig/xmrig --config=config.json'],
    });
    expect(calls).toEqual([
      { file: 'ps', args: ['-o', 'pid=,pgid=,stat=,lstart=,comm=', '-p', String(P + 10)], timeoutMs: 5000 },
      { file: 'ps', args: ['-o', 'args=', '-p', String(P + 10)], timeoutMs: 5000 },
    ]);
  });

  it('takes any spacing in the start time and one normalised form out', async () => {
    const { os } = fakePs({
      [P + 10]: { line: `${P + 10} ${P + 10} R+ Tue \tApr   10  9:05:01   2024 xmrig`, args: 'xmrig' },
    });
    expect(await processIdentity(P + 10, 'darwin', os)).toMatchObject({
      startTime: 'Tue Apr 10 9:05:01 2024',
      exe: 'xmrig',
    });
  });

  it('a zombie, an empty answer or a line it cannot read give no identity', async () => {
    const lstart = 'Mon Mar  9 11:07:32 2025';
    const { os } = fakePs({
      [P + 1]: { line: `${P + 1} ${P + 1} Z+ ${lstart} xmrig`, args: 'xmrig' },
      [P + 2]: { line: `PID PGID STAT\n${P + 2} ${P + 2} S ${lstart} xmrig`, args: 'xmrig' },
      [P + 3]: { line: `${P + 3} ${P + 3} S ${lstart}`, args: 'xmrig' },
      [P + 4]: { line: `${P + 4} ${P + 4} S 2025-03-09 11:07:32 xmrig`, args: 'xmrig' },
      [P + 5]: { line: `${P + 5} ${P + 5} S ${lstart} xmrig`, args: 'xmrig' },
      // one pid asked, two rows answered: not the answer about that pid
      [P + 7]: { line: `${P + 7} ${P + 7} S ${lstart} xmrig\n${P + 8} ${P + 8} S ${lstart} x`, args: 'x' },
    });
    expect(await processIdentity(P + 1, 'darwin', os)).toBeNull();
    expect(await processIdentity(P + 2, 'darwin', os)).toBeNull();
    expect(await processIdentity(P + 3, 'darwin', os)).toBeNull();
    expect(await processIdentity(P + 4, 'darwin', os)).toBeNull();
    expect(await processIdentity(P + 5, 'darwin', os)).toMatchObject({ pid: P + 5, exe: 'xmrig' });
    expect(await processIdentity(P + 6, 'darwin', os)).toBeNull();
    expect(await processIdentity(P + 7, 'darwin', os)).toBeNull();
  });

  it('lists a group from ps -A: no zombie, no other group', async () => {
    const { os, calls } = fakePs(
      {},
      [
        `  ${P + 10}  ${P + 10} Ss`,
        `  ${P + 11}  ${P + 10} S+`,
        `  ${P + 12}  ${P + 10} Z+`,
        `  ${P + 13}  ${P + 99} S`,
        `  ${P + 14}  ${P + 10}`,
        '',
      ].join('\n'),
    );
    expect(await groupMembers(P + 10, 'darwin', os)).toEqual([
      { pid: P + 10, pgid: P + 10, startTime: '', exe: null, argv: [] },
      { pid: P + 11, pgid: P + 10, startTime: '', exe: null, argv: [] },
      { pid: P + 14, pgid: P + 10, startTime: '', exe: null, argv: [] },
    ]);
    expect(calls).toEqual([{ file: 'ps', args: ['-A', '-o', 'pid=,pgid=,stat='], timeoutMs: 5000 }]);
  });

  it('a ps that cannot run means no identity and no members', async () => {
    const os = withOs(new FakeLinux(), { run: () => Promise.reject(new Error('spawn ps ENOENT')) });
    expect(await processIdentity(P + 10, 'darwin', os)).toBeNull();
    expect(await groupMembers(P + 10, 'darwin', os)).toEqual([]);
  });
});

describe('Windows identity (CIM through PowerShell)', () => {
  function fakePowerShell(stdout: string) {
    const calls: { file: string; args: string[]; timeoutMs: number }[] = [];
    const os = withOs(new FakeLinux(), {
      run: (file, args, timeoutMs) => {
        calls.push({ file, args, timeoutMs });
        return Promise.resolve(stdout);
      },
    });
    return { os, calls };
  }

  it('reads creation time, executable path and command line', async () => {
    const { os, calls } = fakePowerShell(
      '2025-03-10T11:07:32.1234567Z\r\nC:\\xmrig\\xmrig.exe \r\n"C:\\xmrig\\xmrig.exe" -c config.json \r\n',
    );
    expect(await processIdentity(4242, 'win32', os)).toEqual({
      pid: 4242,
      pgid: null,
      startTime: '2025-03-10T11:07:32.1234567Z',
      exe: 'C:\\xmrig\\xmrig.exe',
      argv: ['"C:\\xmrig\\xmrig.exe" -c config.json'],
    });
    expect(calls).toHaveLength(1);
    const [{ file, args, timeoutMs }] = calls as [(typeof calls)[0]];
    expect([file, args.slice(0, 3), timeoutMs]).toEqual([
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-Command'],
      10_000,
    ]);
    expect(args[3]).toContain('Get-CimInstance Win32_Process -Filter "ProcessId=4242"');
    expect(args[3]).toContain(
      "if ($p) { $p.CreationDate.ToUniversalTime().ToString('o'); $p.ExecutablePath; $p.CommandLine }",
    );
  });

  it('no process, or no readable path and command line', async () => {
    expect(await processIdentity(4242, 'win32', fakePowerShell('').os)).toBeNull();
    // a host that ends lines with LF alone
    expect(
      await processIdentity(4242, 'win32', fakePowerShell('2025-03-10T11:07:32Z\nC:\\x.exe\nx.exe -c\n').os),
    ).toEqual({
      pid: 4242,
      pgid: null,
      startTime: '2025-03-10T11:07:32Z',
      exe: 'C:\\x.exe',
      argv: ['x.exe -c'],
    });
    expect(await processIdentity(4242, 'win32', fakePowerShell('  \r\n').os)).toBeNull();
    expect(await processIdentity(4242, 'win32', fakePowerShell('2025-03-10T11:07:32Z').os)).toEqual({
      pid: 4242,
      pgid: null,
      startTime: '2025-03-10T11:07:32Z',
      exe: null,
      argv: [''],
    });
    expect(
      await processIdentity(4242, 'win32', fakePowerShell('2025-03-10T11:07:32Z\r\n \r\n').os),
    ).toMatchObject({ exe: null, argv: [''] });
  });

  it('has no process groups: nothing is listed and ps is never run', async () => {
    const { os, calls } = fakePs({}, `${P + 10} ${P + 10} S\n`);
    expect(await groupMembers(P + 10, 'win32', os)).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('what a record names', () => {
  const spawned = { pid: P + 10, args: ['/m/fake.mjs', '--x'], startedAt: 7 };
  const os = () =>
    new FakeLinux([{ ...miner, exe: '/usr/bin/node', cmdline: '/usr/bin/node\0/m/fake.mjs\0--x\0' }]);

  it('records the script of an interpreter only', async () => {
    const script = async (command: string, args = spawned.args) =>
      (await recordOf({ ...spawned, command, args }, 'linux', os()))?.script;
    expect(await script('node')).toBe('/m/fake.mjs');
    expect(await script('/usr/local/bin/NODE.EXE')).toBe('/m/fake.mjs');
    expect(await script('/opt/xmrig/xmrig')).toBeNull();
    expect(await script('/opt/bin/mynode')).toBeNull();
    expect(await script('/opt/bin/node-gyp')).toBeNull();
    expect(await script('/opt/bin/node.exec')).toBeNull();
    expect(await script('node', [])).toBeNull();
    expect(await recordOf({ ...spawned, command: 'node' }, 'linux', os())).toEqual({
      version: 2,
      pid: P + 10,
      pgid: P + 10,
      startTime: `${BOOT}:5000`,
      exe: '/usr/bin/node',
      script: '/m/fake.mjs',
      command: 'node',
      startedAt: 7,
    });
  });

  it("the app's own executable runs scripts too (Electron as node)", async () => {
    const saved = process.execPath;
    process.execPath = '/opt/HashDeck/hashdeck';
    try {
      expect((await recordOf({ ...spawned, command: '/opt/HashDeck/hashdeck' }, 'linux', os()))?.script).toBe(
        '/m/fake.mjs',
      );
    } finally {
      process.execPath = saved;
    }
  });

  it('no record for a process that is gone or whose executable cannot be read', async () => {
    expect(await recordOf({ ...spawned, pid: P + 11, command: 'node' }, 'linux', os())).toBeNull();
    const noExe = new FakeLinux([{ ...miner, exe: undefined }]);
    expect(await recordOf({ ...spawned, command: 'xmrig' }, 'linux', noExe)).toBeNull();
  });

  it('another pid is another process, whatever else matches', () => {
    const id = { pid: P + 10, pgid: P + 10, startTime: `${BOOT}:5000`, exe: '/opt/xmrig/xmrig', argv: [] };
    expect(sameProcess(recordOfMiner, id, 'linux')).toBe(true);
    expect(sameProcess(recordOfMiner, { ...id, pid: P + 11 }, 'linux')).toBe(false);
    expect(sameProcess({ ...recordOfMiner, script: '/m/x.mjs' }, { ...id, argv: [] }, 'darwin')).toBe(false);
  });

  it("on Linux the script is exactly node's first argument, not any argument that contains it", () => {
    const id = { pid: P + 10, pgid: P + 10, startTime: `${BOOT}:5000`, exe: '/opt/xmrig/xmrig', argv: [] };
    const record = { ...recordOfMiner, script: '/m/x.mjs' };
    expect(sameProcess(record, { ...id, argv: ['node', '/m/x.mjs'] }, 'linux')).toBe(true);
    expect(sameProcess(record, { ...id, argv: ['node', '/m/x.mjs.bak'] }, 'linux')).toBe(false);
    expect(sameProcess(record, { ...id, argv: ['node', '/other.mjs', '/m/x.mjs'] }, 'linux')).toBe(false);
    // elsewhere only the joined command line is known
    expect(sameProcess(record, { ...id, argv: ['node /m/x.mjs --y'] }, 'darwin')).toBe(true);
  });
});

describe('sweep decisions (scripted OS, nothing real signalled)', () => {
  const sweep = (root: string, os: OsAccess, platform: NodeJS.Platform = 'linux', waitMs = 3000) =>
    sweepWorkDirs(root, { os, platform, clock: steppingClock(), waitMs });

  it('kills a live recorded miner: its tree, then its group until empty', async () => {
    const os = new FakeLinux([miner, { ...miner, pid: P + 11, ticks: 5001, stubborn: 1 }]);
    const root = await workRoot({ a: recordOfMiner });
    expect(await sweep(root, os)).toEqual([
      { dir: join(root, 'a'), result: 'killed', record: recordOfMiner, survivors: [] },
    ]);
    expect(os.log).toEqual([`killTree ${P + 10} linux`, `killGroup ${P + 10}`, `killGroup ${P + 10}`]);
    expect(os.procs.size).toBe(0);
    expect(await readdir(join(root, 'a'))).toEqual([]);
  });

  it('gives up on an unkillable group at the deadline and names who is left', async () => {
    const os = new FakeLinux([miner, { ...miner, pid: P + 11, ticks: 5001, stubborn: 1e9 }]);
    const clock = steppingClock();
    const root = await workRoot({ a: recordOfMiner });
    const [outcome] = await sweepWorkDirs(root, { os, platform: 'linux', clock, waitMs: 100 });
    expect(outcome).toMatchObject({ result: 'killed', survivors: [P + 11] });
    // 25 ms between rounds, and a last look once the deadline is reached
    expect(clock.slept).toBe(100);
    expect(os.log.filter((l) => l.startsWith('killGroup'))).toHaveLength(5);
  });

  it('a group that empties in time returns no survivors, and the default wait is 3 s', async () => {
    const os = new FakeLinux([miner, { ...miner, pid: P + 11, ticks: 5001, stubborn: 1e9 }]);
    const clock = steppingClock();
    const root = await workRoot({ a: recordOfMiner });
    const [outcome] = await sweepWorkDirs(root, { os, platform: 'linux', clock });
    expect(outcome!.survivors).toEqual([P + 11]);
    expect(clock.slept).toBe(3000);
  });

  it('with no group (Windows, or none recorded) only the tree is killed', async () => {
    const os = new FakeLinux([miner]);
    const root = await workRoot({ a: { ...recordOfMiner, pgid: null } });
    expect((await sweep(root, os)).map((o) => o.result)).toEqual(['killed']);
    expect(os.log).toEqual([`killTree ${P + 10} linux`]);

    const win = new FakeLinux([miner]);
    const winRoot = await workRoot({ a: recordOfMiner });
    // Windows identities come from PowerShell: script one that matches the record.
    const asked: string[] = [];
    const winOs = withOs(win, {
      run: (_file, args) => {
        asked.push(args[3]!);
        return Promise.resolve(`${BOOT}:5000\r\n/opt/xmrig/xmrig\r\nxmrig\r\n`);
      },
    });
    expect((await sweep(winRoot, winOs, 'win32')).map((o) => o.result)).toEqual(['killed']);
    expect(win.log).toEqual([`killTree ${P + 10} win32`]);
    // Only the recorded pid was looked up: Windows has no process group of ours to protect.
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(`ProcessId=${P + 10}`);
  });

  it('a tree kill that fails still leaves the group to be killed', async () => {
    const os = new FakeLinux([miner]);
    os.killTree = () => Promise.reject(new Error('tree-kill failed'));
    const root = await workRoot({ a: recordOfMiner });
    expect((await sweep(root, os)).map((o) => [o.result, o.survivors])).toEqual([['killed', []]]);
    expect(os.log).toEqual([`killGroup ${P + 10}`]);
  });

  it('never signals our own process group or our own pid as a group', async () => {
    const ownGroup = P + 500;
    const os = new FakeLinux([
      { ...miner, pgid: ownGroup },
      { pid: process.pid, pgid: ownGroup, ticks: 1, exe: '/usr/bin/node', cmdline: 'node\0' },
      // a process of the group numbered like our pid: it would qualify as the leader's group
      { ...miner, pid: P + 21, pgid: process.pid, ticks: 9 },
    ]);
    const root = await workRoot({
      own: { ...recordOfMiner, pgid: ownGroup },
      self: { ...recordOfMiner, pid: P + 20, pgid: process.pid, startTime: `${BOOT}:1` },
    });
    const outcomes = byDir(await sweep(root, os));
    expect(outcomes.map((o) => o.result)).toEqual(['killed', 'gone']);
    expect(os.log).toEqual([`killTree ${P + 10} linux`]);
    expect(os.procs.has(process.pid) && os.procs.has(P + 21)).toBe(true);
  });

  it('the leader gone: kills the group when all of it started after the leader', async () => {
    const os = new FakeLinux([
      { ...miner, pid: P + 11, ticks: 5000 },
      { ...miner, pid: P + 12, ticks: 7000 },
    ]);
    const root = await workRoot({ a: recordOfMiner });
    expect((await sweep(root, os)).map((o) => [o.result, o.survivors])).toEqual([['killed-group', []]]);
    expect(os.log).toEqual([`killGroup ${P + 10}`]);
  });

  it('the leader gone: leaves a group with any member older than the leader', async () => {
    const os = new FakeLinux([
      { ...miner, pid: P + 11, ticks: 6000 },
      { ...miner, pid: P + 12, ticks: 4999 },
    ]);
    const root = await workRoot({ a: recordOfMiner });
    expect((await sweep(root, os)).map((o) => o.result)).toEqual(['pid-reused']);
    expect(os.log).toEqual([]);
  });

  it('the leader gone: leaves a group recorded in another boot, even one that started later', async () => {
    const os = new FakeLinux([{ ...miner, pid: P + 11, ticks: 9000 }]);
    const root = await workRoot({ a: { ...recordOfMiner, startTime: 'other-boot:1' } });
    expect((await sweep(root, os)).map((o) => o.result)).toEqual(['pid-reused']);
    expect(os.log).toEqual([]);
  });

  it('the leader gone: a member that started in the same tick as the leader is ours', async () => {
    const os = new FakeLinux([{ ...miner, pid: P + 11, ticks: 5000 }]);
    const root = await workRoot({ a: recordOfMiner });
    expect((await sweep(root, os)).map((o) => o.result)).toEqual(['killed-group']);
  });

  it('the leader gone: other platforms cannot date members, so the whole group goes', async () => {
    const { os: ps } = fakePs({}, `${P + 11} ${P + 10} S\n`);
    const log: string[] = [];
    const os: OsAccess = {
      ...ps,
      killGroup: (g) => {
        log.push(`killGroup ${g}`);
        throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      },
    };
    const root = await workRoot({ a: { ...recordOfMiner, startTime: 'Mon Mar 9 11:07:32 2025' } });
    const outcomes = await sweep(root, os, 'darwin', 0);
    expect(outcomes.map((o) => [o.result, o.survivors])).toEqual([['killed-group', [P + 11]]]);
    expect(log).toEqual([`killGroup ${P + 10}`]);
  });

  it('nothing left of it: gone, and nothing signalled', async () => {
    const os = new FakeLinux([{ ...miner, pid: P + 30, pgid: P + 30 }]);
    const root = await workRoot({ a: recordOfMiner, b: { ...recordOfMiner, pgid: null } });
    expect(byDir(await sweep(root, os)).map((o) => o.result)).toEqual(['gone', 'gone']);
    expect(os.log).toEqual([]);
  });

  it('a reused pid is left alone and reported', async () => {
    const os = new FakeLinux([{ ...miner, ticks: 9999 }]);
    const root = await workRoot({ a: recordOfMiner });
    expect(await sweep(root, os)).toMatchObject([{ result: 'pid-reused', survivors: [] }]);
    expect(os.log).toEqual([]);
    expect(os.procs.size).toBe(1);
  });

  it('removes pid files and tokens, keeps other files, and reports an unreadable record as such', async () => {
    const os = new FakeLinux([]);
    const root = await workRoot({ a: recordOfMiner, bad: '{not json', none: null });
    await writeFile(join(root, 'a', 'xmrig.log'), 'log');
    const outcomes = byDir(await sweep(root, os));
    expect(outcomes).toEqual([
      { dir: join(root, 'a'), result: 'gone', record: recordOfMiner, survivors: [] },
      { dir: join(root, 'bad'), result: 'unverifiable', record: null, survivors: [] },
    ]);
    expect(await readdir(join(root, 'a'))).toEqual(['xmrig.log']);
    expect(await readdir(join(root, 'bad'))).toEqual([]);
    expect(existsSync(join(root, 'none', CONFIG_FILE))).toBe(false);
  });

  it('removing a pid file that is already gone is fine (the miner exited twice over)', async () => {
    const root = await workRoot({ a: recordOfMiner });
    await removePidFile(join(root, 'a'));
    expect(existsSync(join(root, 'a', PID_FILE))).toBe(false);
    await expect(removePidFile(join(root, 'a'))).resolves.toBeUndefined();
  });

  it('the service is told only of the miners actually stopped', async () => {
    const os = new FakeLinux([
      miner,
      { ...miner, pid: P + 21, pgid: P + 20, ticks: 6000 },
      { ...miner, pid: P + 30, ticks: 1 },
    ]);
    const stopped2 = { ...recordOfMiner, pid: P + 20, pgid: P + 20 };
    const reused = { ...recordOfMiner, pid: P + 30, pgid: P + 30 };
    const root = await workRoot({
      a: recordOfMiner,
      b: stopped2,
      c: reused,
      d: '{}',
      e: { ...recordOfMiner, pid: P + 40, pgid: P + 40 },
    });
    const stopped = await sweepOrphans(root, { os, platform: 'linux', clock: steppingClock() });
    expect(stopped.sort((a, b) => a.pid - b.pid)).toEqual([recordOfMiner, stopped2]);
  });
});

describe('the real OS access', () => {
  it('runs a command and returns its output whatever it exits with', async () => {
    const out = await realOs.run(
      process.execPath,
      ['-e', 'process.stdout.write("hello"); process.exit(3)'],
      10_000,
    );
    expect(out).toBe('hello');
  });

  it('answers a group without members with ESRCH (a pgid far above pid_max)', () => {
    expect(() => realOs.killGroup(P)).toThrow(/ESRCH/);
  });

  it('SIGKILLs a whole group: a throwaway process of ours that ignores SIGTERM dies', async () => {
    const child = spawn(
      process.execPath,
      ['-e', 'process.on("SIGTERM", () => {}); process.stdout.write("up"); setInterval(() => {}, 1e9)'],
      { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    realOs.killGroup(child.pid!);
    expect(await exited).toBe('SIGKILL');
  });
});
