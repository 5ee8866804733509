// @ts-check
// Claymore-compatible JSON-RPC over plain TCP (TT-Miner's API): read one request line (or one complete
// JSON object), write one JSON reply, close. Honours the FAKE_API_* faults (hang, slow, malformed, huge).

import net from 'node:net';

/** @typedef {import('./faults.mjs').Faults} Faults */

/**
 * @typedef {object} ClaymoreHandlers
 * @property {() => string[]} getstat1 the `result` array of miner_getstat1
 * @property {string | null} password --api-password (requests must carry "psw")
 */

/**
 * Build the reply object for one request text.
 * @param {string} text
 * @param {ClaymoreHandlers} h
 * @returns {Record<string, unknown>}
 */
export function claymoreReply(text, h) {
  /** @type {any} */
  let req;
  try {
    req = JSON.parse(text);
  } catch {
    return { id: null, jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } };
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    return { id: null, jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' } };
  }
  const id = req.id ?? 0;
  if (h.password !== null && req.psw !== h.password) {
    return { id, jsonrpc: '2.0', error: { code: -32001, message: 'Invalid password' } };
  }
  if (typeof req.method !== 'string') {
    return { id, jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' } };
  }
  if (req.method === 'miner_getstat1') return { id, jsonrpc: '2.0', result: h.getstat1() };
  return { id, jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' } };
}

export class ClaymoreServer {
  /**
   * @param {ClaymoreHandlers} handlers
   * @param {Faults} faults
   */
  constructor(handlers, faults) {
    this.handlers = handlers;
    this.faults = faults;
    /** @type {net.Server | null} */
    this.server = null;
    /** @type {Set<net.Socket>} */
    this.sockets = new Set();
  }

  /**
   * @param {string} host
   * @param {number} port
   * @returns {Promise<{ ok: true, port: number } | { ok: false, error: string }>}
   */
  listen(host, port) {
    const server = net.createServer((sock) => this.onConnection(sock));
    return new Promise((resolve) => {
      server.once('error', (/** @type {NodeJS.ErrnoException} */ err) =>
        resolve({ ok: false, error: err.code ?? err.message }),
      );
      server.listen({ host, port, exclusive: true }, () => {
        this.server = server;
        const addr = server.address();
        resolve({ ok: true, port: typeof addr === 'object' && addr ? addr.port : port });
      });
    });
  }

  close() {
    this.server?.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** @param {net.Socket} sock */
  onConnection(sock) {
    this.sockets.add(sock);
    sock.on('close', () => this.sockets.delete(sock));
    sock.on('error', () => {});
    sock.setEncoding('utf8');
    if (!this.faults.apiHang) sock.setTimeout(10000, () => sock.destroy());
    let buf = '';
    let handled = false;
    const handle = (/** @type {string} */ text) => {
      if (handled) return;
      handled = true;
      if (this.faults.apiHang) return; // never answer
      setTimeout(() => this.respond(sock, text), this.faults.apiSlowMs);
    };
    sock.on('data', (chunk) => {
      buf += chunk;
      if (buf.length > 65536) return sock.destroy();
      const nl = buf.indexOf('\n');
      if (nl >= 0) return handle(buf.slice(0, nl));
      try {
        JSON.parse(buf); // a complete object without the newline
        handle(buf);
      } catch {
        /* wait for more */
      }
    });
    sock.on('end', () => {
      if (buf.trim()) handle(buf);
      else if (!handled) sock.end();
    });
  }

  /**
   * @param {net.Socket} sock
   * @param {string} text
   */
  respond(sock, text) {
    if (sock.destroyed) return;
    if (this.faults.apiHuge) {
      const head = '{"id":0,"jsonrpc":"2.0","padding":"';
      const fill = Math.max(0, this.faults.apiHugeBytes - head.length - 3);
      sock.end(Buffer.concat([Buffer.from(head), Buffer.alloc(fill, 'x'), Buffer.from('"}\n')]));
      return;
    }
    let out = JSON.stringify(claymoreReply(text, this.handlers));
    if (this.faults.apiMalformed) out = out.slice(0, Math.floor(out.length / 2));
    else out += '\n';
    sock.end(out);
  }
}
