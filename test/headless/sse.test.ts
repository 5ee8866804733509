// SSE back-pressure: a congested client's backlog is bounded in bytes (stats and snapshots coalesce, log
// batches drop oldest first with a marker), a client that stays behind is cut off, and it leaves nothing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import type { ServerResponse } from 'node:http';
import { SseHub } from '../../src/main/headless/sse';
import type { LogLine, MinerSnapshot } from '../../src/shared/model';
import type { StatsBatch } from '../../src/shared/contract';
import { ScriptedService, startTestServer, TOKEN, type TestServer } from './support';

/** A response whose socket the test congests and drains by hand. */
class FakeResponse extends EventEmitter {
  frames: string[] = [];
  congested = false;
  unsent = 0;
  destroyed = false;
  ended = false;

  writeHead(): this {
    return this;
  }

  write(chunk: string): boolean {
    if (this.destroyed || this.ended) return false;
    this.frames.push(chunk);
    if (this.congested) this.unsent += Buffer.byteLength(chunk);
    return !this.congested;
  }

  get writableLength(): number {
    return this.unsent;
  }

  /** The socket caught up: everything unsent went out. */
  drainNow(): void {
    this.congested = false;
    this.unsent = 0;
    this.emit('drain');
  }

  end(): void {
    this.ended = true;
    this.emit('close');
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }

  events(name: string): unknown[] {
    return this.frames
      .filter((f) => f.startsWith(`event: ${name}\n`))
      .map((f) => JSON.parse(f.slice(f.indexOf('data: ') + 6)) as unknown);
  }
}

let seq = 0;
function logBatch(id: string, lines: number, bytesPerLine: number) {
  const out: LogLine[] = [];
  for (let i = 0; i < lines; i++)
    out.push({ seq: seq++, at: 0, stream: 'stdout', text: 'x'.repeat(bytesPerLine), generation: 1 });
  return { id, lines: out };
}
const stats = (at: number): StatsBatch => ({ at, miners: [] });
const state = (id: string, s: string) => ({ id, state: s }) as unknown as MinerSnapshot;

function setup(limits = { maxQueuedBytes: 10_000, maxBehindMs: 1000, heartbeatMs: 60_000 }) {
  const service = new ScriptedService();
  const hub = new SseHub(service, limits);
  const res = new FakeResponse();
  hub.attach(res as unknown as ServerResponse);
  res.frames = []; // the retry: preamble
  return { service, hub, res };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SseHub back-pressure (scripted socket)', () => {
  it('writes straight through while the socket keeps up', () => {
    const { service, res } = setup();
    service.emit('stats', stats(1));
    service.emit('stats', stats(2));
    expect(res.events('stats')).toEqual([stats(1), stats(2)]);
  });

  it('keeps only the newest stats and the newest state per miner while congested', () => {
    const { service, res } = setup();
    res.congested = true;
    service.emit('stats', stats(1)); // written, and the socket reports congestion
    for (let at = 2; at <= 50; at++) service.emit('stats', stats(at));
    service.emit('minerState', state('a', 'starting'));
    service.emit('minerState', state('b', 'running'));
    service.emit('minerState', state('a', 'running'));
    res.frames = [];
    res.drainNow();
    expect(res.events('stats')).toEqual([stats(50)]);
    expect(res.events('minerState')).toEqual([state('b', 'running'), state('a', 'running')]);
  });

  it('drops the oldest log batches beyond the byte cap and marks the gap where it was', () => {
    const { service, hub, res } = setup();
    res.congested = true;
    seq = 0;
    service.emit('log', logBatch('a', 1, 10)); // seq 0, written
    for (let i = 0; i < 20; i++) service.emit('log', logBatch('a', 10, 100)); // ~1 KB each: 20 KB > 10 KB cap
    expect(hub.stats()[0]!.pendingBytes).toBeLessThanOrEqual(10_000);
    expect(hub.stats()[0]!.droppedLines).toBeGreaterThan(0);
    res.frames = [];
    res.drainNow();
    const batches = res.events('log') as { id: string; lines: LogLine[] }[];
    const marker = batches[0]!.lines[0]!;
    expect(marker.stream).toBe('system');
    expect(marker.text).toMatch(/^\[hashdeck\] \d+ log lines were not sent to this browser/);
    const dropped = hub.stats()[0]!.droppedLines;
    expect(marker.text).toContain(`${dropped} log lines`);
    // The marker sits between the last dropped line and the first line that follows.
    const firstKept = batches[1]!.lines[0]!.seq;
    expect(marker.seq).toBe(firstKept - 0.5);
    const seqs = batches.flatMap((b) => b.lines.map((l) => l.seq));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(seqs.at(-1)).toBe(seq - 1); // the newest lines always arrive
  });

  it('disconnects a client that stays over the cap for maxBehindMs, and holds nothing after', () => {
    vi.useFakeTimers();
    const { service, hub, res } = setup();
    res.congested = true;
    for (let i = 0; i < 30; i++) service.emit('log', logBatch('a', 10, 100));
    expect(hub.stats()[0]!.behind).toBe(true);
    vi.advanceTimersByTime(999);
    expect(res.destroyed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(res.destroyed).toBe(true);
    expect(hub.size).toBe(0);
    service.emit('log', logBatch('a', 10, 100)); // nobody holds it
    expect(hub.stats()).toEqual([]);
  });

  it('forgives a client that catches up in time', () => {
    vi.useFakeTimers();
    const { service, hub, res } = setup();
    res.congested = true;
    for (let i = 0; i < 30; i++) service.emit('log', logBatch('a', 10, 100));
    vi.advanceTimersByTime(500);
    res.drainNow();
    expect(hub.stats()[0]).toMatchObject({ behind: false, pendingBytes: 0 });
    vi.advanceTimersByTime(5000);
    expect(res.destroyed).toBe(false);
  });

  it('disconnects at once when snapshots alone exceed the cap (nothing left to drop)', () => {
    const { service, res } = setup({ maxQueuedBytes: 500, maxBehindMs: 60_000, heartbeatMs: 60_000 });
    res.congested = true;
    service.emit('stats', stats(0));
    for (let i = 0; i < 10; i++)
      service.emit('minerState', { id: `m${i}`, pad: 'x'.repeat(100) } as unknown as MinerSnapshot);
    expect(res.destroyed).toBe(true);
  });
});

describe('SseHub over a real socket', () => {
  let t: TestServer;
  afterEach(() => t?.close());

  it('bounds a stalled client’s memory under a 1 MB-per-batch log flood and then cuts it off', async () => {
    const cap = 2 * 1024 * 1024;
    t = await startTestServer({ limits: { sse: { maxQueuedBytes: cap, maxBehindMs: 300 } } });
    // A client that asks for the stream and never reads a byte.
    const socket = connect(t.server.port, '127.0.0.1');
    socket.pause();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(
      `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${t.server.port}\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
    );
    await expect.poll(() => t.server.events.size).toBe(1);
    let maxPending = 0;
    let biggestFrame = 0;
    for (let i = 0; i < 40 && t.server.events.size > 0; i++) {
      const batch = logBatch('flood', 1000, 1100); // ~1.1 MB, the size seen from a flooding miner
      biggestFrame = Math.max(biggestFrame, JSON.stringify(batch).length + 30);
      t.service.emit('log', batch);
      maxPending = Math.max(maxPending, ...t.server.events.stats().map((s) => s.pendingBytes));
      await new Promise((r) => setImmediate(r));
    }
    // The queue stays under the cap; the socket may hold one frame written before it reported congestion.
    expect(maxPending).toBeLessThanOrEqual(cap + biggestFrame);
    await expect.poll(() => t.server.events.size, { timeout: 5000 }).toBe(0);
    expect(t.server.connections.open).toBe(0); // the server closed the socket, not only the stream
    socket.resume(); // the client sees the end once it reads what reached it
    await closed;
  });
});
