// The SSE hub tells the service how many browsers watch live stats, and the manager polls miners less
// often while there are none (and samples at once when one arrives).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SseHub } from '../../src/main/headless/sse';
import { FakeWorld, validStart } from '../support/fake-world';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('live viewers', () => {
  it('SSE clients are counted as they come and go', async () => {
    const counts: number[] = [];
    const hub = new SseHub({ on: () => () => {}, setViewers: (_source, n) => counts.push(n) });
    const server = http.createServer((_req, res) => hub.attach(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(
      () => new Promise<void>((r) => server.close(() => r())),
      () => hub.close(),
    );
    const port = (server.address() as AddressInfo).port;
    const open = () =>
      new Promise<http.ClientRequest>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/' }, () => resolve(req));
      });
    const a = await open();
    const b = await open();
    expect(counts).toEqual([0, 1, 2]);
    a.destroy();
    b.destroy();
    // The server sees the closes when it sees them (slow on a loaded machine): wait for the last one.
    await vi.waitFor(() => expect(counts).toHaveLength(5), { timeout: 10_000 });
    expect(counts.slice(-2)).toEqual([1, 0]);
    server.closeAllConnections();
  });

  it('with no viewer the manager polls at the background interval; a viewer brings the user interval and a sample at once', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ statsIntervalMs: 5000, backgroundStatsIntervalMs: 10_000 });
    closers.push(() => manager.shutdown());
    await manager.start(validStart('a'));
    manager.startCollector();
    expect(manager.watched).toBe(true); // unknown: treated as watched
    expect(manager.statsInterval).toBe(5000);
    manager.setViewers(0);
    expect(manager.watched).toBe(false);
    expect(manager.statsInterval).toBe(10_000);
    const polls = world.statsCalls.length;
    manager.setViewers(1);
    expect(manager.statsInterval).toBe(5000);
    // At once: long before the 5 s interval could bring it (readiness, not a fixed sleep).
    await vi.waitFor(() => expect(world.statsCalls.length).toBe(polls + 1), { timeout: 4000 });
    // the user's own interval applies while watched; the background one never polls faster than it
    manager.setStatsInterval(2000);
    expect(manager.statsInterval).toBe(2000);
    manager.setViewers(0);
    manager.setStatsInterval(30_000);
    expect(manager.statsInterval).toBe(30_000);
  });
});
