// A small HTTP/1.1 client for miner APIs on loopback: one TCP connection per request (XMRig closes every
// connection after one reply anyway), the FIRST complete response is the answer and anything after it is
// ignored (XMRig 6.26.0 writes its json_rpc reply twice, which node:http rejects), with a body cap and abort.
import net from 'node:net';
import { MinerError } from '../../../shared/errors';
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

function requestBytes(req: HttpRequest): Buffer {
  if (!req.path.startsWith('/') || /[\s\0]/.test(req.path)) {
    throw new MinerError('INTERNAL', `Refusing to request the malformed path ${JSON.stringify(req.path)}`);
  }
  let head = `${req.method} ${req.path} HTTP/1.1\r\nHost: ${req.host}:${req.port}\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (UNSAFE.test(name) || UNSAFE.test(value) || name.includes(':')) {
      throw new MinerError('INTERNAL', `Refusing to send the malformed header ${JSON.stringify(name)}`);
    }
    head += `${name}: ${value}\r\n`;
  }
  const body = req.body === undefined ? null : Buffer.from(req.body, 'utf8');
  if (body) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const where = `${req.host}:${req.port}`;
    const timeout = () => new MinerError('TIMEOUT', `Miner API at ${where} did not answer in time`);
    if (req.signal.aborted) {
      reject(timeout());
      return;
    }
    let bytes: Buffer;
    try {
      bytes = requestBytes(req);
    } catch (err) {
      reject(err);
      return;
    }

    const parser = new ResponseParser(req.maxBytes, req.method === 'GET' ? 'GET' : 'OTHER');
    const socket = net.connect({ host: req.host, port: req.port, noDelay: true });
    let settled = false;
    const finish = (err: Error | null, value?: HttpResponse) => {
      if (settled) return;
      settled = true;
      req.signal.removeEventListener('abort', onAbort);
      // Whatever follows the first response (XMRig's second copy) is of no interest: drop the connection.
      socket.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const onAbort = () => finish(timeout());
    req.signal.addEventListener('abort', onAbort, { once: true });

    const fail = (message: string) => new MinerError('MINER_API', `Miner API at ${where} ${message}`);
    const feed = (chunk: Buffer | null) => {
      const r = chunk ? parser.push(chunk) : parser.end();
      if (r.kind === 'done') finish(null, { status: r.status, body: r.body });
      else if (r.kind === 'error') finish(fail(r.message));
    };
    // No half-close after the request: a server may drop a reply still queued when it reads EOF.
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', feed);
    socket.on('end', () => feed(null));
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
