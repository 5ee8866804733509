// A small HTTP/1.1 client for miner APIs on loopback: one TCP connection per request (XMRig closes every
// connection after one reply anyway), the FIRST complete response is the answer and anything after it is
// ignored (XMRig 6.26.0 writes its json_rpc reply twice, which node:http rejects), with a body cap and abort.
import net from 'node:net';
import { MinerError } from '../../../shared/errors';
import { onAbort } from '../util/abort-hub';
import { ResponseParser } from './http-parser';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  host: string;
  port: number;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  maxBytes: number;
}

export interface HttpResponse {
  status: number;
  body: string;
}

// Header names and values go verbatim onto the wire: a CR or LF in them would split the request.
const UNSAFE = /[\r\n\0]/;

/** The request as one string: ASCII head (checked below), then the UTF-8 body. */
function requestText(req: HttpRequest): string {
  if (!/^\/[\x21-\x7e]*$/.test(req.path)) {
    throw new MinerError('INTERNAL', `Refusing to request the malformed path ${JSON.stringify(req.path)}`);
  }
  let head = `${req.method} ${req.path} HTTP/1.1\r\nHost: ${req.host}:${req.port}\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (UNSAFE.test(name) || UNSAFE.test(value) || name.includes(':')) {
      throw new MinerError('INTERNAL', `Refusing to send the malformed header ${JSON.stringify(name)}`);
    }
    head += `${name}: ${value}\r\n`;
  }
  if (req.body !== undefined) head += `Content-Length: ${Buffer.byteLength(req.body)}\r\n`;
  return `${head}\r\n${req.body ?? ''}`;
}

/** After the answer, how long the server may take to close its end before we drop the connection. */
const LINGER_MS = 2000;

// Answered connections waiting for the server's FIN. One sweep for all of them, not a timer per request.
// A list in arrival order rather than a Map keyed by socket: hashing a Socket as a Map key cost ~15 us
// per request, about a tenth of the whole poll (bench/manager-overhead). A closed socket is let go of at
// once (its entry forgets it); the entry itself goes at the next sweep.
interface Lingering {
  socket: net.Socket | null;
  since: number;
}
let lingering: Lingering[] = [];
let sweeper: ReturnType<typeof setInterval> | null = null;

function sweep(): void {
  const cutoff = Date.now() - LINGER_MS;
  const still: Lingering[] = [];
  for (const entry of lingering) {
    const socket = entry.socket;
    if (socket === null) continue;
    if (entry.since < cutoff) {
      entry.socket = null;
      socket.destroy();
    } else still.push(entry);
  }
  lingering = still;
  if (lingering.length === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

function linger(socket: net.Socket): void {
  const entry: Lingering = { socket, since: Date.now() };
  lingering.push(entry);
  socket.once('close', () => (entry.socket = null));
  sweeper ??= setInterval(sweep, LINGER_MS);
  sweeper.unref?.();
}

export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const where = `${req.host}:${req.port}`;
    const timeout = () => new MinerError('TIMEOUT', `Miner API at ${where} did not answer in time`);
    if (req.signal.aborted) {
      reject(timeout());
      return;
    }
    let text: string;
    try {
      text = requestText(req);
    } catch (err) {
      reject(err);
      return;
    }

    const parser = new ResponseParser(req.maxBytes);
    const socket = net.connect({ host: req.host, port: req.port, noDelay: true });
    let settled = false;
    const finish = (err: Error | null, value?: HttpResponse) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      if (err) {
        socket.destroy();
        reject(err);
        return;
      }
      // Answered. XMRig closes its end right after (having written json_rpc twice): let it, so the
      // connection ends the cheap way (its FIN first, no TIME_WAIT pile-up here); drop it if it lingers.
      socket.removeListener('data', feed);
      socket.resume();
      linger(socket);
      resolve(value!);
    };
    const unsubscribe = onAbort(req.signal, () => finish(timeout()));

    const fail = (message: string, details?: Record<string, unknown>) =>
      new MinerError('MINER_API', `Miner API at ${where} ${message}`, details);
    const feed = (chunk: Buffer | null) => {
      const r = chunk ? parser.push(chunk) : parser.end();
      if (r.kind === 'done') finish(null, { status: r.status, body: r.body });
      // A reply cut by the connection closing is a miss for this tick (like XMRig's truncated JSON), not a
      // dead miner; a malformed reply that arrived whole is a real error.
      else if (r.kind === 'error')
        finish(fail(r.message, chunk ? undefined : { transient: true, endpoint: req.path }));
    };
    // No half-close after the request: a server may drop a reply still queued when it reads EOF.
    socket.on('connect', () => socket.write(text, 'utf8'));
    socket.on('data', feed);
    socket.on('end', () => {
      if (!settled) feed(null);
    });
    socket.on('close', () => {
      if (!settled) feed(null);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const reason =
        err.code === 'ECONNREFUSED' ? 'is not listening (connection refused)' : `failed: ${err.message}`;
      finish(fail(reason));
    });
  });
}
