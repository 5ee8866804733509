// Orphan sweep with throwaway processes this test spawns (never the runner's own pid): the recorded group
// is killed even when its leader died first, a reused pid (other start time, executable or script) and an
// old unverifiable record are left alone, and the pid file and config.json (the API token) are removed.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
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
  recordOf,
  sameProcess,
  sweepOrphans,
  sweepWorkDirs,
  writePidFile,
  type PidRecord,
} from '../../src/main/core/orphans';
import { isAlive, waitUntil } from '../support/process';

const linux = process.platform === 'linux';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'hashdeck-orphans-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  return root;
}

/**
 * A throwaway "miner": a node script in its own process group (like the manager spawns miners) that
 * forks one child into the same group and prints the child's pid. Both exit by themselves after 30 s.
 */
async function throwawayMiner(
  root: string,
): Promise<{ leader: ChildProcess; child: number; script: string }> {
  const script = join(root, 'miner.mjs');
  await writeFile(
    script,
    [
      "import { spawn } from 'node:child_process';",
      "const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });",
      'process.stdout.write(`child ${c.pid}\\n`);',
      'setTimeout(() => process.exit(0), 30000);',
    ].join('\n'),
  );
  const leader = spawn(process.execPath, [script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const child = await new Promise<number>((resolve, reject) => {
    let out = '';
    leader.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /child (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    leader.once('exit', () => reject(new Error('throwaway miner exited early')));
  });
  const childId = await processIdentity(child);
  cleanups.push(async () => {
    // Only what is still provably ours: the same pid with the same start time.
    const now = await processIdentity(child);
    if (now && childId && now.startTime === childId.startTime) process.kill(child, 'SIGKILL');
    if (leader.exitCode === null && leader.signalCode === null) leader.kill('SIGKILL');
  });
  return { leader, child, script };
}

async function workDir(root: string, id: string): Promise<string> {
  const dir = join(root, 'work', id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, CONFIG_FILE), '{"http":{"access-token":"secret"}}');
  return dir;
}

async function recordFor(leader: ChildProcess, script: string): Promise<PidRecord> {
  const record = await recordOf({
    pid: leader.pid!,
    command: process.execPath,
    args: [script],
    startedAt: 1,
  });
  expect(record).not.toBeNull();
  return record!;
}

describe.runIf(linux)('sweep of recorded miners (Linux, real processes)', () => {
  it('records pid, group, start time (boot id + field 22), the real executable and the script', async () => {
    const root = await tempRoot();
    const { leader, script } = await throwawayMiner(root);
    const r = await recordFor(leader, script);
    expect(r).toMatchObject({
      version: 2,
      pid: leader.pid,
      pgid: leader.pid,
      script,
      command: process.execPath,
    });
    expect(r.startTime).toMatch(/^[0-9a-f-]{36}:\d+$/);
    // the kernel's executable: node itself (resolved), never the script or an empty string
    expect(r.exe.length).toBeGreaterThan(0);
    expect(r.exe.endsWith('node') || r.exe.includes('node')).toBe(true);
  });

  it('kills the recorded miner and every process of its group, then removes pid file and config.json', async () => {
    const root = await tempRoot();
    const { leader, child, script } = await throwawayMiner(root);
    const dir = await workDir(root, 'xmrig');
    await writePidFile(dir, await recordFor(leader, script));

    const outcomes = await sweepWorkDirs(join(root, 'work'));
    expect(outcomes.map((o) => [o.result, o.survivors])).toEqual([['killed', []]]);
    await waitUntil(() => !isAlive(leader.pid!) && !isAlive(child), 3000, 'leader and child to die');
    expect(await groupMembers(leader.pid!)).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('kills what lives on in the group after the leader died by itself', async () => {
    const root = await tempRoot();
    const { leader, child, script } = await throwawayMiner(root);
    const dir = await workDir(root, 'xmrig');
    await writePidFile(dir, await recordFor(leader, script));
    const gone = new Promise((r) => leader.once('exit', r));
    leader.kill('SIGKILL'); // only the leader: the child stays in the group, now under init
    await gone;
    expect(isAlive(child)).toBe(true);

    const outcomes = await sweepWorkDirs(join(root, 'work'));
    expect(outcomes.map((o) => [o.result, o.survivors])).toEqual([['killed-group', []]]);
    await waitUntil(() => !isAlive(child), 3000, 'the orphaned child to die');
    expect(existsSync(join(dir, PID_FILE)) || existsSync(join(dir, CONFIG_FILE))).toBe(false);
  });

  it('leaves a reused pid alone: other start time, other executable or other script', async () => {
    const root = await tempRoot();
    const { leader, child, script } = await throwawayMiner(root);
    const real = await recordFor(leader, script);
    const [boot, ticks] = real.startTime.split(':');
    const variants: PidRecord[] = [
      { ...real, startTime: `${boot}:${Number(ticks) - 1}` },
      { ...real, startTime: `00000000-0000-0000-0000-000000000000:${ticks}` }, // another boot
      { ...real, exe: '/opt/xmrig/xmrig' },
      { ...real, script: join(root, 'other-miner.mjs') },
    ];
    for (const [i, v] of variants.entries()) await writePidFile(await workDir(root, `v${i}`), v);

    const outcomes = await sweepWorkDirs(join(root, 'work'));
    expect(outcomes.map((o) => o.result)).toEqual(['pid-reused', 'pid-reused', 'pid-reused', 'pid-reused']);
    expect(isAlive(leader.pid!)).toBe(true);
    expect(isAlive(child)).toBe(true);
    expect(await sweepOrphans(join(root, 'work'))).toEqual([]); // the files are gone; nothing to do
  });

  it('never acts on an old record that names only a command, nor on an empty executable', async () => {
    const root = await tempRoot();
    const { leader, script } = await throwawayMiner(root);
    await writePidFile(await workDir(root, 'old'), {
      pid: leader.pid,
      command: process.execPath,
      startedAt: 1,
    } as never);
    const empty = { ...(await recordFor(leader, script)), exe: '', command: '' };
    await writePidFile(await workDir(root, 'empty'), empty);
    const outcomes = await sweepWorkDirs(join(root, 'work'));
    expect(outcomes.map((o) => o.result)).toEqual(['unverifiable', 'unverifiable']);
    expect(isAlive(leader.pid!)).toBe(true);
    expect(await readdir(join(root, 'work', 'old'))).toEqual([]);
  });

  it('reports a miner that is simply gone, and removes a stale config.json without a pid file', async () => {
    const root = await tempRoot();
    const { leader, child, script } = await throwawayMiner(root);
    const record = await recordFor(leader, script);
    const gone = new Promise((r) => leader.once('exit', r));
    process.kill(-leader.pid!, 'SIGKILL');
    await gone;
    await waitUntil(() => !isAlive(child), 3000, 'the child to die');
    await writePidFile(await workDir(root, 'dead'), record);
    const stale = await workDir(root, 'no-pid-file');
    expect(await sweepWorkDirs(join(root, 'work'))).toMatchObject([{ result: 'gone', survivors: [] }]);
    expect(await readdir(stale)).toEqual([]);
  });
});

describe('orphans: pure parts', () => {
  it('parses /proc/PID/stat fields after the last ")" (names may hold spaces and parentheses)', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    fields[5 - 3] = '4242';
    fields[22 - 3] = '987654';
    const stat = `1234 (we ird) (name) ${fields.join(' ')}\n`;
    expect(parseProcStat(stat)).toEqual({ state: 'S', pgid: 4242, startTicks: '987654' });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('matches only when pid, start time, executable and script all agree', () => {
    const record: PidRecord = {
      version: 2,
      pid: 10,
      pgid: 10,
      startTime: 'b:5',
      exe: '/usr/bin/node',
      script: '/m/fake.mjs',
      command: '/usr/bin/node',
      startedAt: 0,
    };
    const id = { pid: 10, pgid: 10, startTime: 'b:5', exe: '/usr/bin/node', argv: ['node', '/m/fake.mjs'] };
    expect(sameProcess(record, id, 'linux')).toBe(true);
    expect(sameProcess(record, { ...id, startTime: 'b:6' }, 'linux')).toBe(false);
    expect(sameProcess(record, { ...id, exe: null }, 'linux')).toBe(false);
    expect(sameProcess(record, { ...id, argv: ['node', '/other.mjs'] }, 'linux')).toBe(false);
    expect(sameProcess(record, { ...id, argv: ['node /m/fake.mjs --x'] }, 'darwin')).toBe(true);
    expect(sameProcess({ ...record, script: null }, { ...id, argv: [] }, 'linux')).toBe(true);
  });

  it('signals nothing for a pid file that is not JSON or does not validate, and removes it', async () => {
    const root = await tempRoot();
    const garbage = await workDir(root, 'garbage');
    await writeFile(join(garbage, PID_FILE), '{"pid": "not a number"');
    const invalid = await workDir(root, 'invalid');
    await writeFile(
      join(invalid, PID_FILE),
      JSON.stringify({ version: 2, pid: -1, command: 'x', startedAt: 1 }),
    );
    const outcomes = await sweepWorkDirs(join(root, 'work'));
    expect(outcomes.map((o) => [o.dir.split(/[\\/]/).pop(), o.result, o.record]).sort()).toEqual([
      ['garbage', 'unverifiable', null],
      ['invalid', 'unverifiable', null],
    ]);
    expect(await readdir(garbage)).toEqual([]);
    expect(await readdir(invalid)).toEqual([]);
  });

  it('a missing work folder sweeps nothing', async () => {
    expect(await sweepOrphans(join(tmpdir(), 'hashdeck-does-not-exist'))).toEqual([]);
  });
});
