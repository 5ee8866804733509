// Finding and identifying miner binaries at the edges: version folder names, PATH entries that are folders
// or relative, Windows rules for executability, what the errors say and carry, and --version quirks.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareVersions, parseVersionDir, resolveBinary } from '../../src/main/core/install/discovery';
import { parseVersionOutput, readVersion } from '../../src/main/core/install/version';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hashdeck-install-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function touch(file: string, mode = 0o755, body = '#!/bin/sh\n'): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, body);
  await chmod(file, mode);
  return file;
}

const caught = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code: string; message: string; details: unknown },
  );

describe('version folders', () => {
  it('accepts only exact x.y.z names, with an optional v', () => {
    expect(parseVersionDir('6.26.10')).toEqual([6, 26, 10]);
    expect(parseVersionDir('v6.26.0')).toEqual([6, 26, 0]);
    for (const name of ['6.26.0-rc1', 'x6.26.0', '6.26', 'latest']) expect(parseVersionDir(name)).toBeNull();
  });

  it('compares component by component, a missing component counting as 0', () => {
    expect(compareVersions([6, 26], [6, 26, 1])).toBeLessThan(0);
    expect(compareVersions([6, 26, 1], [6, 26])).toBeGreaterThan(0);
    expect(compareVersions([6, 26, 0], [6, 26])).toBe(0);
  });
});

describe.runIf(process.platform !== 'win32')('PATH lookup', () => {
  it('skips a folder that merely has the binary name, and relative entries, even when they would match', async () => {
    const dirEntry = path.join(root, 'a');
    await mkdir(path.join(dirEntry, 'xmrig'), { recursive: true }); // a folder named xmrig
    const relative = path.join(root, 'rel');
    await touch(path.join(relative, 'xmrig'));
    const real = await touch(path.join(root, 'b', 'xmrig'));
    const pathEnv = [dirEntry, path.relative(process.cwd(), relative), '', path.join(root, 'b')].join(':');
    expect(
      await resolveBinary({ type: 'xmrig', minersDir: path.join(root, 'none'), pathEnv, platform: 'linux' }),
    ).toBe(real);
  });

  it('ignores a file on PATH that is not executable', async () => {
    await touch(path.join(root, 'bin', 'xmrig'), 0o644);
    await expect(
      resolveBinary({
        type: 'xmrig',
        minersDir: path.join(root, 'none'),
        pathEnv: path.join(root, 'bin'),
        platform: 'linux',
      }),
    ).rejects.toMatchObject({ code: 'BINARY_MISSING' });
  });
});

describe('discovery errors', () => {
  it('says the simulated miner has no binary', async () => {
    expect(await caught(resolveBinary({ type: 'simulated', minersDir: root, pathEnv: '' }))).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Simulated miner runs in-process and has no binary to find',
    });
  });

  it('carries the explicit path it could not find', async () => {
    const missing = path.join(root, 'no', 'xmrig');
    expect(
      await caught(resolveBinary({ type: 'xmrig', explicitPath: missing, minersDir: root, pathEnv: '' })),
    ).toMatchObject({
      details: { path: missing },
    });
  });

  it('says where it looked and what to do, with the folder and names as details', async () => {
    const err = await caught(
      resolveBinary({ type: 'ttminer', minersDir: root, pathEnv: '', platform: 'linux' }),
    );
    const folder = path.join(root, 'ttminer');
    expect(err).toMatchObject({
      code: 'BINARY_MISSING',
      message:
        `TT-Miner binary not found: looked for TT-Miner or ttminer in ${path.join(folder, '<version>')} and on PATH. ` +
        "Install TT-Miner from the Miners page or set the binary path in the miner's settings.",
      details: { minersDir: folder, names: ['TT-Miner', 'ttminer'] },
    });
  });
});

describe('version output', () => {
  it('reads XMRig versions of any width, after leading blank lines', () => {
    expect(parseVersionOutput('XMRig 10.1.2\n built')).toBe('10.1.2');
    expect(parseVersionOutput('\n\n  XMRig 6.26.10\r\n built on')).toBe('6.26.10');
    expect(parseVersionOutput('FakeXMRig 6.26.0')).toBeNull();
  });

  it.runIf(process.platform !== 'win32')(
    'reads a version printed on stderr by a binary that exits non-zero',
    async () => {
      const bin = await touch(
        path.join(root, 'tt.mjs'),
        0o755,
        "#!/usr/bin/env node\nconsole.error('TT-Miner 2023.1.0'); process.exit(1);\n",
      );
      expect(await readVersion(bin)).toBe('2023.1.0');
    },
  );
});
