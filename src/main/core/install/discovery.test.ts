// Binary discovery in temp dirs: explicit path, newest version folder (numeric compare), PATH lookup,
// and BINARY_MISSING messages that say where we looked.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import process from 'node:process';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { MinerError } from '../../../shared/errors';
import { compareVersions, parseVersionDir, platformBinaryNames, resolveBinary } from './discovery';

let root = '';

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'discovery-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function touch(file: string, mode = 0o755): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '#!/bin/sh\n');
  await chmod(file, mode);
  return file;
}

async function missing(p: Promise<unknown>): Promise<MinerError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MinerError);
  expect((err as MinerError).code).toBe('BINARY_MISSING');
  return err as MinerError;
}

const platform = 'linux' as const;
const hostPlatform = process.platform;

describe('resolveBinary', () => {
  it('returns an explicit path that is a file', async () => {
    const bin = await touch(path.join(root, 'custom', 'xmrig'));
    expect(
      await resolveBinary({ type: 'xmrig', explicitPath: bin, minersDir: root, pathEnv: '', platform }),
    ).toBe(bin);
  });

  it('fails for an explicit path that is missing or a folder, naming the path', async () => {
    const nowhere = path.join(root, 'nope', 'xmrig');
    const err = await missing(
      resolveBinary({ type: 'xmrig', explicitPath: nowhere, minersDir: root, pathEnv: '', platform }),
    );
    expect(err.message).toBe(`XMRig binary not found at ${nowhere}`);
    await missing(
      resolveBinary({ type: 'xmrig', explicitPath: root, minersDir: root, pathEnv: '', platform }),
    );
  });

  it('picks the highest semantic version folder (6.9.0 < 6.26.0) and ignores other folders', async () => {
    const miners = path.join(root, 'miners');
    await touch(path.join(miners, 'xmrig', '6.9.0', 'xmrig'));
    const newest = await touch(path.join(miners, 'xmrig', '6.26.0', 'xmrig'));
    await touch(path.join(miners, 'xmrig', '6.21.3', 'xmrig'));
    await touch(path.join(miners, 'xmrig', 'latest', 'xmrig'));
    await mkdir(path.join(miners, 'xmrig', '7.0.0-rc1'), { recursive: true });
    expect(await resolveBinary({ type: 'xmrig', minersDir: miners, pathEnv: '', platform })).toBe(newest);
  });

  it('falls through a newest folder that has no binary', async () => {
    const miners = path.join(root, 'miners');
    await mkdir(path.join(miners, 'xmrig', '6.27.0'), { recursive: true });
    const older = await touch(path.join(miners, 'xmrig', '6.26.0', 'xmrig'));
    expect(await resolveBinary({ type: 'xmrig', minersDir: miners, pathEnv: '', platform })).toBe(older);
  });

  it('uses the .exe names on Windows', async () => {
    const miners = path.join(root, 'miners');
    await touch(path.join(miners, 'ttminer', '2023.1.0', 'TT-Miner'));
    const exe = await touch(path.join(miners, 'ttminer', '2023.1.0', 'TT-Miner.exe'));
    expect(await resolveBinary({ type: 'ttminer', minersDir: miners, pathEnv: '', platform: 'win32' })).toBe(
      exe,
    );
  });

  it('looks on PATH when the miners folder has nothing, skipping relative entries', async () => {
    const rel = path.join(root, 'rel');
    const bin = await touch(path.join(root, 'b', 'xmrig'));
    await touch(path.join(rel, 'xmrig'));
    const pathEnv = ['', 'relative/dir', path.join(root, 'a'), path.join(root, 'b')].join(path.delimiter);
    const found = await resolveBinary({
      type: 'xmrig',
      minersDir: path.join(root, 'none'),
      pathEnv,
      platform: hostPlatform,
    });
    expect(found).toBe(bin);
  });

  it.skipIf(hostPlatform === 'win32')('skips PATH entries that are not executable (POSIX)', async () => {
    await touch(path.join(root, 'a', 'xmrig'), 0o644);
    const bin = await touch(path.join(root, 'b', 'xmrig'));
    const pathEnv = [path.join(root, 'a'), path.join(root, 'b')].join(path.delimiter);
    expect(
      await resolveBinary({ type: 'xmrig', minersDir: path.join(root, 'none'), pathEnv, platform }),
    ).toBe(bin);
  });

  it('says where it looked when nothing is found', async () => {
    const err = await missing(
      resolveBinary({ type: 'ttminer', minersDir: path.join(root, 'miners'), pathEnv: root, platform }),
    );
    expect(err.message).toContain('TT-Miner binary not found');
    expect(err.message).toContain(path.join(root, 'miners', 'ttminer'));
    expect(err.message).toContain('PATH');
    expect(err.message).toContain('TT-Miner or ttminer');
  });

  it('refuses the simulated miner, which has no binary', async () => {
    const err = await resolveBinary({ type: 'simulated', minersDir: root, pathEnv: '', platform }).catch(
      (e: unknown) => e,
    );
    expect((err as MinerError).code).toBe('INVALID_INPUT');
  });
});

describe('version helpers', () => {
  it('parses version folder names and compares numerically', () => {
    expect(parseVersionDir('6.26.0')).toEqual([6, 26, 0]);
    expect(parseVersionDir('v6.9.0')).toEqual([6, 9, 0]);
    expect(parseVersionDir('latest')).toBeNull();
    expect(compareVersions([6, 9, 0], [6, 26, 0])).toBeLessThan(0);
  });

  it('filters binary names per platform', () => {
    expect(platformBinaryNames(['xmrig', 'xmrig.exe'], 'darwin')).toEqual(['xmrig']);
    expect(platformBinaryNames(['xmrig', 'xmrig.exe'], 'win32')).toEqual(['xmrig.exe']);
  });
});
