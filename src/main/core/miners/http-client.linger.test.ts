// After the answer: a connection the server keeps open is dropped by the sweep one to two linger periods
// later, one the server closes is forgotten, and the sweep stops once nothing lingers (interval and clock
// faked, sockets real). Also the exact wording of refused paths and headers and of a reset connection.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import net, { type AddressInfo } from 'node:net';
import { httpRequest } from './http-client';

let server: net.Server;
let port: number;
/** What the server does once it has a whole request. */
let onRequest: (socket: net.Socket) => void = (s) => s.end();

beforeAll(async () => {
  server = net.createServer((socket) => {
    let got = '';
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) onRequest(socket);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const REPLY = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}';
const LINGER_MS = 2000;

const request = (path = '/', headers: Record<string, string> = {}) =>
  httpRequest({
    method: 'GET',
    host: '127.0.0.1',
    port,
    path,
    headers,
    signal: AbortSignal.timeout(3000),
    maxBytes: 100,
  });

/** The client's socket of the next request. */
function nextClientSocket(): Promise<net.Socket> {
  const connect = net.connect.bind(net);
  return new Promise((resolve) => {
    const spy = vi.spyOn(net, 'connect').mockImplementationOnce(((
      ...args: Parameters<typeof net.connect>
    ) => {
      const socket = connect(...args);
      spy.mockRestore();
      resolve(socket);
      return socket;
    }) as typeof net.connect);
  });
}

describe('lingering connections', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('keeps a connection the server holds open through one sweep, drops it at the next, then stops', async () => {
    const serverSide = new Promise<net.Socket>((resolve) => {
      onRequest = (s) => {
        s.write(REPLY);
        resolve(s);
      };
    });
    const client = nextClientSocket();
    expect(await request('/held')).toEqual({ status: 200, body: '{}' });
    const socket = await client;
    const held = await serverSide;
    expect(vi.getTimerCount()).toBe(1); // the sweep

    vi.advanceTimersByTime(LINGER_MS); // answered exactly one linger period ago: not yet
    expect(socket.destroyed).toBe(false);
    expect(vi.getTimerCount()).toBe(1);

    vi.advanceTimersByTime(LINGER_MS);
    expect(socket.destroyed).toBe(true);
    expect(vi.getTimerCount()).toBe(0); // nothing lingers: no sweep left running
    await new Promise((r) => held.once('close', r));
  });

  it('forgets a connection the server closed itself, and stops sweeping at the next round', async () => {
    onRequest = (s) => s.end(REPLY);
    const client = nextClientSocket();
    expect(await request('/closing')).toEqual({ status: 200, body: '{}' });
    const socket = await client;
    if (!socket.closed) await new Promise((r) => socket.once('close', r));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(LINGER_MS);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('starts the sweep again for a later answer', async () => {
    onRequest = (s) => s.end(REPLY);
    const first = nextClientSocket();
    await request('/one');
    const a = await first;
    if (!a.closed) await new Promise((r) => a.once('close', r));
    vi.advanceTimersByTime(LINGER_MS);
    expect(vi.getTimerCount()).toBe(0);
    onRequest = (s) => s.write(REPLY);
    const second = nextClientSocket();
    await request('/two');
    const b = await second;
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(2 * LINGER_MS);
    expect(b.destroyed).toBe(true);
  });
});

describe('refusals and errors, word for word', () => {
  it('refuses a path that does not start with a slash or holds a space or control character', async () => {
    for (const path of ['api/v1', 'http://evil/x', '/x y', '/x\r\nHost: evil', '']) {
      await expect(request(path), path).rejects.toMatchObject({
        code: 'INTERNAL',
        message: `Refusing to request the malformed path ${JSON.stringify(path)}`,
      });
    }
  });

  it('refuses a header name or value that would split the request', async () => {
    onRequest = (s) => s.end(REPLY);
    for (const [name, value] of [
      ['X-A', 'v\r\nX-Evil: 1'],
      ['X-A\n', 'v'],
      ['X-A: b', 'v'],
      ['X-A', 'v\0'],
    ] as const) {
      await expect(request('/', { [name]: value }), name).rejects.toMatchObject({
        code: 'INTERNAL',
        message: `Refusing to send the malformed header ${JSON.stringify(name)}`,
      });
    }
  });

  it('words a connection reset by the peer with the system error', async () => {
    onRequest = (s) => s.resetAndDestroy();
    await expect(request('/rst')).rejects.toMatchObject({
      code: 'MINER_API',
      message: `Miner API at 127.0.0.1:${port} failed: read ECONNRESET`,
    });
  });
});
