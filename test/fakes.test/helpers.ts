// Helpers for the fake-miner tests: spawn a fake, wait for output, talk HTTP/TCP to 127.0.0.1, and
// make sure every spawned process is killed after each test.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { wireRequest } from '../support/http-wire';

export const FAKES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fakes');
export const XMRIG = path.join(FAKES_DIR, 'fake-xmrig.mjs');
export const TTMINER = path.join(FAKES_DIR, 'fake-ttminer.mjs');

/** A captured XMRig fixture body (copied from the real binary's output into test/fakes/data/xmrig). */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FAKES_DIR, 'data', 'xmrig', name), 'utf8');
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Fake {
  child: ChildProcess;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
  isRunning: () => boolean;
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  send: (text: string) => void;
  kill: () => Promise<void>;
}

/** Cleanups per test, run by afterEach (works with concurrent tests: keyed by test id). */
const cleanups = new Map<string, (() => unknown)[]>();
interface Ctx {
  task: { id: string };
}

afterEach(async (ctx) => {
  const list = cleanups.get(ctx.task.id) ?? [];
  cleanups.delete(ctx.task.id);
  for (const fn of list.reverse()) await fn();
});

export function onCleanup(ctx: Ctx, fn: () => unknown): void {
  const list = cleanups.get(ctx.task.id) ?? [];
  list.push(fn);
  cleanups.set(ctx.task.id, list);
}

export function spawnFake(
  ctx: Ctx,
  script: string,
  args: string[],
  env: Record<string, string> = {},
  stdio: StdioOptions = 'pipe',
): Fake {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    stdio,
  });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    out += d;
    for (const w of waiters) w();
  });
  child.stderr?.on('data', (d: string) => (err += d));
  child.stdin?.on('error', () => {});
  let running = true;
  const exited = new Promise<Exit>((resolve) =>
    // 'close' (not 'exit'): resolves only after stdout/stderr have been read to the end
    child.on('close', (code, signal) => {
      running = false;
      for (const w of waiters) w();
      resolve({ code, signal });
    }),
  );

  const fake: Fake = {
    child,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    exited,
    isRunning: () => running,
    // Bounds, not speed checks: a fake starting on a loaded 2-core machine can take many seconds.
    waitFor: (re, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            finish();
            resolve(m);
          } else if (!running) {
            finish();
            reject(new Error(`process exited before ${re} appeared; stdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timeout waiting for ${re}; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    send: (text) => {
      child.stdin?.write(text);
    },
    kill: async () => {
      if (running) child.kill('SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    },
  };
  onCleanup(ctx, () => fake.kill());
  return fake;
}

/** A port that was free a moment ago (listen on 0, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface HttpResult {
  status: number;
  /** Headers of the first response, names lower-cased. */
  headers: Record<string, string>;
  text: string;
  /** How many complete responses the server wrote on this one connection before closing it. */
  responses: number;
  raw: Buffer;
}

/**
 * One request on a fresh connection, read raw until the server closes: XMRig answers json_rpc twice on
 * one connection, which node:http refuses to parse ("Data after Connection: close").
 */
export async function request(
  port: number,
  method: string,
  urlPath: string,
  opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const ex = await wireRequest(port, method, urlPath, opts);
  const first = ex.responses[0];
  if (!first) throw new Error(`no complete HTTP response; got ${JSON.stringify(ex.raw.toString('utf8'))}`);
  return {
    status: first.status,
    headers: Object.fromEntries(first.headers.map(([k, v]) => [k.toLowerCase(), v])),
    text: first.body.toString('utf8'),
    responses: ex.responses.length,
    raw: ex.raw,
  };
}

/** Send one line over TCP and collect everything until the peer closes. */
export function tcpRequest(port: number, payload: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(payload));
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (buf += d));
    sock.on('end', () => resolve(buf));
    sock.on('error', reject);
    sock.setTimeout(timeoutMs, () => {
      sock.destroy();
      reject(new Error(`timeout; got ${JSON.stringify(buf)}`));
    });
  });
}

/** Poll `fn` until it returns a truthy value. */
export async function waitUntil<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`waitUntil timed out${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Every key path of a JSON value ("a.b", "a.c[]", ...), to compare shapes with a fixture. */
export function keyPaths(v: unknown, prefix = ''): string[] {
  if (Array.isArray(v)) {
    const obj = v.find((e) => typeof e === 'object' && e !== null);
    return obj === undefined ? [] : keyPaths(obj, `${prefix}[]`);
  }
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v).flatMap(([k, x]) => [`${prefix}.${k}`, ...keyPaths(x, `${prefix}.${k}`)]);
  }
  return [];
}
