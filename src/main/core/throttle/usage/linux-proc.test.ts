// The /proc reader on this machine: parsing a stat line whose name holds spaces and parentheses, and a
// real child process tree (a node child that starts a grandchild burning CPU).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { linuxProcReader, parseStat } from './linux-proc';

describe('parseStat', () => {
  it('reads utime+stime (USER_HZ 100), rss pages and start time after a tricky comm', () => {
    const line =
      '4242 (evil) name (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 777 1000 512';
    expect(parseStat(line)).toEqual({ cpuMs: 3000, rssBytes: 512 * 4096, startKey: 777 });
    expect(parseStat('garbage')).toBeNull();
  });

  it('a line whose comm closes at its very first character still parses; one with no comm does not', () => {
    const fields = 'S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 777 1000 512';
    expect(parseStat(`) ${fields}`)).toEqual({ cpuMs: 3000, rssBytes: 512 * 4096, startKey: 777 });
    // no parentheses at all: the fields cannot be located, even though enough numbers follow
    expect(parseStat(`4242 x ${fields} 1 2 3`)).toBeNull();
  });

  it('a line cut short (no start time or rss) is rejected, not read as NaN', () => {
    expect(parseStat('4242 (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50')).toBeNull();
    expect(
      parseStat('4242 (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 777 1000 x'),
    ).toBeNull();
  });
});

/** A /proc of our own: each pid's stat line and its main thread's children list. */
const fakeRoots: string[] = [];
afterAll(() => {
  for (const dir of fakeRoots) rmSync(dir, { recursive: true, force: true });
});
function fakeProc(tree: Record<number, string>, stats: Record<number, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'hashdeck-proc-'));
  fakeRoots.push(root);
  for (const [pid, children] of Object.entries(tree)) {
    mkdirSync(join(root, pid, 'task', pid), { recursive: true });
    writeFileSync(join(root, pid, 'task', pid, 'children'), children);
  }
  for (const [pid, stat] of Object.entries(stats)) {
    mkdirSync(join(root, pid), { recursive: true });
    writeFileSync(join(root, pid, 'stat'), stat);
  }
  return root;
}

describe('linuxProcReader on a scripted /proc', () => {
  it('descendants: breadth first, each once, only positive whole pids; none for a missing process', async () => {
    const root = fakeProc({ 1: '2 3 2 ', 2: '4 0 -5 1.5 x ', 3: '', 4: '3 ' });
    const reader = linuxProcReader(root);
    expect(await reader.descendants(1)).toEqual([2, 3, 4]);
    expect(await reader.descendants(3)).toEqual([]);
    expect(await reader.descendants(77)).toEqual([]);
  });

  it('stops walking after 256 descendants (a tree that size is not a miner)', async () => {
    const chain: Record<number, string> = {};
    for (let pid = 1; pid <= 260; pid++) chain[pid] = `${pid + 1} `;
    const found = await linuxProcReader(fakeProc(chain)).descendants(1);
    expect(found).toHaveLength(256);
    expect(found.slice(0, 3)).toEqual([2, 3, 4]);
  });

  it('read: pids without a readable or parsable stat are absent from the result', async () => {
    const line = '5 (m) S 1 5 5 0 -1 0 0 0 0 0 100 100 0 0 20 0 1 0 42 0 10';
    const reader = linuxProcReader(fakeProc({}, { 5: line, 6: 'garbage' }));
    const got = await reader.read([5, 6, 7]);
    expect([...got.entries()]).toEqual([[5, { cpuMs: 2000, rssBytes: 10 * 4096, startKey: 42 }]]);
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
    // on a loaded machine the grandchild may get little CPU: poll (it burns for 3 s) rather than sleep once
    let b = a;
    for (let i = 0; i < 25 && b.cpuMs - a.cpuMs <= 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      b = (await reader.read([grandPid, 999_999_999])).get(grandPid)!;
    }
    expect(b.cpuMs - a.cpuMs).toBeGreaterThan(50);
    expect(b.startKey).toBe(a.startKey);
    expect(b.rssBytes).toBeGreaterThan(1_000_000);
    expect((await reader.read([999_999_999])).size).toBe(0);
  });
});
