// Connection limits: idle and half-open sockets cannot lock users out (the oldest idle one makes room),
// when every connection is busy the extra one gets 503, request headers must arrive in time, SSE is capped.
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { post, raw, startTestServer, TOKEN, type TestServer } from './support';

let t: TestServer;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await t?.close();
});

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', () => undefined); // evicted sockets see resets; that is the point
    s.once('error', reject);
    sockets.push(s);
  });
}

/** Resolves when the server closes this socket, with the bytes it sent first. */
function closedByServer(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (c: string) => (text += c));
    s.once('close', () => resolve(text));
  });
}

describe('connection limits', () => {
  it('keeps answering while hundreds of idle sockets are open: the oldest idle ones make room', async () => {
    t = await startTestServer({ limits: { maxConnections: 20 } });
    for (let i = 0; i < 300; i++) await openSocket(t.server.port);
    await expect.poll(() => t.server.connections.evicted, { timeout: 5000 }).toBeGreaterThanOrEqual(280);
    const started = Date.now();
    const res = await post(t.server, 'getSnapshot', { Authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000); // bounded, not after a timeout sweep
    expect(t.server.connections.open).toBeLessThanOrEqual(21);
  });

  it('answers 503 when every connection is busy, and never runs a request that arrives on it', async () => {
    t = await startTestServer({ limits: { maxConnections: 2, maxEventStreams: 5 } });
    const streams = [0, 1].map(() =>
      fetch(`${t.base}/api/events`, { headers: { Authorization: `Bearer ${TOKEN}` } }),
    );
    await Promise.all(streams);
    await expect.poll(() => t.server.events.size).toBe(2);
    const extra = await openSocket(t.server.port);
    const text = await closedByServer(extra);
    expect(text).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(t.server.connections.refused).toBe(1);
    expect(t.service.calls).toEqual([]);
    for (const s of await Promise.all(streams)) await s.body?.cancel();
  });

  it('closes a connection that does not finish its request headers in time', async () => {
    t = await startTestServer({ limits: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    const s = await openSocket(t.server.port);
    const started = Date.now();
    s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${t.server.port}\r\nX-Slow: `);
    const text = await closedByServer(s);
    const elapsed = Date.now() - started;
    expect(text).toContain('408'); // Node's answer to a request that timed out
    // 300 ms plus the 300 ms check period; the margin covers a loaded machine, not Node's 30 s default sweep.
    expect(elapsed).toBeLessThan(5000);
  });

  it('caps event streams and refuses the extra one with 503 and Retry-After', async () => {
    t = await startTestServer({ limits: { maxEventStreams: 2 } });
    const streams = [0, 1].map(() =>
      fetch(`${t.base}/api/events`, { headers: { Authorization: `Bearer ${TOKEN}` } }),
    );
    await Promise.all(streams);
    const extra = await raw({
      port: t.server.port,
      path: '/api/events',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(extra.status).toBe(503);
    expect(extra.headers['retry-after']).toBe('10');
    expect(JSON.parse(extra.body).error.message).toMatch(/Too many event streams/);
    for (const s of await Promise.all(streams)) await s.body?.cancel();
    await expect.poll(() => t.server.events.size).toBe(0);
    const again = await fetch(`${t.base}/api/events`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});
