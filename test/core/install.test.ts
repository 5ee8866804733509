// Identifying a miner binary at the edges: what --version prints (any width, blank lines first, on stderr,
// with a failing exit) and what is made of it. (Finding binaries is the trust store's, tested there.)
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
