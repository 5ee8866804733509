// The JSON store reads only small regular files: a FIFO, symlink, directory or oversized file is moved aside
// with a notice that never quotes it, corrupt JSON is not quoted either, and unsafe targets are never replaced.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadJsonFile, MAX_JSON_FILE_BYTES, saveJsonFile } from './json-file';

const schema = z.object({ version: z.literal(1), name: z.string().max(10) });
const fallback = () => ({ version: 1 as const, name: 'default' });
const SECRET = 'root:x:0:0:SECRET-CONTENT';
const posixOnly = process.platform === 'win32' ? it.skip : it; // FIFOs and unprivileged symlinks

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hashdeck-jsonfile-'));
  file = join(dir, 'settings.json');
});

afterEach(() => rm(dir, { recursive: true, force: true }));

/** Loads within a deadline: a FIFO read the naive way blocks until a writer appears, i.e. forever. */
function load() {
  return Promise.race([
    loadJsonFile(file, schema, fallback),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('load blocked')), 3000)),
  ]);
}

async function asideFiles(tag: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith(`settings.json.${tag}-`));
}

describe('loadJsonFile', () => {
  it('returns defaults quietly when the file does not exist, and the value when it is valid', async () => {
    expect(await load()).toEqual({ value: fallback(), notice: null });
    await writeFile(file, JSON.stringify({ version: 1, name: 'mine' }));
    expect(await load()).toEqual({ value: { version: 1, name: 'mine' }, notice: null });
  });

  posixOnly('moves a FIFO aside at once instead of blocking on it', async () => {
    execFileSync('mkfifo', [file]);
    const result = await load();
    expect(result.value).toEqual(fallback());
    expect(result.notice).toMatch(
      /was not used \(it is a FIFO \(named pipe\)\)\. It was moved to .*settings\.json\.unsafe-/,
    );
    expect((await lstat(join(dir, (await asideFiles('unsafe'))[0]!))).isFIFO()).toBe(true);
  });

  posixOnly('moves a symlink aside without following it or quoting its target', async () => {
    const target = join(dir, 'elsewhere.txt');
    await writeFile(target, SECRET);
    await symlink(target, file);
    const result = await load();
    expect(result.notice).toContain('it is a symbolic link');
    expect(result.notice).not.toContain('SECRET');
    const [aside] = await asideFiles('unsafe');
    expect(await readlink(join(dir, aside!))).toBe(target); // the link moved, its target untouched
    expect(await readFile(target, 'utf8')).toBe(SECRET);
  });

  it('moves a directory aside', async () => {
    await mkdir(file);
    const result = await load();
    expect(result.notice).toContain('it is a directory');
    expect((await lstat(join(dir, (await asideFiles('unsafe'))[0]!))).isDirectory()).toBe(true);
  });

  it('moves a file over the size limit aside without reading it', async () => {
    await writeFile(file, Buffer.alloc(MAX_JSON_FILE_BYTES + 1, 'A'));
    const result = await load();
    expect(result.notice).toMatch(/it is 4\.0 MiB, larger than the 4\.0 MiB limit/);
    expect(result.notice).not.toContain('AAAA');
    expect(await asideFiles('oversized')).toHaveLength(1);
  });

  it('moves corrupt JSON aside without quoting it (V8 quotes the text it chokes on)', async () => {
    await writeFile(file, SECRET);
    const result = await load();
    expect(result.notice).toMatch(/could not be read: not valid JSON/);
    expect(result.notice).not.toContain('SECRET');
    expect(result.notice).not.toContain('root');
    expect(await readFile(join(dir, (await asideFiles('corrupt'))[0]!), 'utf8')).toBe(SECRET);
  });

  it('names the schema field that failed, but not a key the file made up', async () => {
    await writeFile(file, JSON.stringify({ version: 1, name: 'far too long a name' }));
    expect((await load()).notice).toMatch(/could not be read: name: /);
  });
});

describe('saveJsonFile', () => {
  it('writes the value atomically', async () => {
    await saveJsonFile(file, { version: 1, name: 'x' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 1, name: 'x' });
  });

  posixOnly('refuses to replace a symlink or directory that load could not move away', async () => {
    const target = join(dir, 'elsewhere.txt');
    await writeFile(target, SECRET);
    await symlink(target, file);
    await expect(saveJsonFile(file, { version: 1, name: 'x' })).rejects.toMatchObject({
      code: 'STORAGE',
      message: expect.stringContaining('is a symbolic link, not a regular file') as string,
    });
    expect(await readlink(file)).toBe(target);
    await rm(file);
    await mkdir(file);
    await expect(saveJsonFile(file, {})).rejects.toMatchObject({ code: 'STORAGE' });
  });
});
