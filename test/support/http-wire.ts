// Raw HTTP/1.1 on the wire for tests: send one request over a fresh TCP connection, keep every byte the
// server sends until it closes, and split those bytes into the complete responses they contain.
import net from 'node:net';

export interface WireResponse {
  statusLine: string;
  status: number;
  /** Header lines in the order they were sent, names as sent. */
  headers: [string, string][];
  body: Buffer;
  /** The exact bytes of this response (status line to the end of its body). */
  bytes: Buffer;
}

export interface WireExchange {
  raw: Buffer;
  responses: WireResponse[];
  /** Bytes after the last complete response (should be none). */
  trailing: Buffer;
  /** True when the server closed the connection (always, for XMRig). */
  closedByServer: boolean;
}

/** Splits a byte stream into complete Content-Length-framed (or bodiless) HTTP responses. */
export function parseResponses(raw: Buffer): { responses: WireResponse[]; trailing: Buffer } {
  const responses: WireResponse[] = [];
  let at = 0;
  for (;;) {
    const end = raw.indexOf('\r\n\r\n', at, 'latin1');
    if (end < 0) break;
    const lines = raw.subarray(at, end).toString('latin1').split('\r\n');
    const statusLine = lines[0] ?? '';
    const m = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine);
    if (!m) break;
    const headers = lines.slice(1).map((l): [string, string] => {
      const i = l.indexOf(':');
      return [l.slice(0, i), l.slice(i + 1).trim()];
    });
    const length = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0);
    const bodyStart = end + 4;
    if (bodyStart + length > raw.length) break;
    responses.push({
      statusLine,
      status: Number(m[1]),
      headers,
      body: raw.subarray(bodyStart, bodyStart + length),
      bytes: raw.subarray(at, bodyStart + length),
    });
    at = bodyStart + length;
  }
  return { responses, trailing: raw.subarray(at) };
}

export function wireRequest(
  port: number,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<WireExchange> {
  const body = opts.body === undefined ? null : Buffer.from(opts.body, 'utf8');
  const headers: Record<string, string> = {
    Host: `127.0.0.1:${port}`,
    Connection: 'keep-alive', // what the captures sent: XMRig closes anyway
    ...opts.headers,
  };
  if (body) headers['Content-Length'] = String(body.length);
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write(head);
      if (body) sock.write(body);
    });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`timeout; got ${JSON.stringify(Buffer.concat(chunks).toString('utf8'))}`));
    }, opts.timeoutMs ?? 4000);
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.on('end', () => {
      clearTimeout(timer);
      sock.end();
      const raw = Buffer.concat(chunks);
      resolve({ raw, ...parseResponses(raw), closedByServer: true });
    });
  });
}
