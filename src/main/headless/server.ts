// The headless transport: every contract command as POST /api/<command>, events as SSE at
// GET /api/events, and the built renderer, all behind the token, the Host allow-list and same-origin.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCommandName } from '../../shared/contract';
import { httpStatusFor, MinerError, toErrorPayload } from '../../shared/errors';
import type { ServiceApi } from '../service/types';
import { allowedHosts, checkAccess, COOKIE_NAME, tokensEqual } from './auth';
import { SseHub } from './sse';
import { securityHeaders, serveStatic } from './static-files';

export interface HeadlessOptions {
  service: ServiceApi;
  host: string;
  port: number;
  token: string;
  staticDir: string | null;
}

export interface HeadlessServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, err: unknown): void {
  const payload = toErrorPayload(err);
  sendJson(res, httpStatusFor(payload.code), { error: payload });
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new MinerError('INVALID_INPUT', 'Request body is larger than 1 MiB');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MinerError('INVALID_INPUT', 'Request body is not valid JSON');
  }
}

export async function startHeadlessServer(opts: HeadlessOptions): Promise<HeadlessServer> {
  const hub = new SseHub(opts.service);
  let hosts: Set<string> | 'any' = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    // The printed URL carries ?token=...: trade it for an HttpOnly cookie and drop it from the address bar.
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && queryToken !== null && !url.pathname.startsWith('/api/')) {
      if (!tokensEqual(queryToken, opts.token)) {
        sendJson(res, 401, { error: { code: 'UNAUTHORIZED', message: 'Wrong access token in the URL' } });
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${COOKIE_NAME}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    const access = checkAccess(req, opts.token, hosts);
    if (!access.ok) {
      sendJson(res, access.status, { error: { code: access.code, message: access.message } });
      return;
    }
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET')
        return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Use GET' } });
      hub.attach(res);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const name = url.pathname.slice('/api/'.length);
      if (!isCommandName(name)) {
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `Unknown command "${name}"` } });
      }
      if (req.method !== 'POST') {
        return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: `Use POST /api/${name}` } });
      }
      try {
        const body = await readJsonBody(req);
        sendJson(res, 200, await opts.service.invoke(name, body));
      } catch (err) {
        sendError(res, err);
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Method not allowed' } });
    }
    if (!opts.staticDir) {
      res.writeHead(404).end('No UI is served by this instance');
      return;
    }
    await serveStatic(opts.staticDir, url.pathname, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err);
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(opts.host, port);
  const displayHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server,
    port,
    url: `http://${displayHost === '0.0.0.0' ? '127.0.0.1' : displayHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        hub.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
