// The `--version` check of a freshly unpacked binary: how each failure is worded (quarantine with advice per
// platform, timeout, exit code, wrong version), and the real probe's no-shell, clean-environment spawn.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkBinaryVersion,
  quarantineAdvice,
  spawnVersionProbe,
  type VersionProbe,
} from '../../src/main/core/install/binary-check';
import { installFailureOf } from '../../src/main/core/install/errors';
import { rejection } from './support/harness';

const failing =
  (err: Record<string, unknown> & { message?: string }): VersionProbe =>
  async () => {
    throw Object.assign(new Error(err.message ?? 'failed'), err);
  };
const answering =
  (output: string, version: string | null): VersionProbe =>
  async () => ({ output, version });

const opts = (probe: VersionProbe, over: Partial<Parameters<typeof checkBinaryVersion>[1]> = {}) => ({
  expectedVersion: '6.26.0',
  timeoutMs: 30_000,
  probe,
  platform: 'linux' as const,
  adviceDir: '/data/miners/xmrig/6.26.0',
  ...over,
});

describe('advice when security software blocks the binary', () => {
  const base =
    'Security software often quarantines or blocks crypto miners, even verified ones. HashDeck never changes security settings; if you trust this download, ';

  it('names the place to look on each platform', () => {
    expect(quarantineAdvice('C:\\m', 'win32')).toBe(
      `${base}open Windows Security → Virus & threat protection → Protection history, restore the file, then add an exclusion for C:\\m (Manage settings → Exclusions) and install again.`,
    );
    expect(quarantineAdvice('/m', 'darwin')).toBe(
      `${base}check your antivirus's quarantine and allow /m, or allow the binary in System Settings → Privacy & Security, then install again.`,
    );
    expect(quarantineAdvice('/m', 'linux')).toBe(
      `${base}check your antivirus's quarantine and add an exclusion for /m, then install again. (On Linux the miners folder must also not be on a noexec mount.)`,
    );
  });
});

describe('checking the version a binary reports', () => {
  it('returns the first line of what it printed when the version matches', async () => {
    const line = await checkBinaryVersion(
      '/x',
      opts(answering('\n XMRig 6.26.0\r\n built on ...\n', '6.26.0')),
    );
    expect(line).toBe('XMRig 6.26.0');
  });

  it('a binary that vanished (ENOENT) or may not run (EACCES, EPERM) is likely quarantined', async () => {
    const vanished = await rejection(checkBinaryVersion('/x', opts(failing({ code: 'ENOENT' }))));
    expect(vanished.code).toBe('SPAWN_FAILED');
    expect(installFailureOf(vanished)).toBe('quarantined');
    expect(vanished.message).toBe(
      `The verified XMRig binary vanished right after it was unpacked (ENOENT). ${quarantineAdvice('/data/miners/xmrig/6.26.0', 'linux')}`,
    );
    expect(vanished.details).toMatchObject({ errno: 'ENOENT' });
    for (const code of ['EACCES', 'EPERM']) {
      const err = await rejection(
        checkBinaryVersion('/x', opts(failing({ code }), { platform: 'darwin', adviceDir: '/d' })),
      );
      expect(installFailureOf(err)).toBe('quarantined');
      expect(err.message).toBe(
        `The verified XMRig binary may not be executed (${code}). ${quarantineAdvice('/d', 'darwin')}`,
      );
    }
  });

  it('without a platform, the advice is for the platform it runs on', async () => {
    const err = await rejection(
      checkBinaryVersion('/x', { ...opts(failing({ code: 'ENOENT' })), platform: undefined }),
    );
    expect(err.message).toContain(quarantineAdvice('/data/miners/xmrig/6.26.0', process.platform));
  });

  it('a binary killed at the timeout did not answer in time (in whole seconds)', async () => {
    const err = await rejection(
      checkBinaryVersion('/x', opts(failing({ killed: true, signal: 'SIGKILL' }), { timeoutMs: 1500 })),
    );
    expect(err.code).toBe('VERIFICATION_FAILED');
    expect(installFailureOf(err)).toBe('version-check-failed');
    expect(err.message).toBe('The downloaded XMRig did not answer --version within 2 s. Refused.');
  });

  it('a failing run names its exit code, signal or error and the first line it printed', async () => {
    const exit = await rejection(
      checkBinaryVersion('/x', opts(failing({ code: 3, output: '\n  bad option\nusage: ...\n' }))),
    );
    expect(exit.code).toBe('VERIFICATION_FAILED');
    expect(installFailureOf(exit)).toBe('version-check-failed');
    expect(exit.message).toBe('The downloaded XMRig failed to run --version (exit 3): bad option. Refused.');
    const signal = await rejection(
      checkBinaryVersion('/x', opts(failing({ code: null, signal: 'SIGSEGV' }))),
    );
    expect(signal.message).toBe('The downloaded XMRig failed to run --version (SIGSEGV). Refused.');
    const other = await rejection(
      checkBinaryVersion(
        '/x',
        opts(failing({ code: 'ERR_X', message: 'spawn went wrong', output: 'a\r\nb' })),
      ),
    );
    expect(other.message).toBe(
      'The downloaded XMRig failed to run --version (spawn went wrong): a. Refused.',
    );
  });

  it('another version, or none, is a mismatch naming what it said', async () => {
    const other = await rejection(
      checkBinaryVersion('/x', opts(answering('XMRig 6.25.0\nmore\n', '6.25.0'))),
    );
    expect(other.code).toBe('VERIFICATION_FAILED');
    expect(installFailureOf(other)).toBe('version-mismatch');
    expect(other.message).toBe(
      'The downloaded binary says "XMRig 6.25.0" to --version, expected XMRig 6.26.0. Refused.',
    );
    expect(other.details).toMatchObject({ expected: '6.26.0', got: '6.25.0' });
    const silent = await rejection(checkBinaryVersion('/x', opts(answering('  \n', null))));
    expect(silent.message).toBe(
      'The downloaded binary says "nothing" to --version, expected XMRig 6.26.0. Refused.',
    );
  });
});

describe.runIf(process.platform !== 'win32')('the real --version probe', () => {
  let dir = '';
  beforeAll(async () => {
    // A space in the path: the binary must be run directly, never through a shell.
    dir = await mkdtemp(path.join(os.tmpdir(), 'hashdeck probe-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function script(name: string, body: string): Promise<string> {
    const file = path.join(dir, name, 'xmrig');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
    return file;
  }

  it('runs it without a shell, in its own folder, with only the allowed environment', async () => {
    const bin = await script('env', 'echo "XMRig 6.26.0"; echo "cwd=$(pwd)"; env; echo "args=$*"');
    const saved = { ...process.env };
    Object.assign(process.env, {
      HASHDECK_TEST_SECRET: 'nope',
      LANG: 'C.UTF-8',
      USERPROFILE: 'up',
      SystemRoot: 'sr',
      TEMP: 'tmp1',
      TMP: 'tmp2',
      HOME: '/home/probe',
    });
    try {
      const result = await spawnVersionProbe(bin, { timeoutMs: 10_000 });
      expect(result.version).toBe('6.26.0');
      expect(result.output).toContain(`cwd=${path.dirname(bin)}\n`);
      expect(result.output).toContain('args=--version\n');
      const vars = result.output
        .split('\n')
        .filter((l) => /^[A-Za-z_]+=/.test(l) && !l.startsWith('cwd=') && !l.startsWith('args='))
        .map((l) => l.slice(0, l.indexOf('=')))
        .filter((k) => k !== 'PWD' && k !== 'SHLVL' && k !== '_')
        .sort();
      expect(vars).toEqual(['HOME', 'LANG', 'PATH', 'SystemRoot', 'TEMP', 'TMP', 'USERPROFILE']);
      expect(result.output).toContain('HOME=/home/probe\n');
      expect(result.output).not.toContain('nope');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('reads the version from stderr too, and keeps the first 4 KB of what it printed', async () => {
    const bin = await script('stderr', 'echo "XMRig 6.26.0" >&2; head -c 10000 /dev/zero | tr "\\0" "x"');
    const result = await spawnVersionProbe(bin, { timeoutMs: 10_000 });
    expect(result.version).toBe('6.26.0');
    expect(result.output).toHaveLength(4096);
    expect(result.output).toBe('x'.repeat(4096));
  });

  it('a binary printing more than 64 KB is stopped; 60 KB is fine', async () => {
    const ok = await script('big-ok', 'echo "XMRig 6.26.0"; head -c 60000 /dev/zero | tr "\\0" "x"');
    expect((await spawnVersionProbe(ok, { timeoutMs: 10_000 })).version).toBe('6.26.0');
    const big = await script('big', 'echo "XMRig 6.26.0"; head -c 70000 /dev/zero | tr "\\0" "x"');
    const err = await rejection(spawnVersionProbe(big, { timeoutMs: 10_000 }));
    expect((err as Error & { output?: string }).output).toMatch(/^XMRig 6\.26\.0\nx+$/);
  });

  it('a failing exit rejects with the exit code and what it printed', async () => {
    const bin = await script('exit', 'echo "bad option" >&2; exit 3');
    const err = (await rejection(spawnVersionProbe(bin, { timeoutMs: 10_000 }))) as Error & {
      code?: unknown;
      output?: string;
    };
    expect(err.code).toBe(3);
    expect(err.output).toBe('bad option\n');
  });

  it('a binary ignoring SIGTERM is still killed at the timeout', async () => {
    const bin = await script('hang', "trap '' TERM; exec sleep 20");
    const started = Date.now();
    const err = await rejection(
      checkBinaryVersion(bin, {
        expectedVersion: '6.26.0',
        timeoutMs: 200,
        adviceDir: dir,
        platform: 'linux',
      }),
    );
    expect(err.message).toBe('The downloaded XMRig did not answer --version within 0 s. Refused.');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
