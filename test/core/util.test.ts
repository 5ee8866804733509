// The engine's small building blocks: the bounded ring, the capped line splitter, the typed emitter that
// isolates a throwing listener, and the loopback port/token helpers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, Server, type AddressInfo } from 'node:net';
import { RingBuffer as Ring } from '../../src/shared/buffers/ring-buffer';
import { LineSplitter } from '../../src/main/core/util/lines';
import { TypedEmitter } from '../../src/main/core/util/typed-emitter';
import { freePort, randomToken } from '../../src/main/core/util/net';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Ring', () => {
  it('refuses a capacity below one or not a whole number', () => {
    expect(() => new Ring(0)).toThrow(new RangeError('capacity must be a positive integer'));
    expect(() => new Ring(1.5)).toThrow(RangeError);
    expect(new Ring(1).capacity).toBe(1);
  });

  it('keeps the newest items in order once full, and indexes from the oldest', () => {
    const ring = new Ring<number>(3);
    expect([ring.size, ring.last(), ring.at(0)]).toEqual([0, undefined, undefined]);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect([ring.at(0), ring.at(2), ring.at(3), ring.at(-1)]).toEqual([3, 5, undefined, undefined]);
    expect(ring.last()).toBe(5);
  });

  it('tail keeps matching items scanning back from the newest until stop, oldest first', () => {
    const ring = new Ring<number>(4);
    for (let i = 1; i <= 6; i++) ring.push(i); // holds 3..6
    expect(ring.tail((n) => n % 2 === 0)).toEqual([4, 6]);
    expect(
      ring.tail(
        () => true,
        (n) => n <= 4,
      ),
    ).toEqual([5, 6]);
  });

  it('clear empties it for reuse', () => {
    const ring = new Ring<number>(2);
    ring.push(1);
    ring.push(2);
    ring.push(3);
    ring.clear();
    expect([ring.size, ring.toArray(), ring.last()]).toEqual([0, [], undefined]);
    ring.push(9);
    expect(ring.toArray()).toEqual([9]);
  });
});

describe('LineSplitter', () => {
  it('splits on LF and CRLF across chunks and flushes the rest at the end', () => {
    const lines: string[] = [];
    const split = new LineSplitter((l) => lines.push(l));
    split.write('one\r\ntw');
    split.write('o\nthr');
    expect(lines).toEqual(['one', 'two']);
    split.end();
    split.end();
    expect(lines).toEqual(['one', 'two', 'thr']);
  });

  it('cuts a newline-less run into pieces of the cap', () => {
    const lines: string[] = [];
    const split = new LineSplitter((l) => lines.push(l), 4);
    split.write('abcdefghij');
    expect(lines).toEqual(['abcd', 'efgh']);
    split.write('\n');
    expect(lines).toEqual(['abcd', 'efgh', 'ij']);
    split.write('abcd');
    expect(lines).toHaveLength(3); // exactly the cap is still pending, not cut
  });

  it('keeps empty lines', () => {
    const lines: string[] = [];
    const split = new LineSplitter((l) => lines.push(l));
    split.write('a\n\nb\n');
    expect(lines).toEqual(['a', '', 'b']);
  });
});

class Emitter extends TypedEmitter<{ tick: number; other: string }> {
  fire(n: number): void {
    this.emit('tick', n);
  }
  fireOther(): void {
    this.emit('other', 'x');
  }
}

describe('TypedEmitter', () => {
  it('delivers to every listener of the event until it unsubscribes', () => {
    const emitter = new Emitter();
    const a: number[] = [];
    const b: number[] = [];
    const offA = emitter.on('tick', (n) => a.push(n));
    emitter.on('tick', (n) => b.push(n));
    emitter.fireOther(); // no listener: nothing happens
    emitter.fire(1);
    offA();
    emitter.fire(2);
    expect([a, b]).toEqual([[1], [1, 2]]);
  });

  it('isolates a throwing listener: the others still run, and the error is reported', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const emitter = new Emitter();
    const got: number[] = [];
    emitter.on('tick', () => {
      throw new Error('bad subscriber');
    });
    emitter.on('tick', (n) => got.push(n));
    expect(() => emitter.fire(7)).not.toThrow();
    expect(got).toEqual([7]);
    await Promise.resolve();
    expect(errors).toHaveBeenCalledWith(
      'listener for "tick" threw',
      expect.objectContaining({ message: 'bad subscriber' }),
    );
  });

  it('a listener that unsubscribes another during delivery does not skip the current round', () => {
    const emitter = new Emitter();
    const got: string[] = [];
    let offB = () => {};
    emitter.on('tick', () => {
      got.push('a');
      offB();
    });
    offB = emitter.on('tick', () => got.push('b'));
    emitter.fire(1);
    emitter.fire(2);
    expect(got).toEqual(['a', 'b', 'a']);
  });
});

describe('loopback helpers', () => {
  it('freePort gives a port that can be bound on loopback right away', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((r) => server.close(r));
  });

  it('freePort probes on loopback only: not even for an instant on every interface', async () => {
    const bound: string[] = [];
    const address = Server.prototype.address;
    vi.spyOn(Server.prototype, 'address').mockImplementation(function (this: Server) {
      const info = address.call(this);
      bound.push((info as AddressInfo).address);
      return info;
    });
    await freePort();
    expect(bound).toEqual(['127.0.0.1']);
  });

  it('freePort rejects when the host cannot be bound', async () => {
    await expect(freePort('192.0.2.1')).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });

  it('randomToken is 32 url-safe characters (24 random bytes), different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, randomToken));
    expect(tokens.size).toBe(50);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
