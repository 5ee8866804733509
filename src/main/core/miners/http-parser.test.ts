// The one-response HTTP parser fed byte by byte or in odd pieces: framing by length, chunks or close,
// bodiless replies, interim 1xx replies, caps on headers and body, and every way a reply can be malformed.
import { describe, expect, it } from 'vitest';
import { ResponseParser, type ParseResult } from './http-parser';

const b = (s: string) => Buffer.from(s, 'utf8');

/** Feeds the pieces in order; returns every result. */
function feed(parser: ResponseParser, ...pieces: (string | Buffer)[]): ParseResult[] {
  return pieces.map((p) => parser.push(typeof p === 'string' ? b(p) : p));
}

/** Feeds the whole text one byte at a time (the worst split there is); returns the last result. */
function bytewise(parser: ResponseParser, text: string): ParseResult {
  const buf = b(text);
  let r: ParseResult = { kind: 'more' };
  for (let i = 0; i < buf.length; i++) r = parser.push(buf.subarray(i, i + 1));
  return r;
}

const done = (body: string, status = 200) => ({ kind: 'done', status, body });
const error = (message: string) => ({ kind: 'error', message });

describe('ResponseParser: framing', () => {
  it('reads a Content-Length body, whatever the pieces, and ignores what follows it', () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';
    expect(bytewise(new ResponseParser(100), text)).toEqual(done('hello'));
    const p = new ResponseParser(100);
    expect(feed(p, 'HTTP/1.1 200 OK\r\nConte', 'nt-Length: 5\r\n\r', '\nhe', 'llo{"second":"copy"}')).toEqual(
      [{ kind: 'more' }, { kind: 'more' }, { kind: 'more' }, done('hello')],
    );
    expect(p.push(b('more'))).toEqual(done('hello'));
    expect(p.end()).toEqual(done('hello'));
  });

  it('decodes UTF-8 split across pieces', () => {
    const body = b('{"name":"Майнер"}');
    const head = b(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
    const p = new ResponseParser(100);
    expect(p.push(Buffer.concat([head, body.subarray(0, 10)]))).toEqual({ kind: 'more' });
    expect(p.push(body.subarray(10))).toEqual(done('{"name":"Майнер"}'));
  });

  it('finishes at once for Content-Length 0, 204, 304 and a HEAD request, ignoring any body', () => {
    expect(new ResponseParser(100).push(b('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nxyz'))).toEqual(
      done(''),
    );
    expect(new ResponseParser(100).push(b('HTTP/1.1 204 No Content\r\n\r\nxyz'))).toEqual(done('', 204));
    expect(new ResponseParser(100).push(b('HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n'))).toEqual(
      done('', 304),
    );
    expect(new ResponseParser(100, true).push(b('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n'))).toEqual(
      done(''),
    );
    // Not for GET or any other method: a 200 with a length waits for its body.
    expect(new ResponseParser(100, false).push(b('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n'))).toEqual({
      kind: 'more',
    });
    expect(new ResponseParser(100).push(b('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n'))).toEqual({
      kind: 'more',
    });
  });

  it('reads to the close without a length, and knows HTTP/1.0 and a status line without a reason', () => {
    const p = new ResponseParser(100);
    expect(feed(p, 'HTTP/1.0 201\r\nServer: x\r\n\r\nab', 'cd')).toEqual([
      { kind: 'more' },
      { kind: 'more' },
    ]);
    expect(p.end()).toEqual(done('abcd', 201));
    const empty = new ResponseParser(100);
    expect(empty.push(b('HTTP/1.1 200 OK\r\n\r\n'))).toEqual({ kind: 'more' });
    expect(empty.end()).toEqual(done(''));
  });

  it('skips interim 1xx replies, in the same piece or a later one', () => {
    const final = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    expect(new ResponseParser(100).push(b(`HTTP/1.1 100 Continue\r\n\r\n${final}`))).toEqual(done('ok'));
    const p = new ResponseParser(100);
    expect(feed(p, 'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n', final)).toEqual([
      { kind: 'more' },
      done('ok'),
    ]);
    expect(bytewise(new ResponseParser(100), `HTTP/1.1 100 Continue\r\n\r\n${final}`)).toEqual(done('ok'));
    // An interim reply has no body, whatever it declares.
    expect(
      new ResponseParser(100).push(b(`HTTP/1.1 100 Continue\r\nContent-Length: 999\r\n\r\n${final}`)),
    ).toEqual(done('ok'));
    // The 1xx alone, then the peer closes: no answer.
    const cut = new ResponseParser(100);
    cut.push(b('HTTP/1.1 100 Continue\r\n\r\n'));
    expect(cut.end()).toEqual(error('closed the connection without answering'));
  });

  it('reads header names in any case and values with spaces around them', () => {
    expect(new ResponseParser(100).push(b('HTTP/1.1 200 OK\r\ncOnTeNt-LeNgTh :  3 \r\n\r\nabcdef'))).toEqual(
      done('abc'),
    );
    expect(
      new ResponseParser(100).push(b('HTTP/1.1 200 OK\r\nX-Thing:\r\nContent-Length:1\r\n\r\nz')),
    ).toEqual(done('z'));
  });

  it('finishes at once on an empty body declared as such, with nothing after the head', () => {
    expect(new ResponseParser(100).push(b('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'))).toEqual(done(''));
    expect(new ResponseParser(100).push(b('HTTP/1.1 599 Odd\r\nContent-Length: 0\r\n\r\n'))).toEqual(
      done('', 599),
    );
  });

  it('accepts the same Content-Length twice', () => {
    expect(
      new ResponseParser(100).push(b('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok')),
    ).toEqual(done('ok'));
  });
});

describe('ResponseParser: chunked bodies', () => {
  const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';

  it('joins the chunks, with extensions, whatever the pieces, and stops at the last chunk', () => {
    const text = `${head}5 ;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\n\r\ntrailing garbage`;
    expect(new ResponseParser(100).push(b(text))).toEqual(done('hello, world!!!'));
    expect(bytewise(new ResponseParser(100), text)).toEqual(done('hello, world!!!'));
    expect(new ResponseParser(100).push(b(`${head}0\r\n\r\n`))).toEqual(done(''));
  });

  it('takes chunked over a Content-Length, and only when chunked is the last coding', () => {
    expect(
      new ResponseParser(100).push(
        b(
          'HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
        ),
      ),
    ).toEqual(done('ok'));
    const p = new ResponseParser(100);
    expect(p.push(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n2\r\nok'))).toEqual({
      kind: 'more',
    });
    expect(p.end()).toEqual(done('2\r\nok'));
  });

  it('waits for a whole chunk and its CRLF before taking it', () => {
    const p = new ResponseParser(100);
    expect(feed(p, `${head}3\r\nab`, 'c', '\r', '\n', '0\r\n')).toEqual([
      { kind: 'more' },
      { kind: 'more' },
      { kind: 'more' },
      { kind: 'more' },
      done('abc'),
    ]);
  });

  it('fails on a chunk size that is not 1 to 8 hex digits, or a size line that never ends', () => {
    for (const size of ['', 'x1', '-1', '123456789', '1 2']) {
      expect(new ResponseParser(100).push(b(`${head}${size}\r\nab\r\n`)), size).toEqual(
        error('sent a malformed chunk header'),
      );
    }
    expect(new ResponseParser(1e6).push(b(`${head}${'f'.repeat(1024)}`))).toEqual({ kind: 'more' });
    expect(new ResponseParser(1e6).push(b(`${head}${'f'.repeat(1025)}`))).toEqual(
      error('sent a malformed chunk header'),
    );
    expect(new ResponseParser(1e6).push(b(`${head}FfFfFfFf;x\r\n`))).toEqual({ kind: 'more' });
  });

  it('refuses chunks beyond the cap, and takes exactly the cap', () => {
    expect(new ResponseParser(4).push(b(`${head}3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n`))).toEqual(
      error('sent a response larger than 4 bytes; refusing to read it'),
    );
    expect(new ResponseParser(5).push(b(`${head}3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n`))).toEqual(done('abcde'));
  });

  it('says when the connection closed in the middle of the chunks', () => {
    const p = new ResponseParser(100);
    p.push(b(`${head}3\r\nabc\r\n`));
    expect(p.end()).toEqual(error('closed the connection in the middle of a chunked reply'));
  });
});

describe('ResponseParser: caps and malformed replies', () => {
  it('refuses a declared length over the cap at once, and takes exactly the cap', () => {
    expect(new ResponseParser(4).push(b('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'))).toEqual(
      error('sent a response larger than 4 bytes; refusing to read it'),
    );
    expect(new ResponseParser(4).push(b('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd'))).toEqual(
      done('abcd'),
    );
  });

  it('refuses a read-to-close body once it passes the cap', () => {
    const p = new ResponseParser(4);
    expect(feed(p, 'HTTP/1.1 200 OK\r\n\r\nab', 'cd')).toEqual([{ kind: 'more' }, { kind: 'more' }]);
    expect(p.push(b('e'))).toEqual(error('sent a response larger than 4 bytes; refusing to read it'));
    expect(p.end()).toEqual(error('sent a response larger than 4 bytes; refusing to read it'));
  });

  it('refuses more than 64 KiB of headers, and waits up to that', () => {
    const start = 'HTTP/1.1 200 OK\r\nX: ';
    const p = new ResponseParser(100);
    expect(p.push(b(start + 'a'.repeat(64 * 1024 - start.length)))).toEqual({ kind: 'more' });
    expect(p.push(b('a'))).toEqual(error('sent more than 65536 bytes of headers'));
    // A huge head that does end within the piece is read.
    const big = `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}\r\nContent-Length: 1\r\n\r\nz`;
    expect(new ResponseParser(100).push(b(big))).toEqual(done('z'));
  });

  it('names what came instead of HTTP, quoted and cut to 40 characters', () => {
    expect(new ResponseParser(100).push(b('\r\n\r\nHTTP/1.1 200 OK\r\n\r\n'))).toEqual(
      error('did not answer with HTTP ("")'),
    );
    expect(new ResponseParser(100).push(b('SSH-2.0-OpenSSH_9.6\r\n\r\n'))).toEqual(
      error('did not answer with HTTP ("SSH-2.0-OpenSSH_9.6")'),
    );
    expect(new ResponseParser(100).push(b(`${'x'.repeat(50)}\r\n\r\n`))).toEqual(
      error(`did not answer with HTTP ("${'x'.repeat(40)}")`),
    );
    for (const line of [
      'HTTP/1.1 099 Odd',
      'HTTP/1.1 600 Odd',
      'HTTP/2 200 OK',
      'HTTP/1.1 2000 OK',
      'HTTP/1.1 20 OK',
      'HTTP/1.1 200OK',
      ' HTTP/1.1 200 OK',
    ]) {
      expect(new ResponseParser(100).push(b(`${line}\r\n\r\n`)).kind, line).toBe('error');
    }
  });

  it('refuses a header line without a name', () => {
    for (const line of ['no colon here', ': value']) {
      expect(new ResponseParser(100).push(b(`HTTP/1.1 200 OK\r\n${line}\r\n\r\n`)), line).toEqual(
        error('sent a malformed header line'),
      );
    }
  });

  it('refuses a Content-Length that is not a plain number, or two that differ', () => {
    for (const value of ['abc', '-1', '1.5', '0x10', '1234567890123456', '']) {
      expect(
        new ResponseParser(100).push(b(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\n`)),
        value,
      ).toEqual(error(`sent an invalid Content-Length "${value}"`));
    }
    expect(
      new ResponseParser(100).push(b('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc')),
    ).toEqual(error('sent two different Content-Length headers'));
  });

  it('says how the connection ended before a complete reply', () => {
    expect(new ResponseParser(100).end()).toEqual(error('closed the connection without answering'));
    const head = new ResponseParser(100);
    head.push(b('HTTP/1.1 200'));
    expect(head.end()).toEqual(error('closed the connection in the middle of its headers'));
    const body = new ResponseParser(100);
    body.push(b('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(body.end()).toEqual(error('closed the connection mid-reply (3 of 10 bytes)'));
    expect(body.push(b('defghij'))).toEqual(error('closed the connection mid-reply (3 of 10 bytes)'));
  });
});
