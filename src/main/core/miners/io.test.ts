// The real io against local servers on 127.0.0.1 port 0: TCP replies that never close, replies that end
// with a close, aborts, size limits; and the size-capped fetch body reader.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it, expect } from 'vitest';
import { MinerError } from '../../../shared/errors';
import { JsonObjectScanner, tcpRequest } from './io';

const servers: net.Server[] = [];

/** Starts a loopback server whose per-connection behaviour is `onLine(socket, requestText)`. */
async function serve(onRequest: (socket: net.Socket, request: string) => void): Promise<number> {
  const server = net.createServer((socket) => {
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.includes('\n')) onRequest(socket, buf);
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          // Hanging test connections must not keep close() waiting.
          (s as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    ),
  );
});

async function rejection(p: Promise<unknown>): Promise<MinerError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MinerError);
  return err as MinerError;
}

const LINE = '{"id":0,"jsonrpc":"2.0","method":"miner_getstat1"}\n';

describe('tcpRequest', () => {
  it('resolves on a complete JSON object even if the peer keeps the socket open', async () => {
    let seen = '';
    const port = await serve((socket, request) => {
      seen = request;
      // Split mid-object and include braces inside a string to exercise the scanner.
      socket.write('{"id":0,"result":["TT-Miner {x}","4');
      setTimeout(() => socket.write('2"]}'), 20);
    });
    const text = await tcpRequest('127.0.0.1', port, LINE, AbortSignal.timeout(5000), 1024);
    expect(JSON.parse(text)).toEqual({ id: 0, result: ['TT-Miner {x}', '42'] });
    expect(seen).toBe(LINE);
  });

  it('resolves with what arrived when the peer closes', async () => {
    const port = await serve((socket) => socket.end('{"id":0,"result":[]'));
    expect(await tcpRequest('127.0.0.1', port, LINE, AbortSignal.timeout(5000), 1024)).toBe(
      '{"id":0,"result":[]',
    );
  });

  it('rejects with TIMEOUT when aborted while the peer is silent', async () => {
    const port = await serve(() => undefined);
    const err = await rejection(tcpRequest('127.0.0.1', port, LINE, AbortSignal.timeout(100), 1024));
    expect(err.code).toBe('TIMEOUT');
  });

  it('rejects with TIMEOUT at once for an already aborted signal', async () => {
    const c = new AbortController();
    c.abort();
    expect((await rejection(tcpRequest('127.0.0.1', 1, LINE, c.signal, 1024))).code).toBe('TIMEOUT');
  });

  it('rejects with MINER_API past maxBytes', async () => {
    const port = await serve((socket) => socket.write(`{"result":["${'x'.repeat(5000)}`));
    const err = await rejection(tcpRequest('127.0.0.1', port, LINE, AbortSignal.timeout(5000), 1000));
    expect(err.code).toBe('MINER_API');
    expect(err.message).toMatch(/more than 1000 bytes/);
  });

  it('rejects with MINER_API when nothing listens or the peer closes silently', async () => {
    const closed = await serve(() => undefined);
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const refused = await rejection(tcpRequest('127.0.0.1', closed, LINE, AbortSignal.timeout(5000), 1024));
    expect(refused.code).toBe('MINER_API');

    const port = await serve((socket) => socket.end());
    const silent = await rejection(tcpRequest('127.0.0.1', port, LINE, AbortSignal.timeout(5000), 1024));
    expect(silent.message).toMatch(/without answering/);
  });
});

describe('JsonObjectScanner', () => {
  it('ignores braces inside strings and escaped quotes', () => {
    const s = new JsonObjectScanner();
    expect(s.push('{"a":"}\\"{"')).toBe(false);
    expect(s.push(',"b":{}}')).toBe(true);
  });
});
