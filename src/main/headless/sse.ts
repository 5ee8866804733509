// Server-Sent Events fan-out of the contract's events. Each client's backlog is bounded in bytes: while its
// socket is congested, snapshots coalesce (newest wins), log batches are dropped oldest first with a marker,
// and a client that stays behind is disconnected (it reconnects and resyncs). Nothing outlives a client.
import type { ServerResponse } from 'node:http';
import { EVENT_NAMES, type EventName, type EventPayloads } from '../../shared/contract';
import type { LogLine } from '../../shared/model';
import type { ServiceApi } from '../service/types';

export interface SseLimits {
  /** Bytes one client may have waiting (our queue plus the socket's unsent buffer) before data is dropped. */
  maxQueuedBytes: number;
  /** A client that cannot catch up for this long is disconnected. */
  maxBehindMs: number;
  /** Comment frames keep proxies and browsers from timing out an idle stream. */
  heartbeatMs: number;
}

export const DEFAULT_SSE_LIMITS: SseLimits = {
  maxQueuedBytes: 2 * 1024 * 1024,
  maxBehindMs: 15_000,
  heartbeatMs: 15_000,
};

interface Pending {
  frame: string;
  bytes: number;
  /** Entries with the same key replace each other: only the newest snapshot matters. */
  key: string | null;
  /** Set on log batches, the only events that may be dropped. */
  log: { id: string; lastSeq: number; generation: number; lines: number } | null;
}

interface Dropped {
  lines: number;
  lastSeq: number;
  generation: number;
}

export interface AttachOptions {
  /** Checked at every heartbeat (and renews what it checks): false ends the stream, e.g. a revoked session. */
  stillAuthorized?: () => boolean;
  /** Streams with the same tag can be ended together (the session that opened them logs out). */
  tag?: string;
}

function frameOf(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Full snapshots replace older ones of the same thing; log lines and notices are not snapshots. */
function coalesceKey(event: EventName, payload: unknown): string | null {
  switch (event) {
    case 'stats':
    case 'profiles':
    case 'settings':
    case 'binaries':
    case 'installs':
      return event;
    case 'minerState':
      return `minerState:${(payload as EventPayloads['minerState']).id}`;
    case 'installProgress':
      // The newest state of an install carries everything the older ones did (its final state included).
      return `installProgress:${(payload as EventPayloads['installProgress']).installId}`;
    default:
      return null;
  }
}

/**
 * The line a client gets where log lines were dropped. Its seq sits between the last dropped line and the
 * next real one, so the console's seq ordering and de-duplication keep it in place.
 */
export function droppedMarker(dropped: Dropped, at: number): LogLine {
  const what = dropped.lines === 1 ? '1 log line was' : `${dropped.lines} log lines were`;
  return {
    seq: dropped.lastSeq + 0.5,
    at,
    stream: 'system',
    text: `[hashdeck] ${what} not sent to this browser because its connection fell behind; reopen the console to reload the backlog.`,
    generation: dropped.generation,
  };
}

class SseClient {
  private congested = false;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private readonly dropped = new Map<string, Dropped>();
  private behindTimer: ReturnType<typeof setTimeout> | null = null;
  closed = false;
  droppedLines = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly limits: SseLimits,
    readonly options: AttachOptions,
    private readonly now: () => number,
  ) {
    res.on('drain', () => this.drain());
  }

  /** Bytes this client holds in memory right now: our queue and what the socket has not sent yet. */
  get pendingBytes(): number {
    return this.closed ? 0 : this.queuedBytes + this.res.writableLength;
  }

  get isBehind(): boolean {
    return this.behindTimer !== null;
  }

  send(event: EventName, payload: unknown): void {
    if (this.closed) return;
    const frame = frameOf(event, payload);
    if (!this.congested && this.queue.length === 0 && this.dropped.size === 0) {
      this.congested = !this.res.write(frame);
      return;
    }
    let log: Pending['log'] = null;
    if (event === 'log') {
      const batch = payload as EventPayloads['log'];
      const last = batch.lines.at(-1);
      if (last)
        log = { id: batch.id, lastSeq: last.seq, generation: last.generation, lines: batch.lines.length };
    }
    this.enqueue({ frame, bytes: Buffer.byteLength(frame), key: coalesceKey(event, payload), log });
  }

  comment(text: string): void {
    if (!this.closed && !this.congested) this.congested = !this.res.write(`: ${text}\n\n`);
  }

  end(reason: string): void {
    if (this.closed) return;
    this.comment(reason);
    this.release();
    this.res.end();
  }

  /** Frees everything this client holds; called once its response is closed for any reason. */
  release(): void {
    this.closed = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.dropped.clear();
    if (this.behindTimer) clearTimeout(this.behindTimer);
    this.behindTimer = null;
  }

  private enqueue(entry: Pending): void {
    if (entry.key !== null) {
      const i = this.queue.findIndex((p) => p.key === entry.key);
      if (i >= 0) this.remove(i);
    }
    this.queue.push(entry);
    this.queuedBytes += entry.bytes;
    let overCap = false;
    while (this.pendingBytes > this.limits.maxQueuedBytes) {
      overCap = true;
      const i = this.queue.findIndex((p) => p.log !== null);
      if (i < 0) {
        // Only snapshots and notices are left and they still do not fit: this client cannot keep up.
        this.disconnect();
        return;
      }
      this.dropLog(i);
    }
    if (overCap) this.markBehind();
  }

  private remove(i: number): Pending {
    const [entry] = this.queue.splice(i, 1);
    this.queuedBytes -= entry!.bytes;
    return entry!;
  }

  private dropLog(i: number): void {
    const { log } = this.remove(i);
    if (!log) return;
    const prior = this.dropped.get(log.id);
    this.dropped.set(log.id, {
      lines: (prior?.lines ?? 0) + log.lines,
      lastSeq: Math.max(prior?.lastSeq ?? -1, log.lastSeq),
      generation: log.generation,
    });
    this.droppedLines += log.lines;
  }

  /** Over the byte cap: unless the client catches up within maxBehindMs, it is cut off. */
  private markBehind(): void {
    if (this.behindTimer || this.closed) return;
    this.behindTimer = setTimeout(() => this.disconnect(), this.limits.maxBehindMs);
    this.behindTimer.unref();
  }

  private disconnect(): void {
    if (this.closed) return;
    this.release();
    // destroy, not end: a stalled socket would never flush an orderly end, and its buffer must go now.
    this.res.destroy();
  }

  private writeMarker(id: string): void {
    const dropped = this.dropped.get(id);
    if (!dropped) return;
    this.dropped.delete(id);
    this.congested = !this.res.write(frameOf('log', { id, lines: [droppedMarker(dropped, this.now())] }));
  }

  private drain(): void {
    if (this.closed) return;
    this.congested = false;
    while (!this.congested && this.queue.length > 0) {
      const next = this.queue[0]!;
      // The marker goes right before the next lines of the same miner, where the gap is.
      if (next.log && this.dropped.has(next.log.id)) {
        this.writeMarker(next.log.id);
        continue;
      }
      this.remove(0);
      this.congested = !this.res.write(next.frame);
    }
    for (const id of [...this.dropped.keys()]) {
      if (this.congested) break;
      this.writeMarker(id);
    }
    if (!this.congested && this.queue.length === 0 && this.dropped.size === 0 && this.behindTimer) {
      clearTimeout(this.behindTimer);
      this.behindTimer = null;
    }
  }
}

export interface SseClientStats {
  pendingBytes: number;
  behind: boolean;
  droppedLines: number;
}

export class SseHub {
  private readonly clients = new Set<SseClient>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly heartbeat: ReturnType<typeof setInterval>;
  readonly limits: SseLimits;

  constructor(
    private readonly service: Pick<ServiceApi, 'on' | 'setViewers'>,
    limits: Partial<SseLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_SSE_LIMITS, ...limits };
    for (const name of EVENT_NAMES) {
      this.unsubscribe.push(
        service.on(name, (payload: EventPayloads[typeof name]) => {
          for (const c of this.clients) c.send(name, payload);
        }),
      );
    }
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) {
        if (c.options.stillAuthorized && !c.options.stillAuthorized()) c.end('session ended');
        else c.comment('keep-alive');
      }
    }, this.limits.heartbeatMs);
    this.heartbeat.unref();
    // No browser yet: nobody watches live stats.
    this.service.setViewers?.('sse', 0);
  }

  attach(res: ServerResponse, options: AttachOptions = {}): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client = new SseClient(res, this.limits, options, this.now);
    this.clients.add(client);
    // Nobody watching: the service polls miners less often (see MinerManager.setViewers).
    this.service.setViewers?.('sse', this.clients.size);
    res.on('close', () => {
      client.release();
      this.clients.delete(client);
      this.service.setViewers?.('sse', this.clients.size);
    });
  }

  /** Ends every stream opened with this tag (its session was revoked). */
  endTagged(tag: string, reason: string): void {
    for (const c of this.clients) if (c.options.tag === tag) c.end(reason);
  }

  /** Ends every stream that authenticated with a session (all sessions were revoked). */
  endAllTagged(reason: string): void {
    for (const c of this.clients) if (c.options.tag !== undefined) c.end(reason);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Per-client memory and state, for tests and diagnostics. */
  stats(): SseClientStats[] {
    return [...this.clients].map((c) => ({
      pendingBytes: c.pendingBytes,
      behind: c.isBehind,
      droppedLines: c.droppedLines,
    }));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const u of this.unsubscribe) u();
    for (const c of this.clients) c.release();
    this.clients.clear();
  }
}
