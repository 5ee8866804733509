// The loopback HTTP client against a real local server: bodies, status codes, the byte cap, aborts,
// refused connections and socket reuse across polls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpRequest } from './http-client';

let server: http.Server;
let port: number;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    sockets.add(req.socket);
    if (req.url === '/hang') return; // never answers
    if (req.url === '/huge') {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 120);
      for (let i = 0; i < 64; i++) res.write(chunk);
      res.end();
      return;
    }
    if (req.url === '/echo') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(201).end(`${req.method} ${req.headers.authorization} ${body}`));
      return;
    }
    res.writeHead(404, { 'Content-Length': '2' }).end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const base = (path: string, extra: Partial<Parameters<typeof httpRequest>[0]> = {}) => ({
  method: 'GET' as const,
  host: '127.0.0.1',
  port,
  path,
  signal: AbortSignal.timeout(2000),
  maxBytes: 1024,
  ...extra,
});

describe('httpRequest', () => {
  it('returns status and body, sending headers and a body', async () => {
    const res = await httpRequest(
      base('/echo', { method: 'POST', body: '{"a":1}', headers: { Authorization: 'Bearer t' } }),
    );
    expect(res).toEqual({ status: 201, body: 'POST Bearer t {"a":1}' });
    expect(await httpRequest(base('/missing'))).toEqual({ status: 404, body: 'no' });
  });

  it('refuses a body over the cap with MINER_API', async () => {
    await expect(httpRequest(base('/huge', { maxBytes: 100_000 }))).rejects.toMatchObject({
      code: 'MINER_API',
      message: expect.stringContaining('larger than 100000 bytes'),
    });
  });

  it('turns an abort into TIMEOUT and a closed port into MINER_API', async () => {
    await expect(httpRequest(base('/hang', { signal: AbortSignal.timeout(100) }))).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    await expect(httpRequest(base('/x', { port: 1 }))).rejects.toMatchObject({
      code: 'MINER_API',
      message: expect.stringContaining('connection refused'),
    });
  });

  it('reuses one keep-alive socket for sequential polls', async () => {
    sockets.clear();
    for (let i = 0; i < 5; i++) await httpRequest(base('/missing'));
    expect(sockets.size).toBe(1);
  });
});
