// Starts the built headless server (out/main/headless.js) as a real child process with a temp data
// folder and fake-miner tuning, and hands tests its URL and token. Stopping it must leave no miner alive.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FAKE_XMRIG = join(ROOT, 'test/fakes/fake-xmrig.mjs');
export const FAKE_TTMINER = join(ROOT, 'test/fakes/fake-ttminer.mjs');

export interface Headless {
  /** Trusted binary ids of the fake miners registered for this server (via `trust add`); '' when not. */
  xmrigId: string;
  ttminerId: string;
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * An executable wrapper that runs a fake miner with `fakeEnv` (miners get a clean environment, so
 * FAKE_* tuning cannot come from the server's), trusted through the real `trust add` command.
 */
export async function trustFake(
  entry: string,
  dataDir: string,
  kind: 'xmrig' | 'ttminer',
  fakeEnv: Record<string, string>,
): Promise<string> {
  const file = join(dataDir, 'bin', `${kind}.mjs`);
  const target = pathToFileURL(kind === 'xmrig' ? FAKE_XMRIG : FAKE_TTMINER).href;
  await mkdir(join(dataDir, 'bin'), { recursive: true });
  await writeFile(
    file,
    [
      '#!/usr/bin/env node',
      `Object.assign(process.env, ${JSON.stringify(fakeEnv)});`,
      `await import(${JSON.stringify(target)});`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const out = execFileSync(
    process.execPath,
    [entry, 'trust', 'add', file, '--type', kind, '--data-dir', dataDir],
    {
      encoding: 'utf8',
    },
  );
  const id = /id (\S+),/.exec(out)?.[1];
  if (!id) throw new Error(`trust add printed no id:\n${out}`);
  return id;
}

export interface HeadlessOptions {
  /** Register the fake miners with `trust add` first (default); false: a fresh machine with no miner. */
  trustFakes?: boolean;
  /** Extra server flags (the local-only --xmrig-* release source, for example). */
  args?: string[];
  /** Listen on this port (default: any free one). */
  port?: number;
  /** Use this data folder and leave it in place on stop (default: a fresh temp folder, removed on stop). */
  dataDir?: string;
}

/**
 * `env`: FAKE_* variables tune the fake miners (baked into their trusted wrappers, since miners get a
 * clean environment); anything else (HASHDECK_TOKEN) goes to the server.
 */
export async function startHeadless(
  env: Record<string, string> = {},
  options: HeadlessOptions = {},
): Promise<Headless> {
  const entry = join(ROOT, 'out/main/headless.js');
  if (!existsSync(entry)) throw new Error('out/main/headless.js is missing: run `npm run build` first');
  const fakeEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('FAKE_')));
  const serverEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('FAKE_')));
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'hashdeck-e2e-')));
  const port = String(options.port ?? 0);
  const trustFakes = options.trustFakes ?? true;
  // Re-trusting the same wrapper (a restart on the same data folder) keeps its id.
  const xmrigId = trustFakes ? await trustFake(entry, dataDir, 'xmrig', fakeEnv) : '';
  const ttminerId = trustFakes ? await trustFake(entry, dataDir, 'ttminer', fakeEnv) : '';
  const child = spawn(
    process.execPath,
    [entry, '--port', port, '--data-dir', dataDir, ...(options.args ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, HASHDECK_TOKEN: '', ...serverEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`headless server did not start:\n${out}`)), 15_000);
    const check = () => {
      const m = /Open: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`headless server exited with ${code}:\n${out}`)));
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  return {
    xmrigId,
    ttminerId,
    url,
    origin: parsed.origin,
    token,
    dataDir,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls one contract command over HTTP with the token, like a script would. */
export async function api<T>(h: Headless, command: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${h.origin}/api/${command}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`${command} failed (${res.status}): ${json.error?.message}`);
  return json;
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
