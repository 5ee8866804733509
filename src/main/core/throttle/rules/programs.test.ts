// The running-program names the "while these programs run" rule matches: from a scripted /proc (comm and
// argv[0], lower-cased, ".exe" dropped) and from this machine.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linuxPrograms, runningPrograms } from './programs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function proc(entries: Record<string, { comm?: string; cmdline?: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'hashdeck-programs-'));
  dirs.push(root);
  for (const [name, e] of Object.entries(entries)) {
    mkdirSync(join(root, name));
    if (e.comm !== undefined) writeFileSync(join(root, name, 'comm'), e.comm);
    if (e.cmdline !== undefined) writeFileSync(join(root, name, 'cmdline'), e.cmdline);
  }
  return root;
}

describe('linuxPrograms', () => {
  it('names each process by comm and by argv[0] base name, lower-cased, a trailing .exe dropped', () => {
    const root = proc({
      '100': { comm: 'LongGameName.ex\n', cmdline: '/opt/games/LongGameName.EXE\0--fullscreen\0' },
      '7': { comm: 'Tool.exec\n', cmdline: 'tool.exec\0' },
      '200': { comm: 'kworker/0:1\n', cmdline: '' }, // a kernel thread: no command line
      '300': { comm: 'zoom\n' }, // cmdline unreadable: the comm still counts
      '400': { comm: '\n', cmdline: '' },
      '500': {}, // gone before it was read
      self: { comm: 'self-link\n', cmdline: 'self-link\0' },
      '12a': { comm: 'not-a-pid\n' },
      x12: { comm: 'not-a-pid-either\n' },
    });
    expect(linuxPrograms(root)).toEqual(
      new Set(['longgamename.ex', 'longgamename', 'tool.exec', 'kworker/0:1', 'zoom']),
    );
  });

  it('an unreadable /proc lists nothing', () => {
    expect(linuxPrograms('/nonexistent/proc')).toEqual(new Set());
  });
});

describe('runningPrograms on this machine', () => {
  it.runIf(process.platform === 'linux')(
    'on Linux reads /proc, so a program is found by its argv[0] too (ps-list knows only the executable)',
    async () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {
        argv0: 'hashdeck-argv0-probe',
        stdio: 'ignore',
      });
      try {
        await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
        expect((await runningPrograms('linux')).has('hashdeck-argv0-probe')).toBe(true);
        expect((await runningPrograms('darwin')).has('hashdeck-argv0-probe')).toBe(false);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );

  it('lists this very process (node) from /proc on Linux and from ps elsewhere', async () => {
    expect((await runningPrograms()).has('node')).toBe(true);
    if (process.platform !== 'win32') expect((await runningPrograms('darwin')).has('node')).toBe(true);
  });
});
