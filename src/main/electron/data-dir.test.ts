import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirs, prepareDataDir } from './data-dir';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hashdeck-datadir-'));
});
afterEach(() => {
  chmodSync(root, 0o700);
  rmSync(root, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;

describe('prepareDataDir', () => {
  it('creates a missing nested folder, private to the user, and leaves nothing in it', () => {
    const dir = join(root, 'a', 'b', 'data');
    expect(prepareDataDir(dir)).toEqual({ ok: true });
    expect(statSync(dir).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('accepts an existing writable folder', () => {
    expect(prepareDataDir(root)).toEqual({ ok: true });
  });

  it('refuses a file, naming it', () => {
    const file = join(root, 'data.txt');
    writeFileSync(file, 'x');
    const check = prepareDataDir(file);
    expect(check).toMatchObject({ ok: false });
    expect(!check.ok && check.error).toContain(`"${file}" is a file, not a folder`);
    expect(!check.ok && check.error).toContain('--data-dir');
  });

  it('refuses a folder below a file, naming the file', () => {
    const file = join(root, 'data.txt');
    writeFileSync(file, 'x');
    const check = prepareDataDir(join(file, 'sub'));
    expect(!check.ok && check.error).toContain(`"${file}" is a file, not a folder`);
  });

  it.skipIf(isRoot || process.platform === 'win32')(
    'refuses a folder it may not write to (skipped as root: root writes anywhere)',
    () => {
      const locked = join(root, 'locked');
      makeDirs(locked);
      chmodSync(locked, 0o500);
      try {
        const check = prepareDataDir(join(locked, 'data'));
        expect(!check.ok && check.error).toContain('permission denied');
        const existing = prepareDataDir(locked);
        expect(!existing.ok && existing.error).toContain('permission denied');
      } finally {
        chmodSync(locked, 0o700);
      }
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'returns an error instead of hanging where Node’s recursive mkdir loops (/proc)',
    () => {
      const check = prepareDataDir('/proc/hashdeck-test/data');
      expect(check.ok).toBe(false);
    },
  );

  it.skipIf(process.platform !== 'linux')('reports a folder the system refuses to create (/sys)', () => {
    const check = prepareDataDir('/sys/hashdeck-test');
    expect(!check.ok && check.error).toMatch(/permission denied|read-only/);
  });
});
