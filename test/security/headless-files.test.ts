// Attacks through the data folder, replayed by starting the real mining service and headless server on it:
// a FIFO, symlink, directory, oversized or unreadable settings/profiles file, and folders others can list.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { constants } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, open, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHeadlessServer, type HeadlessServer } from '../../src/main/headless/server';
import { atomicWrite } from '../../src/main/core/util/atomic-write';
import { spawnMiner } from '../../src/main/core/supervisor';
import { makeTestService, type TestService } from '../support/service';
import { ROOT } from './support/headless-cli';

const TOKEN = 'sec-0123456789abcdefghijklmnopqrstuvwxyzABCD';
const SECRET = 'root:x:0:0:SECRET-CONTENT:/root:/bin/bash';
const posixOnly = process.platform === 'win32' ? it.skip : it;

let dir: string;
let ctx: TestService | undefined;
let server: HeadlessServer | undefined;
const fifos: string[] = [];

afterEach(async () => {
  // A reader blocked on a FIFO (the unhardened code) is released by a writer opening and closing it.
  for (const fifo of fifos.splice(0)) {
    await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then(
      (h) => h.close(),
      () => undefined,
    );
  }
  await server?.close();
  await ctx?.dispose();
  server = undefined;
  ctx = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts the real service and server on `dir`, or fails if start-up blocks (a FIFO read the naive way). */
async function startOn(dataDir: string): Promise<TestService> {
  const started = makeTestService(dataDir);
  ctx = await Promise.race([
    started,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('start-up blocked for 5 s')), 5000)),
  ]);
  server = await startHeadlessServer({
    service: ctx.service,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    staticDir: null,
  });
  const res = await fetch(`http://127.0.0.1:${server.port}/api/getSnapshot`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: '{}',
  });
  expect(res.status).toBe(200);
  return ctx;
}

async function freshDir(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'hashdeck-sec-files-'));
  return dir;
}

describe('attack: plant something that is not a settings file', () => {
  posixOnly('a FIFO does not hang start-up; it is moved aside with a notice', async () => {
    const d = await freshDir();
    execFileSync('mkfifo', [join(d, 'settings.json')]);
    fifos.push(join(d, 'settings.json'));
    const service = await startOn(d);
    expect(service.service.startupNotices.join('\n')).toMatch(/settings\.json was not used \(it is a FIFO/);
  });

  posixOnly('a symlink to a secret file is not read, and its contents never reach a notice', async () => {
    const d = await freshDir();
    await writeFile(join(d, 'secret.txt'), SECRET);
    await symlink(join(d, 'secret.txt'), join(d, 'profiles.json'));
    const service = await startOn(d);
    const notices = service.service.startupNotices.join('\n');
    expect(notices).not.toContain('SECRET');
    expect(notices).not.toContain('root:x');
    expect(notices).toMatch(/profiles\.json was not used \(it is a symbolic link\)/);
  });

  it('corrupt JSON is moved aside without quoting it in the notice', async () => {
    const d = await freshDir();
    await writeFile(join(d, 'settings.json'), SECRET);
    const notices = (await startOn(d)).service.startupNotices.join('\n');
    expect(notices).not.toContain('root:x'); // V8's message quotes the first characters it choked on
    expect(notices).toMatch(/settings\.json was not used/);
  });

  it('a directory in place of settings.json does not stop start-up', async () => {
    const d = await freshDir();
    await mkdir(join(d, 'settings.json'));
    expect((await startOn(d)).service.startupNotices.join('\n')).toMatch(
      /settings\.json was not used \(it is a directory\)/,
    );
  });

  it('a profiles file over 4 MiB is not loaded', async () => {
    const d = await freshDir();
    const padded = JSON.stringify({ version: 1, profiles: [], pad: 'A'.repeat(5 * 1024 * 1024) });
    await writeFile(join(d, 'profiles.json'), padded);
    const notices = (await startOn(d)).service.startupNotices.join('\n');
    expect(notices).toMatch(/profiles\.json was not used \(it is 5\.0 MiB, larger than the 4\.0 MiB limit\)/);
  });
});

describe('attack: make the settings file unreadable', () => {
  posixOnly('start-up goes on with a notice, and the file is never overwritten', async () => {
    const d = await freshDir();
    const file = join(d, 'settings.json');
    const original = JSON.stringify({ theme: 'light' });
    await writeFile(file, original, { mode: 0o600 });
    // Root reads everything, so as root the service runs as "nobody" in a folder it may write but not this file.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await chown(d, 65534, 65534);
    else await chmod(file, 0o000);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/security/support/unreadable-store.ts'), d],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 15_000,
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      },
    );
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as {
      started: boolean;
      notices: string[];
      saveError: string | null;
    };
    expect(result.started).toBe(true);
    expect(result.notices.join('\n')).toMatch(/settings\.json could not be read \(permission denied\)/);
    expect(result.saveError).toMatch(/cannot be read \(permission denied\), so it is not overwritten/);
    await chmod(file, 0o600);
    expect(await readFile(file, 'utf8')).toBe(original);
  });
});

describe('attack: read miner work files through a listable data folder', () => {
  posixOnly('the data folder, the run folder and miner work folders are private (0700)', async () => {
    const d = await freshDir();
    const dataDir = join(d, 'data');
    await startOn(dataDir);
    await atomicWrite(join(dataDir, 'run', 'xmrig-1', 'config.json'), '{}');
    const proc = await spawnMiner({
      command: process.execPath,
      args: ['-e', ''],
      cwd: join(dataDir, 'run', 'tt-2'),
    });
    await proc.exited;
    for (const folder of [
      dataDir,
      join(dataDir, 'run'),
      join(dataDir, 'run', 'xmrig-1'),
      join(dataDir, 'run', 'tt-2'),
    ]) {
      const mode = (await stat(folder)).mode & 0o777;
      expect(`${folder.slice(d.length)} ${mode.toString(8)}`).toBe(`${folder.slice(d.length)} 700`);
    }
  });
});
