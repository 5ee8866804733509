// What a locally chosen binary must be before it can be trusted, with the sentence a person reads for each
// refusal: there, a regular file, not empty, of sane size, executable (POSIX); symlinks resolved first.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identify, MAX_BINARY_BYTES, statExecutable } from '../../src/main/core/trust/file-identity';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'hashdeck-identity-'));
  dirs.push(dir);
  return dir;
}

describe.runIf(process.platform !== 'win32')('statExecutable', () => {
  it('names what is wrong with the chosen path', async () => {
    const dir = folder();
    await expect(statExecutable(join(dir, 'missing'))).rejects.toMatchObject({
      code: 'BINARY_MISSING',
      message: `No file at ${join(dir, 'missing')}`,
      details: { path: join(dir, 'missing') },
    });
    mkdirSync(join(dir, 'folder'));
    await expect(statExecutable(join(dir, 'folder'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `${join(dir, 'folder')} is not a regular file`,
      details: { path: join(dir, 'folder') },
    });
    writeFileSync(join(dir, 'empty'), '');
    chmodSync(join(dir, 'empty'), 0o755);
    // Exact messages and details (toThrow's substring match let emptied messages pass under Stryker).
    await expect(statExecutable(join(dir, 'empty'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `${join(dir, 'empty')} is empty`,
      details: { path: join(dir, 'empty') },
    });
    writeFileSync(join(dir, 'plain'), 'data');
    chmodSync(join(dir, 'plain'), 0o644);
    await expect(statExecutable(join(dir, 'plain'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `${join(dir, 'plain')} is not executable (chmod +x it first)`,
      details: { path: join(dir, 'plain') },
    });
    // Windows has no execute bit: the same file passes there
    await expect(statExecutable(join(dir, 'plain'), 'win32')).resolves.toMatchObject({ size: 4 });
  });

  it('refuses a file beyond the size limit, accepts one at it (sparse files, nothing written)', async () => {
    const dir = folder();
    const at = join(dir, 'at');
    const over = join(dir, 'over');
    for (const [path, size] of [
      [at, MAX_BINARY_BYTES],
      [over, MAX_BINARY_BYTES + 1],
    ] as const) {
      writeFileSync(path, '');
      truncateSync(path, size);
      chmodSync(path, 0o755);
    }
    await expect(statExecutable(at)).resolves.toMatchObject({ size: MAX_BINARY_BYTES });
    await expect(statExecutable(over)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `${over} is larger than 512 MiB`,
      details: { path: over },
    });
  });

  it('resolves symlinks to the file that will really run, and hashes it', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'real'), 'abc');
    chmodSync(join(dir, 'real'), 0o755);
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    await expect(identify(join(dir, 'link'))).resolves.toMatchObject({
      path: join(dir, 'real'),
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });
});
