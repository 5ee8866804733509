// Server-Sent Events fan-out of the contract's events. A slow client never grows memory: while its
// socket is congested, stats batches are dropped (the next one supersedes them) and others queue up to a bound.
import type { ServerResponse } from 'node:http';
import { EVENT_NAMES, type EventName, type EventPayloads } from '../../shared/contract';
import type { ServiceApi } from '../service/types';

const MAX_QUEUED = 500;

class SseClient {
  private congested = false;
  private readonly queue: string[] = [];

  constructor(private readonly res: ServerResponse) {
    res.on('drain', () => this.drain());
  }

  send(event: EventName, payload: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    if (this.congested) {
      if (event === 'stats') return;
      if (this.queue.length >= MAX_QUEUED) this.queue.shift();
      this.queue.push(frame);
      return;
    }
    this.congested = !this.res.write(frame);
  }

  comment(text: string): void {
    if (!this.congested) this.congested = !this.res.write(`: ${text}\n\n`);
  }

  private drain(): void {
    this.congested = false;
    while (this.queue.length > 0 && !this.congested) this.congested = !this.res.write(this.queue.shift()!);
  }
}

export class SseHub {
  private readonly clients = new Set<SseClient>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly heartbeat: ReturnType<typeof setInterval>;

  constructor(
    private readonly service: Pick<ServiceApi, 'on' | 'setViewers'>,
    heartbeatMs = 15_000,
  ) {
    for (const name of EVENT_NAMES) {
      this.unsubscribe.push(
        service.on(name, (payload: EventPayloads[typeof name]) => {
          for (const c of this.clients) c.send(name, payload);
        }),
      );
    }
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.comment('keep-alive');
    }, heartbeatMs);
    this.heartbeat.unref();
    // No browser yet: nobody watches live stats.
    this.service.setViewers?.('sse', 0);
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client = new SseClient(res);
    this.clients.add(client);
    // Nobody watching: the service polls miners less often (see MinerManager.setViewers).
    this.service.setViewers?.('sse', this.clients.size);
    res.on('close', () => {
      this.clients.delete(client);
      this.service.setViewers?.('sse', this.clients.size);
    });
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const u of this.unsubscribe) u();
    this.clients.clear();
  }
}
