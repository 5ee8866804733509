import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';

const cwd = resolve('/home/me');

describe('parseArgs', () => {
  it('has no data dir by default and ignores Electron and Chromium switches', () => {
    expect(parseArgs(['/usr/bin/electron', '.', '--inspect=9229', '--no-sandbox'], cwd)).toEqual({
      ok: true,
      dataDir: null,
      install: {},
    });
  });

  it('reads --data-dir DIR and --data-dir=DIR, resolved against the working directory', () => {
    expect(parseArgs(['electron', '.', '--data-dir', 'rig'], cwd)).toEqual({
      ok: true,
      dataDir: resolve(cwd, 'rig'),
      install: {},
    });
    expect(parseArgs(['electron', '--data-dir=/srv/hashdeck'], cwd)).toEqual({
      ok: true,
      dataDir: resolve('/srv/hashdeck'),
      install: {},
    });
  });

  it('takes the last one when given twice', () => {
    expect(parseArgs(['--data-dir', 'a', '--data-dir', 'b'], cwd)).toEqual({
      ok: true,
      dataDir: resolve(cwd, 'b'),
      install: {},
    });
  });

  it('refuses a missing value', () => {
    for (const argv of [['--data-dir'], ['--data-dir', '--other'], ['--data-dir='], ['--data-dir', '  ']]) {
      const parsed = parseArgs(argv, cwd);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/--data-dir needs a folder/);
    }
  });

  it('reads the local-only XMRig release source, resolving the key file against the working directory', () => {
    const parsed = parseArgs(
      [
        'electron',
        '.',
        '--xmrig-releases-url',
        'http://127.0.0.1:9/releases',
        '--xmrig-download-base-url=http://127.0.0.1:9/dl',
        '--xmrig-key-file',
        'keys/test.asc',
        '--xmrig-key-fingerprint=ABCD',
      ],
      cwd,
    );
    expect(parsed).toEqual({
      ok: true,
      dataDir: null,
      install: {
        releasesUrl: 'http://127.0.0.1:9/releases',
        downloadBaseUrl: 'http://127.0.0.1:9/dl',
        keyFile: resolve(cwd, 'keys/test.asc'),
        keyFingerprint: 'ABCD',
      },
    });
  });

  it('refuses an XMRig flag without a value, naming it', () => {
    for (const argv of [
      ['--xmrig-key-file'],
      ['--xmrig-releases-url', '--data-dir', 'x'],
      ['--xmrig-releases-url='],
    ]) {
      const parsed = parseArgs(argv, cwd);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^--xmrig-(key-file|releases-url) needs a/);
    }
  });
});
