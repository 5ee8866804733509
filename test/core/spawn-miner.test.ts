// spawnMiner's promises about the process it starts (POSIX): its own process group, none of our secrets in
// its environment, every descendant (in the group or daemonised out of it) gone when `exited` resolves.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnMiner } from '../../src/main/core/spawn-miner';
import type { MinerProcess } from '../../src/main/core/process';
import { isAlive, waitUntil } from '../support/process';

const node = process.execPath;

/** Resolves with the first stdout line that starts with `prefix` (readiness by line, never by time). */
function lineStarting(proc: MinerProcess, prefix: string): Promise<string> {
  return new Promise((resolve) => {
    proc.onLine((stream, text) => {
      if (stream === 'stdout' && text.startsWith(prefix)) resolve(text);
    });
  });
}

/** The process group of `pid` (field 5 of /proc/PID/stat). */
function pgrpOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

const started: number[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  // A failed assertion must not leave a grandchild running.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe.runIf(process.platform === 'linux')('spawnMiner (real processes)', () => {
  it('makes the miner a process-group leader, so its whole tree can be signalled', async () => {
    const proc = await spawnMiner({
      command: node,
      args: ['-e', "console.log('ready'); setInterval(() => {}, 1000)"],
      cwd: process.cwd(),
    });
    await lineStarting(proc, 'ready');
    expect(proc.pid).not.toBeNull();
    expect(pgrpOf(proc.pid!)).toBe(proc.pid);
    await proc.killTree();
    expect((await proc.exited).signal).toBe('SIGKILL');
  });

  it('passes none of our own environment beyond the allow-list', async () => {
    vi.stubEnv('HASHDECK_SECRET_PROBE', 'leaked');
    const proc = await spawnMiner({
      command: node,
      args: ['-e', "console.log('env ' + String(process.env.HASHDECK_SECRET_PROBE))"],
      cwd: process.cwd(),
    });
    const line = lineStarting(proc, 'env ');
    expect((await proc.exited).code).toBe(0);
    expect(await line).toBe('env undefined');
  });

  it('a grandchild in the group is dead once the exit is reported, with no stray reported', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('child ' + c.pid); process.exit(0);`;
    const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
    const line = lineStarting(proc, 'child ');
    const exit = await proc.exited;
    const grandchild = Number((await line).split(' ')[1]);
    started.push(grandchild);
    expect(isAlive(grandchild)).toBe(false);
    expect(exit.strays).toBeUndefined();
  });

  it('finds and kills a descendant that left the group (daemonised), and names it', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
      console.log('daemon ' + c.pid); process.exit(0);`;
    const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
    const line = lineStarting(proc, 'daemon ');
    const exit = await proc.exited;
    const daemon = Number((await line).split(' ')[1]);
    started.push(daemon);
    expect(exit.strays).toEqual([daemon]);
    // SIGKILLed: on a loaded machine it may still be on its way out (its environ already gone) for a moment.
    await waitUntil(() => !isAlive(daemon), 5000, `daemon ${daemon} gone`);
  });

  it('reports a lone process exit without waiting out the reap deadline', async () => {
    const proc = await spawnMiner({ command: node, args: ['-e', 'process.exit(4)'], cwd: process.cwd() });
    const exit = await proc.exited;
    // The reap waits up to 2 s only while something of the tree is left; nothing is here.
    expect(Date.now() - exit.at).toBeLessThan(1_500);
    expect(exit.code).toBe(4);
  });

  it('refuses console input once the miner exited, saying so', async () => {
    const proc = await spawnMiner({ command: node, args: ['-e', 'process.exit(0)'], cwd: process.cwd() });
    await proc.exited;
    await expect(proc.write('h\n')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'The miner is not accepting console input',
    });
  });
});
