// The real supervisor with real child processes: spawn errors, lines, stdin, graceful stop,
// and killing a whole tree including a grandchild (checked by pid).
import { describe, expect, it } from 'vitest';
import { spawnMiner } from '../../src/main/core/spawn-miner';
import type { MinerProcess } from '../../src/main/core/process';
import { isAlive } from '../support/process';

const node = process.execPath;

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function collect(proc: MinerProcess): string[] {
  const lines: string[] = [];
  proc.onLine((stream, text) => lines.push(`${stream}:${text}`));
  return lines;
}

describe('supervisor (real processes)', () => {
  it('fails with SPAWN_FAILED naming a missing binary', async () => {
    await expect(
      spawnMiner({ command: '/nonexistent/xmrig', args: [], cwd: process.cwd() }),
    ).rejects.toMatchObject({
      code: 'SPAWN_FAILED',
      message: expect.stringContaining('file not found'),
    });
  });

  it('delivers stdout and stderr lines, echoes stdin, and records the exit code', async () => {
    const script = `
      process.stdout.write('one\\ntwo\\n'); console.error('oops');
      process.stdin.on('data', (d) => { console.log('got ' + String(d).trim()); process.exit(3); });`;
    const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
    const lines = collect(proc);
    await waitFor(() => lines.length >= 3);
    await proc.write('h\n');
    const exit = await proc.exited;
    expect(exit.code).toBe(3);
    expect(lines).toEqual(
      expect.arrayContaining(['stdout:one', 'stdout:two', 'stderr:oops', 'stdout:got h']),
    );
  });

  it('caps a newline-less flood instead of buffering it whole', async () => {
    const script = `process.stdout.write('x'.repeat(100000)); setTimeout(() => {}, 50);`;
    const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
    const lines = collect(proc);
    await proc.exited;
    expect(lines.length).toBeGreaterThan(1);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(20_000);
  });

  it('terminate() stops a well-behaved process gracefully (SIGTERM)', async () => {
    const script = `process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); setInterval(() => {}, 1000); console.log('ready');`;
    const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
    const lines = collect(proc);
    await waitFor(() => lines.includes('stdout:ready'));
    proc.terminate();
    expect((await proc.exited).code).toBe(0);
    expect(lines).toContain('stdout:bye');
  });

  it('killTree() kills a SIGTERM-ignoring process and its grandchild', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('child ' + c.pid);
      setInterval(() => {}, 1000);`;
    const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
    const lines = collect(proc);
    await waitFor(() => lines.some((l) => l.startsWith('stdout:child ')));
    const grandchild = Number(lines.find((l) => l.startsWith('stdout:child '))!.split(' ')[1]);
    proc.terminate();
    await waitFor(() => lines.includes('stdout:ignoring SIGTERM'));
    expect(isAlive(proc.pid!)).toBe(true);
    await proc.killTree();
    const exit = await proc.exited;
    expect(exit.signal).toBe('SIGKILL');
    await waitFor(() => !isAlive(grandchild));
  });

  it.runIf(process.platform !== 'win32')(
    'killTree() also kills a grandchild that left the process group (setsid)',
    async () => {
      const script = `
      const { spawn } = require('node:child_process');
      process.on('SIGTERM', () => {});
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
      console.log('child ' + c.pid);
      setInterval(() => {}, 1000);`;
      const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
      const lines = collect(proc);
      await waitFor(() => lines.some((l) => l.startsWith('stdout:child ')));
      const grandchild = Number(lines.find((l) => l.startsWith('stdout:child '))!.split(' ')[1]);
      try {
        await proc.killTree();
        expect((await proc.exited).signal).toBe('SIGKILL');
        await waitFor(() => !isAlive(grandchild));
      } finally {
        if (isAlive(grandchild)) process.kill(grandchild, 'SIGKILL'); // ours: it was just printed by our script
      }
    },
  );

  it.runIf(process.platform !== 'win32')(
    'killTree() walks the tree while the leader lives: it reaches a setsid grandchild with a scrubbed environment',
    async () => {
      // This grandchild left the group and dropped its environment (so the spawn tag cannot find it later):
      // only the walk of the leader's children while the leader lives can reach it, not the group signal
      // nor the tag sweep after the leader's exit. A leader-only kill would leave it running.
      const script = `
      const { spawn } = require('node:child_process');
      process.on('SIGTERM', () => {});
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true, env: {} });
      console.log('child ' + c.pid);
      setInterval(() => {}, 1000);`;
      const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
      const lines = collect(proc);
      await waitFor(() => lines.some((l) => l.startsWith('stdout:child ')));
      const grandchild = Number(lines.find((l) => l.startsWith('stdout:child '))!.split(' ')[1]);
      try {
        await proc.killTree();
        expect((await proc.exited).signal).toBe('SIGKILL');
        await waitFor(() => !isAlive(grandchild));
      } finally {
        if (isAlive(grandchild)) process.kill(grandchild, 'SIGKILL'); // ours: it was just printed by our script
      }
    },
  );

  it('reaps a grandchild left behind when the leader exits on its own', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('child ' + c.pid); setTimeout(() => process.exit(0), 100);`;
    const proc = await spawnMiner({ command: node, args: ['-e', script], cwd: process.cwd() });
    const lines = collect(proc);
    await proc.exited;
    const grandchild = Number(lines.find((l) => l.startsWith('stdout:child '))!.split(' ')[1]);
    await waitFor(() => !isAlive(grandchild));
  });

  it('rejects console writes to an exited process instead of crashing on EPIPE', async () => {
    const proc = await spawnMiner({ command: node, args: ['-e', 'process.exit(0)'], cwd: process.cwd() });
    await proc.exited;
    await expect(proc.write('h\n')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
