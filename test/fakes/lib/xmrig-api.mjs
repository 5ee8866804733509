// @ts-check
// XMRig's HTTP API (Httpd + HttpApiRequest + Api): the same order of checks (405, auth 401/403,
// restricted 403, Content-Type 415), routes, JSON-RPC replies and the access-log line for errors;
// responses written byte for byte like the real one (wire_*.txt): its status names, its headers in
// std::map order, `Connection: close` and the socket closed after every reply, POST /json_rpc answered
// twice on the same connection; plus the FAKE_API_* faults (hang, slow, malformed, huge).

import http from 'node:http';
import { parseLenient, isPlainObject } from './rjson.mjs';
import { stringify } from './xjson.mjs';

/** @typedef {import('./xmrig-miner.mjs').XmrigMiner} XmrigMiner */
/** @typedef {import('./faults.mjs').Faults} Faults */
/** @typedef {import('./log.mjs').Logger} Logger */
/** @typedef {{ status: number, body: string | null, cors?: boolean, rpc?: boolean }} Reply */

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
};

/** llhttp methods 0..4; anything else is 405 before authentication. */
const ALLOWED = new Set(['DELETE', 'GET', 'HEAD', 'POST', 'PUT']);

/** @param {number} status */
const reason = (status) => http.STATUS_CODES[status] ?? 'Unknown';

/** llhttp's status names, as XMRig prints them in the status line and error bodies: 204 -> NO_CONTENT. @param {number} status */
const statusName = (status) => reason(status).toUpperCase().replace(/ /g, '_');

/**
 * {"status": 401, "error": "UNAUTHORIZED"} etc., as HttpApiResponse::end() adds them.
 * @param {number} status
 * @returns {Reply}
 */
export function errorReply(status) {
  return { status, body: stringify({ status, error: statusName(status) }) };
}

/** @param {unknown} value @returns {Reply} */
const ok = (value) => ({ status: 200, body: stringify(value) });

/**
 * @param {unknown} id
 * @param {{ result?: unknown, error?: { code: number, message: string } }} r
 * @returns {Reply}
 */
function rpcReply(id, r) {
  const body = r.error ? { error: r.error, jsonrpc: '2.0', id } : { result: r.result, jsonrpc: '2.0', id };
  return { ...ok(body), rpc: true };
}

let hugeCache = /** @type {Buffer | null} */ (null);

/**
 * A valid JSON body of about `bytes` bytes (FAKE_API_HUGE).
 * @param {number} bytes
 */
function hugeBody(bytes) {
  if (!hugeCache || hugeCache.length < bytes) {
    const head = '{\n    "padding": "';
    const tail = '"\n}';
    const fill = Math.max(0, bytes - head.length - tail.length);
    hugeCache = Buffer.concat([Buffer.from(head), Buffer.alloc(fill, 'x'), Buffer.from(tail)]);
  }
  return hugeCache;
}

export class XmrigApi {
  /**
   * @param {object} o
   * @param {XmrigMiner} o.miner
   * @param {Faults} o.faults
   * @param {Logger} o.log
   * @param {(json: Record<string, any>) => void} o.onPutConfig applies a PUT /1/config body
   */
  constructor({ miner, faults, log, onPutConfig }) {
    this.miner = miner;
    this.faults = faults;
    this.log = log;
    this.onPutConfig = onPutConfig;
    /** @type {http.Server | null} */
    this.server = null;
    /** @type {Set<import('node:net').Socket>} */
    this.sockets = new Set();
    this.host = '';
    this.port = 0;
  }

  /**
   * Bind; resolves with the port or the libuv-style error text ("address already in use").
   * @param {string} host
   * @param {number} port
   * @returns {Promise<{ ok: true, port: number } | { ok: false, error: string }>}
   */
  listen(host, port) {
    // node:http only parses the requests; replies bypass ServerResponse and go raw to the socket.
    const server = http.createServer((req) => void this.handle(req));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return new Promise((resolve) => {
      server.once('error', (/** @type {NodeJS.ErrnoException} */ err) => {
        const text = /** @type {Record<string, string>} */ ({
          EADDRINUSE: 'address already in use',
          EACCES: 'permission denied',
          EADDRNOTAVAIL: 'address not available',
          EINVAL: 'invalid argument',
        });
        resolve({ ok: false, error: text[err.code ?? ''] ?? String(err.code ?? err.message) });
      });
      server.listen({ host, port, exclusive: true }, () => {
        this.server = server;
        this.host = host;
        const addr = server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : port;
        resolve({ ok: true, port: this.port });
      });
    });
  }

  close() {
    this.server?.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.server = null;
  }

  /**
   * @param {http.IncomingMessage} req
   */
  async handle(req) {
    const started = Date.now();
    if (this.faults.apiHang) return; // accept, read nothing, never answer
    const body = await readBody(req);
    if (this.faults.apiSlowMs > 0) await new Promise((r) => setTimeout(r, this.faults.apiSlowMs));

    let reply = this.route(req, body);

    if (this.faults.apiHuge) {
      writeReply(req.socket, 200, { 'Content-Type': 'application/json' }, hugeBody(this.faults.apiHugeBytes));
      return;
    }
    if (this.faults.apiMalformed) {
      const full = reply.body ?? stringify(this.miner.summary(2));
      reply = { status: 200, body: full.slice(0, Math.max(1, Math.floor(full.length / 2))), rpc: reply.rpc };
    }

    /** @type {Record<string, string>} */
    const headers = reply.cors === false ? {} : { ...CORS };
    if (reply.body !== null) headers['Content-Type'] = 'application/json';
    // XMRig 6.26.0 writes a JSON-RPC reply twice on the same connection (wire_post_json_rpc_*.txt).
    writeReply(req.socket, reply.status, headers, reply.body, reply.rpc ? 2 : 1);

    if (reply.status >= 400) {
      const size = 233 + reason(reply.status).length + Buffer.byteLength(reply.body ?? '');
      const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      const ua = req.headers['user-agent'] ?? '';
      this.log.line(
        `${ip} ${req.method} ${req.url} ${reply.status} ${size} ${Date.now() - started}ms "${ua}"`,
      );
    }
  }

  /**
   * Httpd::auth
   * @param {http.IncomingHttpHeaders} headers
   */
  auth(headers) {
    const h = this.miner.cfg.http;
    const token = typeof h['access-token'] === 'string' ? h['access-token'] : null;
    const restricted = h.restricted !== false;
    if (!('authorization' in headers)) return !restricted || token !== null ? 401 : 200;
    if (token === null) return 401;
    const value = String(headers.authorization);
    if (value.length < 8 || token.length !== value.length - 7 || !value.startsWith('Bearer ')) return 403;
    return value.slice(7) === token ? 200 : 403;
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {string} body
   * @returns {Reply}
   */
  route(req, body) {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const miner = this.miner;
    const restricted = miner.cfg.http.restricted !== false;

    if (method === 'OPTIONS') return { status: 200, body: null };
    if (method === 'GET' && url === '/favicon.ico') return { status: 404, body: null, cors: false };
    if (!ALLOWED.has(method)) return errorReply(405);
    const status = this.auth(req.headers);
    if (status !== 200) return errorReply(status);
    if (method !== 'GET') {
      if (restricted) return errorReply(403);
      if (req.headers['content-type'] !== 'application/json') return errorReply(415);
    }

    if (method === 'GET') {
      if (url === '/2/summary') return ok(miner.summary(2));
      if (url === '/1/summary' || url === '/api.json') return ok(miner.summary(1));
      if (url === '/2/backends') return ok(miner.backends());
      if (url === '/1/config' || url === '/2/config')
        return restricted ? errorReply(403) : ok(miner.config());
      if (url === '/2/dmi') {
        return ok({
          smbios: '0.0.0',
          system: { vendor: null, product: null },
          board: { vendor: null, product: null },
          memory: [],
        });
      }
      return errorReply(404);
    }
    if (method === 'POST' && url === '/json_rpc') return this.jsonRpc(body);
    if (method === 'PUT' && (url === '/1/config' || url === '/2/config')) return this.putConfig(body);
    return errorReply(404);
  }

  /** @param {string} body @returns {Reply} */
  jsonRpc(body) {
    const parsed = parseLenient(body);
    if (!parsed.ok) return rpcReply(null, { error: { code: -32700, message: 'Parse error' } });
    if (!isPlainObject(parsed.value))
      return rpcReply(null, { error: { code: -32600, message: 'Invalid Request' } });
    const id = parsed.value.id ?? null;
    const method = parsed.value.method;
    if (typeof method !== 'string')
      return rpcReply(id, { error: { code: -32600, message: 'Invalid Request' } });
    if (method === 'pause') this.miner.pause();
    else if (method === 'resume') this.miner.resume();
    else if (method === 'stop') this.miner.stop();
    else return rpcReply(id, { error: { code: -32601, message: 'Method not found' } });
    return rpcReply(id, { result: { status: 'OK' } });
  }

  /** @param {string} body @returns {Reply} */
  putConfig(body) {
    if (body.length > 0) {
      const parsed = parseLenient(body);
      if (!parsed.ok) return { status: 400, body: stringify({ error: parsed.error, status: 400 }) };
      if (isPlainObject(parsed.value) && Object.keys(parsed.value).length > 0) {
        this.onPutConfig(parsed.value);
        return { status: 204, body: null };
      }
    }
    return errorReply(400);
  }
}

/**
 * @param {http.IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length;
      if (size <= 16 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

/**
 * Write a reply the way XMRig's HttpResponse::end does: "HTTP/1.1 <code> <NAME>", the headers sorted
 * (they live in a std::map), Content-Length only when there is a body, always `Connection: close`,
 * then close the socket whatever the request asked (no keep-alive at all).
 * @param {import('node:net').Socket} socket
 * @param {number} status
 * @param {Record<string, string>} headers
 * @param {string | Buffer | null} body
 * @param {number} [times] how many times the complete response is written before closing
 */
export function writeReply(socket, status, headers, body, times = 1) {
  const bytes = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  /** @type {Record<string, string>} */
  const all = { ...headers, Connection: 'close' };
  if (bytes && bytes.length > 0) all['Content-Length'] = String(bytes.length);
  const names = Object.keys(all).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const head = `HTTP/1.1 ${status} ${statusName(status)}\r\n${names.map((n) => `${n}: ${all[n]}\r\n`).join('')}\r\n`;
  const one = bytes ? Buffer.concat([Buffer.from(head, 'latin1'), bytes]) : Buffer.from(head, 'latin1');
  if (socket.destroyed) return;
  for (let i = 1; i < times; i++) socket.write(one);
  socket.end(one);
}
