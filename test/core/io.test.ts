// The Claymore TCP exchange and its JSON scanner at the edges: nested objects, empty strings, braces in
// strings, a stray closing brace, the exact byte cap, and the wording users see for each failure.
import { getEventListeners } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonObjectScanner, tcpRequest } from '../../src/main/core/miners/io';

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

async function serve(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy(); // net.Server.close waits for open connections
  sockets.clear();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
        }),
    ),
  );
});

const LINE = '{"id":0,"jsonrpc":"2.0","method":"miner_getstat1"}\n';
const ask = (port: number, maxBytes = 1024, signal = AbortSignal.timeout(5000)) =>
  tcpRequest('127.0.0.1', port, LINE, signal, maxBytes);

describe('JsonObjectScanner', () => {
  it('completes only when the outermost object closes', () => {
    const s = new JsonObjectScanner();
    expect(s.push('{"a":{"b":1}')).toBe(false);
    expect(s.push(',"c":[{}]')).toBe(false);
    expect(s.push('}')).toBe(true);
  });

  it('handles empty strings and braces inside strings', () => {
    expect(new JsonObjectScanner().push('{"":1}')).toBe(true);
    expect(new JsonObjectScanner().push('{"key}":')).toBe(false);
    expect(new JsonObjectScanner().push('{"a":"\\\\"}')).toBe(true); // an escaped backslash ends the escape
  });

  it('is not fooled by a closing brace before any object started', () => {
    const s = new JsonObjectScanner();
    expect(s.push('} ')).toBe(false);
    expect(s.push('{"a":1}')).toBe(true);
  });

  it('stays complete once complete', () => {
    const s = new JsonObjectScanner();
    expect(s.push('{}')).toBe(true);
    expect(s.push('{')).toBe(true);
  });
});

describe('tcpRequest edges', () => {
  it('accepts a reply of exactly maxBytes', async () => {
    const reply = `{"r":"${'x'.repeat(92)}"}`; // 100 bytes
    expect(Buffer.byteLength(reply)).toBe(100);
    const port = await serve((socket) => socket.once('data', () => socket.write(reply)));
    expect(await ask(port, 100)).toBe(reply);
  });

  it('decodes a multi-byte reply split across chunks', async () => {
    const reply = Buffer.from('{"pool":"zürich"}');
    const port = await serve((socket) =>
      socket.once('data', () => {
        socket.write(reply.subarray(0, 12)); // splits the ü
        setTimeout(() => socket.write(reply.subarray(12)), 20);
      }),
    );
    expect(await ask(port)).toBe('{"pool":"zürich"}');
  });

  it('names the miner and the reason in each failure', async () => {
    const silent = await serve((socket) => socket.once('data', () => socket.end()));
    await expect(ask(silent)).rejects.toMatchObject({
      code: 'MINER_API',
      message: `Miner API at 127.0.0.1:${silent} closed the connection without answering`,
    });

    const closed = await serve(() => undefined);
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    await expect(ask(closed)).rejects.toMatchObject({
      code: 'MINER_API',
      message: `Miner API at 127.0.0.1:${closed} is not listening (connection refused)`,
    });

    const reset = await serve((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await expect(ask(reset)).rejects.toMatchObject({
      code: 'MINER_API',
      message: `Miner API at 127.0.0.1:${reset} failed: read ECONNRESET`,
    });

    const hang = await serve(() => undefined);
    await expect(ask(hang, 1024, AbortSignal.timeout(50))).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: `Miner API at 127.0.0.1:${hang} did not answer in time`,
    });
    await expect(ask(hang, 1024, AbortSignal.abort())).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: `Miner API at 127.0.0.1:${hang} did not answer in time`,
    });
  });
});

describe('tcpRequest clean-up', () => {
  // The poller shares one signal among the requests of a tick: a listener left behind per request
  // would pile up on a long-lived signal (and keep every finished socket reachable).
  it('leaves no abort listener behind, whether it answered, failed or timed out', async () => {
    const controller = new AbortController();
    const listeners = () => getEventListeners(controller.signal, 'abort').length;

    const answers = await serve((socket) => socket.once('data', () => socket.write('{"ok":1}')));
    expect(await ask(answers, 1024, controller.signal)).toBe('{"ok":1}');
    expect(listeners()).toBe(0);

    const silent = await serve((socket) => socket.once('data', () => socket.end()));
    await expect(ask(silent, 1024, controller.signal)).rejects.toMatchObject({ code: 'MINER_API' });
    expect(listeners()).toBe(0);

    const hang = await serve(() => undefined);
    const pending = ask(hang, 1024, controller.signal);
    expect(listeners()).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(listeners()).toBe(0);
  });
});
