// The loopback HTTP client at its edges, against a real local server: where the byte cap applies (declared
// and streamed), multi-chunk and empty bodies, replies cut off mid-way, pre-aborted signals, error wording.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpRequest, type HttpRequest } from '../../src/main/core/miners/http-client';

let server: http.Server;
let port: number;
const seen: { url: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    switch (req.url) {
      case '/declared-huge': // announces a body far over any cap, then sends almost nothing and waits
        res.writeHead(200, { 'Content-Length': String(10 * 1024 * 1024) });
        res.write('x');
        return;
      case '/exactly-100': // no Content-Length: streamed, exactly at the cap
        res.writeHead(200, { 'Transfer-Encoding': 'chunked' });
        res.end('y'.repeat(100));
        return;
      case '/declared-100':
        res.writeHead(200, { 'Content-Length': '100' }).end('z'.repeat(100));
        return;
      case '/chunks':
        res.writeHead(200, { 'Transfer-Encoding': 'chunked' });
        res.write('first,');
        setTimeout(() => res.end('second'), 20);
        return;
      case '/empty':
        res.writeHead(204).end();
        return;
      case '/cut': // headers and part of the body, then the connection dies
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('partial');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      case '/reset': // the connection dies before any reply
        req.socket.destroy();
        return;
      case '/hang':
        return;
      default:
        res.writeHead(200).end('ok');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const request = (path: string, extra: Partial<HttpRequest> = {}): Promise<{ status: number; body: string }> =>
  httpRequest({
    method: 'GET',
    host: '127.0.0.1',
    port,
    path,
    signal: AbortSignal.timeout(3000),
    maxBytes: 100,
    ...extra,
  });

describe('httpRequest edges', () => {
  it('refuses a reply by its declared length at once, without waiting for the body', async () => {
    const t0 = Date.now();
    await expect(request('/declared-huge', { signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({
      code: 'MINER_API',
      message: `Miner API at 127.0.0.1:${port} sent a response larger than 100 bytes; refusing to read it`,
    });
    expect(Date.now() - t0).toBeLessThan(4000); // well before the signal's deadline
  });

  it('accepts a body of exactly the cap, declared or streamed', async () => {
    expect(await request('/declared-100')).toEqual({ status: 200, body: 'z'.repeat(100) });
    expect(await request('/exactly-100')).toEqual({ status: 200, body: 'y'.repeat(100) });
    await expect(request('/exactly-100', { maxBytes: 99 })).rejects.toMatchObject({ code: 'MINER_API' });
  });

  it('joins a body that arrives in several chunks, and returns an empty one as ""', async () => {
    expect(await request('/chunks')).toEqual({ status: 200, body: 'first,second' });
    expect(await request('/empty')).toEqual({ status: 204, body: '' });
  });

  it('fails fast with MINER_API naming the miner when the reply is cut off', async () => {
    const t0 = Date.now();
    await expect(request('/cut', { maxBytes: 10_000 })).rejects.toMatchObject({
      code: 'MINER_API',
      message: `Miner API at 127.0.0.1:${port} closed the connection mid-reply (7 of 1000 bytes)`,
    });
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('words a dropped connection differently from a refused one', async () => {
    await expect(request('/reset')).rejects.toMatchObject({
      code: 'MINER_API',
      message: `Miner API at 127.0.0.1:${port} closed the connection without answering`,
    });
    await expect(request('/', { port: 1 })).rejects.toMatchObject({
      message: 'Miner API at 127.0.0.1:1 is not listening (connection refused)',
    });
  });

  it('names the miner in a timeout, and sends nothing for a signal that already fired', async () => {
    await expect(request('/hang', { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: `Miner API at 127.0.0.1:${port} did not answer in time`,
    });
    seen.length = 0;
    const aborted = AbortSignal.abort();
    await expect(request('/pre-aborted', { signal: aborted })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: `Miner API at 127.0.0.1:${port} did not answer in time`,
    });
    await request('/after'); // a later request reaches the server: the aborted one never did
    expect(seen.map((s) => s.url)).toEqual(['/after']);
  });

  it('sends a body with its byte length (XMRig wants a plain Content-Length, not chunks)', async () => {
    seen.length = 0;
    await request('/post', {
      method: 'POST',
      body: '{"ä":1}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(seen[0]!.headers['content-length']).toBe('8');
    expect(seen[0]!.headers['transfer-encoding']).toBeUndefined();
  });
});
