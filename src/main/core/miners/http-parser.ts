// Incremental parser of ONE HTTP/1.1 response: status line, headers, then a Content-Length, chunked or
// read-to-close body under a byte cap. It stops at the end of the first response and ignores the rest.

export type ParseResult =
  { kind: 'more' } | { kind: 'done'; status: number; body: string } | { kind: 'error'; message: string };

const MORE: ParseResult = { kind: 'more' };
/** Status line plus headers; a miner's are ~250 bytes. */
const MAX_HEAD = 64 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
/** Shared, never written: a parser per request (100-200 a second) need not allocate its own empties. */
const EMPTY = Buffer.alloc(0);

type Framing =
  { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' } | { kind: 'none' };

const NO_BODY: Framing = { kind: 'none' };

export class ResponseParser {
  private head: Buffer | null = EMPTY;
  private status = 0;
  private framing: Framing = NO_BODY;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** Undecoded bytes of a chunked body. */
  private pending: Buffer = EMPTY;
  private finished: ParseResult | null = null;

  constructor(
    private readonly maxBytes: number,
    /** The reply to a HEAD request has headers only, whatever its Content-Length says. */
    private readonly headRequest = false,
  ) {}

  push(chunk: Buffer): ParseResult {
    if (this.finished) return this.finished;
    if (this.head !== null) {
      const head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      const end = head.indexOf(CRLFCRLF);
      if (end < 0) {
        if (head.length > MAX_HEAD) return this.fail(`sent more than ${MAX_HEAD} bytes of headers`);
        this.head = head;
        return MORE;
      }
      const r = this.parseHead(head.subarray(0, end).toString('latin1'));
      if (r) return r;
      const rest = head.subarray(end + 4);
      if (this.status < 200) {
        // 100 Continue and friends: a final response follows.
        this.head = EMPTY;
        return this.push(rest);
      }
      this.head = null;
      if (this.framing.kind === 'none') return this.done();
      return this.body(rest);
    }
    return this.body(chunk);
  }

  /** The peer closed the connection. */
  end(): ParseResult {
    if (this.finished) return this.finished;
    if (this.head !== null) {
      return this.fail(
        this.head.length === 0
          ? 'closed the connection without answering'
          : 'closed the connection in the middle of its headers',
      );
    }
    if (this.framing.kind === 'close') return this.done();
    if (this.framing.kind === 'length') {
      return this.fail(`closed the connection mid-reply (${this.size} of ${this.framing.length} bytes)`);
    }
    return this.fail('closed the connection in the middle of a chunked reply');
  }

  private parseHead(text: string): ParseResult | null {
    const lines = text.split('\r\n');
    const statusLine = lines[0]!; // split always gives at least one piece
    // Status codes are 100-599 (RFC 9110); anything else is not an HTTP reply.
    const m = /^HTTP\/1\.[01] ([1-5]\d\d)(?: |$)/.exec(statusLine);
    if (!m) return this.fail(`did not answer with HTTP (${JSON.stringify(statusLine.slice(0, 40))})`);
    this.status = Number(m[1]);
    let length: number | null = null;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) return this.fail('sent a malformed header line');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value)) return this.fail(`sent an invalid Content-Length "${value}"`);
        const n = Number(value);
        if (length !== null && length !== n) return this.fail('sent two different Content-Length headers');
        length = n;
      } else if (name === 'transfer-encoding') {
        chunked = value.toLowerCase().split(',').pop()!.trim() === 'chunked';
      }
    }
    const bodiless = this.headRequest || this.status === 204 || this.status === 304 || this.status < 200;
    if (bodiless) this.framing = NO_BODY;
    else if (chunked) this.framing = { kind: 'chunked' };
    else if (length !== null) {
      if (length > this.maxBytes) return this.tooLarge();
      this.framing = { kind: 'length', length }; // 0: body() finishes at once on no bytes
    } else this.framing = { kind: 'close' };
    return null;
  }

  private body(chunk: Buffer): ParseResult {
    if (this.framing.kind === 'chunked') return this.chunked(chunk);
    if (this.framing.kind === 'length') {
      // A view, not a copy; bytes past the declared length (a second reply) are left out.
      this.add(chunk.subarray(0, this.framing.length - this.size));
      return this.size >= this.framing.length ? this.done() : MORE;
    }
    if (!this.add(chunk)) return this.tooLarge();
    return MORE;
  }

  private chunked(chunk: Buffer): ParseResult {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const eol = this.pending.indexOf(CRLF);
      if (eol < 0) return this.pending.length > 1024 ? this.fail('sent a malformed chunk header') : MORE;
      const sizeText = this.pending.subarray(0, eol).toString('latin1').split(';')[0]!.trim();
      if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return this.fail('sent a malformed chunk header');
      const n = parseInt(sizeText, 16);
      if (n === 0) {
        // Trailers (usually none) end with an empty line; the reply is complete either way for us.
        return this.done();
      }
      if (this.pending.length < eol + 2 + n + 2) return MORE;
      if (!this.add(this.pending.subarray(eol + 2, eol + 2 + n))) return this.tooLarge();
      this.pending = this.pending.subarray(eol + 2 + n + 2);
    }
  }

  private add(part: Buffer): boolean {
    this.size += part.length;
    if (this.size > this.maxBytes) return false;
    this.chunks.push(part);
    return true;
  }

  private done(): ParseResult {
    // A miner's reply is one chunk almost always; skip the copy then.
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.finished = { kind: 'done', status: this.status, body: body.toString('utf8') };
    return this.finished;
  }

  private tooLarge(): ParseResult {
    return this.fail(`sent a response larger than ${this.maxBytes} bytes; refusing to read it`);
  }

  private fail(message: string): ParseResult {
    this.finished = { kind: 'error', message };
    return this.finished;
  }
}
