// readVersion runs `<binary> --version` for real (a temp .mjs script through node) and parses the
// banners of XMRig (version.txt fixture) and TT-Miner.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { parseVersionOutput, readVersion } from './version';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'version-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An executable script (shebang + mode 755): the only way a script runs, like any trusted binary. */
async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/usr/bin/env node\n${body}`, { mode: 0o755 });
  return file;
}

describe('parseVersionOutput', () => {
  it('reads the real XMRig 6.26.0 --version output', () => {
    const captured = readFileSync(
      new URL('../../../../test/data/xmrig-6.26.0/version.txt', import.meta.url),
      'utf8',
    );
    const output = captured.split('\n').slice(1, 8).join('\n');
    expect(parseVersionOutput(output)).toBe('6.26.0');
  });

  it.each([
    ['TT-Miner/2023.1.0', '2023.1.0'],
    ['TT-Miner 3.0.10 (c) TradeProject', '3.0.10'],
    ['TT-Miner v2024.2', '2024.2'],
    ['something else 1.2.3', null],
    ['', null],
  ])('parses %j', (text, expected) => {
    expect(parseVersionOutput(text)).toBe(expected);
  });
});

describe('readVersion', () => {
  it('runs an executable script and passes --version', async () => {
    const file = await script(
      'fake-xmrig.mjs',
      "if (process.argv[2] !== '--version') process.exit(3);\nconsole.log('XMRig 6.26.0\\n built on Nov 26 2026 with GCC 12.2.0');\n",
    );
    expect(await readVersion(file)).toBe('6.26.0');
  });

  it('never runs a script through an interpreter: a non-executable script gives no version', async () => {
    const file = path.join(dir, 'plain.mjs');
    await writeFile(file, "console.log('XMRig 6.26.0');\n", { mode: 0o644 });
    expect(await readVersion(file)).toBeNull();
  });

  it('returns null for unparsable output, a missing binary and a hang', async () => {
    expect(await readVersion(await script('other.mjs', "console.log('hello');\n"))).toBeNull();
    expect(await readVersion(path.join(dir, 'does-not-exist'))).toBeNull();
    const hang = await script('hang.mjs', "console.log('XMRig 6.26.0'); setInterval(() => {}, 1000);\n");
    const started = Date.now();
    expect(await readVersion(hang, { timeoutMs: 300 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("does not hand the app's own environment (such as its API token) to the binary", async () => {
    const file = await script(
      'env-xmrig.mjs',
      "console.log(process.env.HASHDECK_TOKEN === undefined ? 'XMRig 6.26.0' : 'XMRig 0.0.0');\n",
    );
    const before = process.env.HASHDECK_TOKEN;
    process.env.HASHDECK_TOKEN = 'secret-for-version-test';
    try {
      expect(await readVersion(file)).toBe('6.26.0');
    } finally {
      if (before === undefined) delete process.env.HASHDECK_TOKEN;
      else process.env.HASHDECK_TOKEN = before;
    }
  });

  it('gives null, not an exception, when the binary cannot even be spawned', async () => {
    // Node refuses a NUL in a path before any process starts; execa then has no output at all.
    await expect(readVersion(path.join(dir, 'bad\0name'))).resolves.toBeNull();
  });

  it('treats shell metacharacters in the path as a plain file name', async () => {
    const file = await script('we;ird $(x).mjs', "console.log('XMRig 6.25.1');\n");
    expect(await readVersion(file)).toBe('6.25.1');
  });
});
