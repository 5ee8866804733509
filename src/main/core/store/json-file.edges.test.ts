// The JSON store at its remaining edges: which JSON error the notice names, a key the file made up never
// echoed, a socket or a path through a file (ENOTDIR) reported for what it is, and a file of exactly the limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadJsonFile, MAX_JSON_FILE_BYTES, saveJsonFile } from './json-file';

const schema = z.object({ version: z.literal(1), tags: z.record(z.string(), z.number()).default({}) });
const fallback = () => ({ version: 1 as const, tags: {} });
const posixOnly = process.platform === 'win32' ? it.skip : it; // unix sockets in a folder

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hashdeck-jsonedges-'));
  file = join(dir, 'settings.json');
});

afterEach(() => rm(dir, { recursive: true, force: true }));

async function noticeFor(text: string): Promise<string | null> {
  await writeFile(file, text);
  return (await loadJsonFile(file, schema, fallback)).notice;
}

describe('loadJsonFile notices', () => {
  it('gives the character where the JSON breaks, when V8 names one', async () => {
    expect(await noticeFor('{"version": 1, "tags": {} x')).toContain(
      'could not be read: not valid JSON (at character 26))',
    );
    expect(await noticeFor('')).toContain('could not be read: not valid JSON)');
  });

  it('names a field path only when every part of it is a plain name', async () => {
    expect(await noticeFor('{"version": 1, "tags": {"cpu-1": "x"}}')).toContain(
      'could not be read: tags.cpu-1: ',
    );
    for (const key of ['$evil', 'evil key!', 'x'.repeat(41)]) {
      const notice = await noticeFor(JSON.stringify({ version: 1, tags: { [key]: 'x' } }));
      expect(notice).toContain('could not be read: file: ');
      expect(notice).not.toContain(key);
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(join(tmpdir(), 'hashdeck-jsonedges-'));
      file = join(dir, 'settings.json');
    }
  });

  it('reads a file of exactly the size limit', async () => {
    const body = '{"version": 1}';
    await writeFile(file, body + ' '.repeat(MAX_JSON_FILE_BYTES - body.length));
    expect(await loadJsonFile(file, schema, fallback)).toEqual({
      value: { version: 1, tags: {} },
      notice: null,
    });
  });

  it('reports a path it cannot even look at (a file in the way), and leaves it alone', async () => {
    await writeFile(file, 'x');
    const inner = join(file, 'profiles.json');
    const result = await loadJsonFile(inner, schema, fallback);
    expect(result).toEqual({
      value: fallback(),
      notice:
        `${inner} could not be read (ENOTDIR). Defaults are used for now; the file is left untouched and ` +
        'changes will not be saved over it. Fix its permissions, then restart HashDeck.',
    });
    await expect(saveJsonFile(inner, { version: 1 })).rejects.toMatchObject({
      code: 'STORAGE',
      message: `${inner} cannot be checked (ENOTDIR); nothing was saved.`,
    });
  });

  posixOnly('moves a socket aside and names it', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(file, resolve));
    try {
      const result = await loadJsonFile(file, schema, fallback);
      expect(result.notice).toContain('was not used (it is a socket)');
      expect((await readdir(dir)).filter((f) => f.startsWith('settings.json.unsafe-'))).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('moves a device node aside and names it', async (ctx) => {
    try {
      execFileSync('mknod', [file, 'c', '1', '3'], { stdio: 'ignore' }); // a null device, in our temp folder
    } catch {
      ctx.skip(); // creating device nodes needs root with CAP_MKNOD (and a POSIX system)
    }
    const result = await loadJsonFile(file, schema, fallback);
    expect(result.notice).toContain('was not used (it is a device)');
    expect((await readdir(dir)).filter((f) => f.startsWith('settings.json.unsafe-'))).toHaveLength(1);
  });
});
