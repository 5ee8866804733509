// The /proc reader on this machine: parsing a stat line whose name holds spaces and parentheses, and a
// real child process tree (a node child that starts a grandchild burning CPU).
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { linuxProcReader, parseStat } from './linux-proc';

describe('parseStat', () => {
  it('reads utime+stime (USER_HZ 100), rss pages and start time after a tricky comm', () => {
    const line =
      '4242 (evil) name (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 777 1000 512';
    expect(parseStat(line)).toEqual({ cpuMs: 3000, rssBytes: 512 * 4096, startKey: 777 });
    expect(parseStat('garbage')).toBeNull();
  });
});

/** Processes this file started (never any other pid). */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe.runIf(process.platform === 'linux')('linuxProcReader on this machine', () => {
  it('finds a grandchild and reads the CPU time it burns', async () => {
    const grand = `const end = Date.now() + 3000; while (Date.now() < end) {}`;
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grand)}], { stdio: 'ignore' });
         console.log(c.pid); setTimeout(() => {}, 4000);`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    started.push(parent.pid!);
    const grandPid = await new Promise<number>((resolve) =>
      parent.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    started.push(grandPid);
    const reader = linuxProcReader();
    expect(await reader.descendants(parent.pid!)).toContain(grandPid);
    const a = (await reader.read([grandPid])).get(grandPid)!;
    await new Promise((r) => setTimeout(r, 400));
    const b = (await reader.read([grandPid, 999_999_999])).get(grandPid)!;
    expect(b.cpuMs - a.cpuMs).toBeGreaterThan(50);
    expect(b.startKey).toBe(a.startKey);
    expect(b.rssBytes).toBeGreaterThan(1_000_000);
    expect((await reader.read([999_999_999])).size).toBe(0);
  });
});
