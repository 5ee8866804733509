import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  electronBinaryPath,
  ensureElectron,
  firstLine,
  missingBinaryMessage,
  runElectronInstaller,
} from '../../scripts/ensure-electron-lib.mjs';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ensure-electron-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ensureElectron', () => {
  it('goes ahead without running the installer when the binary exists', async () => {
    const runInstaller = vi.fn();
    const code = await ensureElectron({ exists: () => true, runInstaller, log: vi.fn(), error: vi.fn() });
    expect(code).toBe(0);
    expect(runInstaller).not.toHaveBeenCalled();
  });

  it('runs the installer when the binary is missing and goes ahead once it is there', async () => {
    let installed = false;
    const runInstaller = vi.fn(async () => {
      installed = true;
      return { ok: true as const };
    });
    const error = vi.fn();
    const code = await ensureElectron({ exists: () => installed, runInstaller, log: vi.fn(), error });
    expect(code).toBe(0);
    expect(runInstaller).toHaveBeenCalledOnce();
    expect(error).not.toHaveBeenCalled();
  });

  it('exits 1 with the reason and the headless way out when the installer fails (offline)', async () => {
    const error = vi.fn();
    const code = await ensureElectron({
      exists: () => false,
      runInstaller: async () => ({
        ok: false,
        error: 'RequestError: getaddrinfo ENOTFOUND github.com\n    at stack',
      }),
      log: vi.fn(),
      error,
    });
    expect(code).toBe(1);
    const message = String(error.mock.calls[0]?.[0]);
    expect(message).toContain('needs the Electron binary');
    expect(message).toContain('could not be downloaded');
    expect(message).toContain('Reason: RequestError: getaddrinfo ENOTFOUND github.com');
    expect(message).not.toContain('at stack');
    expect(message).toContain('npm run headless');
  });

  it('fails when the installer "succeeds" without producing a binary (download skipped)', async () => {
    const error = vi.fn();
    const code = await ensureElectron({
      exists: () => false,
      runInstaller: async () => ({ ok: true }),
      log: vi.fn(),
      error,
    });
    expect(code).toBe(1);
    expect(String(error.mock.calls[0]?.[0])).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
  });

  it('treats an installer that throws like one that failed', async () => {
    const error = vi.fn();
    const code = await ensureElectron({
      exists: () => false,
      runInstaller: () => Promise.reject(new Error('spawn ENOENT')),
      log: vi.fn(),
      error,
    });
    expect(code).toBe(1);
    expect(String(error.mock.calls[0]?.[0])).toContain('Reason: spawn ENOENT');
  });
});

describe('electronBinaryPath', () => {
  it('is null without path.txt (the state npm leaves when the download failed)', () => {
    expect(electronBinaryPath(tempDir(), {})).toBeNull();
    expect(electronBinaryPath(null, {})).toBeNull();
  });

  it('is null when path.txt names a binary that is not on disk', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(electronBinaryPath(dir, {})).toBeNull();
  });

  it('finds dist/<path.txt>, or the override dist path', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'path.txt'), 'electron');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    expect(electronBinaryPath(dir, {})).toBe(join(dir, 'dist', 'electron'));

    const override = tempDir();
    writeFileSync(join(override, 'electron'), '');
    expect(electronBinaryPath(dir, { ELECTRON_OVERRIDE_DIST_PATH: override })).toBe(
      join(override, 'electron'),
    );
  });
});

describe('runElectronInstaller', () => {
  it('reports the first line of a failing installer', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'install.js'),
      "process.stderr.write('\\nRequestError: getaddrinfo ENOTFOUND github.com\\n    at ClientRequest\\n'); process.exit(1);",
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const result = await runElectronInstaller(dir);
    stderr.mockRestore();
    expect(result).toEqual({ ok: false, error: 'RequestError: getaddrinfo ENOTFOUND github.com' });
  });

  it('reports success when the installer exits 0', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'install.js'), 'process.exit(0);');
    await expect(runElectronInstaller(dir)).resolves.toEqual({ ok: true });
  });

  it('explains a missing electron package', async () => {
    await expect(runElectronInstaller(null)).resolves.toMatchObject({
      ok: false,
      error: expect.stringContaining('npm install'),
    });
  });
});

describe('messages', () => {
  it('firstLine skips blank lines and has a fallback', () => {
    expect(firstLine('\n\n  Error: x  \nmore')).toBe('Error: x');
    expect(firstLine('')).toBe('unknown error');
    expect(firstLine(undefined)).toBe('unknown error');
  });

  it('missingBinaryMessage names the headless mode', () => {
    expect(missingBinaryMessage('offline')).toMatch(/npm run headless/);
  });
});
