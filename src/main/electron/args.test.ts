import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

const cwd = resolve('/home/me');

describe('parseArgs', () => {
  it('has no data dir by default and ignores Electron and Chromium switches', () => {
    expect(parseArgs(['/usr/bin/electron', '.', '--inspect=9229', '--no-sandbox'], cwd)).toEqual({
      ok: true,
      dataDir: null,
    });
  });

  it('reads --data-dir DIR and --data-dir=DIR, resolved against the working directory', () => {
    expect(parseArgs(['electron', '.', '--data-dir', 'rig'], cwd)).toEqual({
      ok: true,
      dataDir: resolve(cwd, 'rig'),
    });
    expect(parseArgs(['electron', '--data-dir=/srv/hashdeck'], cwd)).toEqual({
      ok: true,
      dataDir: resolve('/srv/hashdeck'),
    });
  });

  it('takes the last one when given twice', () => {
    expect(parseArgs(['--data-dir', 'a', '--data-dir', 'b'], cwd)).toEqual({
      ok: true,
      dataDir: resolve(cwd, 'b'),
    });
  });

  it('refuses a missing value', () => {
    for (const argv of [['--data-dir'], ['--data-dir', '--other'], ['--data-dir='], ['--data-dir', '  ']]) {
      const parsed = parseArgs(argv, cwd);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/--data-dir needs a folder/);
    }
  });
});
