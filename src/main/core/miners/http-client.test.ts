// The loopback HTTP client against real local servers: node:http for ordinary replies and a raw TCP
// server for what node:http would never send (a reply written twice, truncated bodies, garbage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { httpRequest } from './http-client';

let server: http.Server;
let port: number;
let raw: net.Server;
let rawPort: number;
/** What the raw server answers next, and every request it received. */
let rawReply: (socket: net.Socket) => void = (s) => s.end();
const rawRequests: string[] = [];
const connections = new Set<unknown>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    connections.add(req.socket);
    if (req.url === '/hang') return; // never answers
    if (req.url === '/huge') {
      res.writeHead(200); // chunked: no Content-Length
      const chunk = Buffer.alloc(64 * 1024, 120);
      for (let i = 0; i < 64; i++) res.write(chunk);
      res.end();
      return;
    }
    if (req.url === '/chunked') {
      res.writeHead(200);
      res.write('{"a":');
      setTimeout(() => res.end('1}'), 20);
      return;
    }
    if (req.url === '/echo') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () =>
        res
          .writeHead(201)
          .end(`${req.method} ${req.headers.authorization} ${req.headers.connection} ${body}`),
      );
      return;
    }
    res.writeHead(404, { 'Content-Length': '2' }).end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  raw = net.createServer((socket) => {
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) {
        rawRequests.push(got);
        rawReply(socket);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  rawPort = (raw.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => raw.close(r));
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

const reply = (status: string, headers: string[], body: string) =>
  `HTTP/1.1 ${status}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;

describe('httpRequest', () => {
  it('returns status and body, sending headers, a body and Connection: close', async () => {
    const res = await httpRequest(
      base('/echo', { method: 'POST', body: '{"a":1}', headers: { Authorization: 'Bearer t' } }),
    );
    expect(res).toEqual({ status: 201, body: 'POST Bearer t close {"a":1}' });
    expect(await httpRequest(base('/missing'))).toEqual({ status: 404, body: 'no' });
  });

  it('reads chunked and read-to-close bodies', async () => {
    expect(await httpRequest(base('/chunked'))).toEqual({ status: 200, body: '{"a":1}' });
    rawReply = (s) => s.end(reply('200 OK', ['Connection: close'], '{"b":2}'));
    expect(await httpRequest(base('/x', { port: rawPort }))).toEqual({ status: 200, body: '{"b":2}' });
  });

  it('takes the first complete response and ignores a second copy on the same connection (XMRig json_rpc)', async () => {
    const one = reply('200 OK', ['Connection: close', 'Content-Length: 7'], '{"r":1}');
    rawReply = (s) => {
      s.write(one);
      s.end(one);
    };
    expect(await httpRequest(base('/json_rpc', { port: rawPort, method: 'POST', body: '{}' }))).toEqual({
      status: 200,
      body: '{"r":1}',
    });
    // and garbage after the response does not matter either
    rawReply = (s) => s.end(`${reply('204 NO_CONTENT', ['Connection: close'], '')}garbage`);
    expect(await httpRequest(base('/1/config', { port: rawPort, method: 'PUT', body: '{}' }))).toEqual({
      status: 204,
      body: '',
    });
  });

  it('refuses a body over the cap, declared or streamed, with MINER_API', async () => {
    await expect(httpRequest(base('/huge', { maxBytes: 100_000 }))).rejects.toMatchObject({
      code: 'MINER_API',
      message: expect.stringContaining('larger than 100000 bytes'),
    });
    rawReply = (s) => s.end(reply('200 OK', ['Content-Length: 5000'], 'x'.repeat(5000)));
    await expect(httpRequest(base('/x', { port: rawPort }))).rejects.toMatchObject({
      code: 'MINER_API',
      message: expect.stringContaining('larger than 1024 bytes'),
    });
  });

  it('says when the miner closed mid-reply or answered something that is not HTTP', async () => {
    rawReply = (s) => s.end(reply('200 OK', ['Content-Length: 100'], '{"cut'));
    await expect(httpRequest(base('/x', { port: rawPort }))).rejects.toMatchObject({
      code: 'MINER_API',
      message: expect.stringContaining('closed the connection mid-reply (5 of 100 bytes)'),
    });
    rawReply = (s) => s.end();
    await expect(httpRequest(base('/x', { port: rawPort }))).rejects.toMatchObject({
      message: expect.stringContaining('closed the connection without answering'),
    });
    rawReply = (s) => s.end('{"jsonrpc":"2.0"}\n\r\n\r\n');
    await expect(httpRequest(base('/x', { port: rawPort }))).rejects.toMatchObject({
      message: expect.stringContaining('did not answer with HTTP'),
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

  it('opens one connection per request, like XMRig forces, and refuses header injection', async () => {
    connections.clear();
    for (let i = 0; i < 3; i++) await httpRequest(base('/missing'));
    expect(connections.size).toBe(3);
    await expect(
      httpRequest(base('/x', { headers: { Authorization: 'Bearer t\r\nX-Evil: 1' } })),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(httpRequest(base('/x y'))).rejects.toMatchObject({ code: 'INTERNAL' });
    rawRequests.length = 0;
    rawReply = (s) => s.end(reply('200 OK', ['Content-Length: 2'], '{}'));
    await httpRequest(base('/2/summary', { port: rawPort, headers: { Authorization: 'Bearer k' } }));
    expect(rawRequests[0]).toBe(
      `GET /2/summary HTTP/1.1\r\nHost: 127.0.0.1:${rawPort}\r\nConnection: close\r\nAuthorization: Bearer k\r\n\r\n`,
    );
  });

  it('drops a connection the server keeps open after its answer, and lets a closing one close itself', async () => {
    // The server answers but never closes: the sweep must drop it within two linger periods (2 s each).
    const held = new Promise<'closed by the client'>((resolve) => {
      rawReply = (s) => {
        s.write(reply('200 OK', ['Content-Length: 2'], '{}'));
        s.on('close', () => resolve('closed by the client'));
      };
    });
    expect(await httpRequest(base('/held', { port: rawPort }))).toEqual({ status: 200, body: '{}' });
    // The ordinary case in the same sweep: the server closes first, and nothing is destroyed for it.
    let endedByServer = false;
    rawReply = (s) => {
      s.end(reply('200 OK', ['Content-Length: 2'], '{}'));
      s.on('end', () => (endedByServer = true));
    };
    expect(await httpRequest(base('/closing', { port: rawPort }))).toEqual({ status: 200, body: '{}' });
    expect(await held).toBe('closed by the client');
    // The client ended its side in reply to the server's FIN (not a drop: 'end' means a clean FIN).
    expect(endedByServer).toBe(true);
  }, 10_000);
});
