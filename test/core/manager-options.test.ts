// The manager's defaults for what it is wired to: a free loopback port per miner API, atomic config
// writes, removals that tolerate a file already gone, and no pid files unless asked for.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOptions, type ManagerOptions } from '../../src/main/core/manager-options';

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

const bare = { workRoot: '/nonexistent', adapters: {}, spawn: null, io: null } as unknown as ManagerOptions;

describe('manager option defaults', () => {
  it('allocates a usable port number', async () => {
    const port = await resolveOptions(bare).allocatePort();
    expect(Number.isInteger(port) && port > 0 && port < 65536).toBe(true);
  });

  it('writes files whole and removes them, a missing one included', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hashdeck-options-'));
    const opts = resolveOptions(bare);
    const file = join(dir, 'config.json');
    await opts.writeFile(file, '{"a":1}');
    expect(await readFile(file, 'utf8')).toBe('{"a":1}');
    expect(await readdir(dir)).toEqual(['config.json']); // no temp file left beside it
    await opts.removeFile(file);
    expect(existsSync(file)).toBe(false);
    await expect(opts.removeFile(file)).resolves.toBeUndefined();
  });

  it('records no pid files unless asked, and keeps what the caller gives', async () => {
    expect(resolveOptions(bare).pidFiles).toBe(false);
    const writes: string[] = [];
    const opts = resolveOptions({ ...bare, pidFiles: true, writeFile: async (p) => void writes.push(p) });
    expect(opts.pidFiles).toBe(true);
    await opts.writeFile('x', 'y');
    expect(writes).toEqual(['x']);
  });
});
