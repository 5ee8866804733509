// Helpers for the headless transport tests: a scripted service whose events the test emits, a server
// started on a free loopback port, raw HTTP requests (any Host, Cookie or target), and the login swap.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandName, EventName, EventPayloads } from '../../src/shared/contract';
import type { ServiceApi } from '../../src/main/service/types';
import {
  startHeadlessServer,
  type HeadlessOptions,
  type HeadlessServer,
} from '../../src/main/headless/server';

/** 40 visible characters: long enough for the 32-character minimum. */
export const TOKEN = 'TkN-0123456789abcdefghijklmnopqrstuvwxyz';

const here = dirname(fileURLToPath(import.meta.url));
/** A self-signed certificate for localhost/127.0.0.1/::1, valid for 100 years; test data only (its key protects nothing). */
export const TEST_TLS = {
  cert: readFileSync(join(here, 'data/localhost-cert.pem')),
  key: readFileSync(join(here, 'data/localhost-key.pem')),
};

type Handler = (payload: unknown) => void;

/** A ServiceApi whose commands echo their name and whose events the test emits by hand. */
export class ScriptedService implements ServiceApi {
  private readonly handlers = new Map<EventName, Set<Handler>>();
  readonly calls: { name: CommandName; input: unknown }[] = [];

  invoke<K extends CommandName>(name: K, input: unknown): Promise<never> {
    this.calls.push({ name, input });
    return Promise.resolve({ ok: true, command: name } as never);
  }

  on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler);
    return () => set.delete(handler as Handler);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const h of this.handlers.get(event) ?? []) h(payload);
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface TestServer {
  server: HeadlessServer;
  service: ScriptedService;
  base: string;
  close(): Promise<void>;
}

export async function startTestServer(overrides: Partial<HeadlessOptions> = {}): Promise<TestServer> {
  const service = new ScriptedService();
  const server = await startHeadlessServer({
    service,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    staticDir: null,
    ...overrides,
  });
  const scheme = server.secure ? 'https' : 'http';
  return { server, service, base: `${scheme}://127.0.0.1:${server.port}`, close: () => server.close() };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  tls?: boolean;
  /** Host header; defaults to 127.0.0.1:port. */
  host?: string;
}

/** One request with exactly these headers and target (fetch normalises targets and forbids Host). */
export function raw(r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const send = r.tls ? httpsRequest : httpRequest;
    const req = send(
      {
        host: '127.0.0.1',
        port: r.port,
        path: r.path,
        method: r.method ?? 'GET',
        headers: { Host: r.host ?? `127.0.0.1:${r.port}`, ...r.headers },
        agent: false,
        rejectUnauthorized: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Opens the printed link (GET /?token=) and returns the "name=value" cookie the server set. */
export async function login(server: HeadlessServer, token = TOKEN): Promise<string> {
  const res = await raw({
    port: server.port,
    path: `/?token=${encodeURIComponent(token)}`,
    tls: server.secure,
  });
  const cookie = res.headers['set-cookie']?.[0];
  if (res.status !== 303 || !cookie) throw new Error(`login failed: ${res.status} ${res.body}`);
  return cookie.split(';')[0]!;
}

/** POST /api/<command> with the given headers, through raw() so Host and Cookie are exactly ours. */
export function post(server: HeadlessServer, command: string, headers: Record<string, string>, body = '{}') {
  return raw({
    port: server.port,
    path: `/api/${command}`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    tls: server.secure,
  });
}
