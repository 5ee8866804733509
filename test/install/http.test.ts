// The installer's HTTP layer driven in-process with a scripted fetch: failures mapped to the reason and
// message the user sees (offline, refused, timeout, rate limit, status), redirects held to the URL policy,
// the request it sends, and the size bound on small bodies.
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { InstallError, installFailureOf } from '../../src/main/core/install/errors';
import {
  Deadline,
  getBytes,
  mapFetchFailure,
  networkErrorCode,
  openGet,
  rateLimitReset,
  statusError,
  type FetchLike,
} from '../../src/main/core/install/http';
import { rejection } from './support/harness';

const URL_ = 'https://api.github.com/repos/xmrig/xmrig/releases';

function ctx(over: { userSignal?: AbortSignal; expired?: boolean; current?: number } = {}) {
  const deadline = new Deadline(new AbortController(), over.current ?? 30_000);
  deadline.expired = over.expired ?? false;
  return { what: 'the list', host: 'api.github.com', userSignal: over.userSignal, deadline };
}

/** A fetch that answers `res` and records what it was asked. */
function answering(res: () => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return res();
  };
  return { fetch, calls };
}

/** A body stream that yields `chunks` and records whether the reader cancelled it. */
function body(chunks: Uint8Array[]) {
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks.shift();
      if (next) c.enqueue(next);
      else c.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

/** A fetch that never answers until its signal aborts, then rejects with the abort reason (3 s guard). */
const hanging: FetchLike = (_url, init) =>
  new Promise((_, reject) => {
    const signal = init.signal!;
    const guard = setTimeout(() => reject(new Error('guard: nothing aborted the request')), 3000);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(guard);
        reject(signal.reason);
      },
      { once: true },
    );
  });

describe('the errno behind a fetch failure', () => {
  it('follows `cause` up to three levels, skipping non-string codes', () => {
    expect(networkErrorCode({ code: 'ECONNRESET' })).toBe('ECONNRESET');
    expect(networkErrorCode({ code: 7, cause: { code: 'EPIPE' } })).toBe('EPIPE');
    expect(networkErrorCode({ cause: { cause: { cause: { code: 'ENOTFOUND' } } } })).toBe('ENOTFOUND');
    expect(networkErrorCode({ cause: { cause: { cause: { cause: { code: 'ENOTFOUND' } } } } })).toBeNull();
    expect(networkErrorCode(null)).toBeNull();
    expect(networkErrorCode(new Error('plain'))).toBeNull();
  });
});

describe('mapping a failed fetch', () => {
  it('passes an InstallError through, and a user abort wins over everything else', () => {
    const own = new InstallError('NETWORK', 'too-large', 'big');
    expect(mapFetchFailure(own, ctx())).toBe(own);
    const user = new AbortController();
    user.abort();
    const err = mapFetchFailure({ code: 'ECONNREFUSED' }, ctx({ userSignal: user.signal, expired: true }));
    expect(installFailureOf(err)).toBe('cancelled');
    expect(err.code).toBe('CANCELLED');
  });

  it('an expired deadline is a timeout naming the host and how long it waited', () => {
    const err = mapFetchFailure(new Error('aborted'), ctx({ expired: true, current: 300 }));
    expect(err.code).toBe('TIMEOUT');
    expect(installFailureOf(err)).toBe('timeout');
    expect(err.message).toBe(
      'api.github.com sent nothing for 300 ms while fetching the list. Check your connection and try again.',
    );
    expect(mapFetchFailure(null, ctx({ expired: true, current: 999 })).message).toContain('for 999 ms');
    expect(mapFetchFailure(null, ctx({ expired: true, current: 1000 })).message).toContain('for 1 s ');
    expect(mapFetchFailure(null, ctx({ expired: true, current: 2500 })).message).toContain('for 3 s ');
    // Not expired: a plain failure, not a timeout.
    expect(installFailureOf(mapFetchFailure(new Error('x'), ctx()))).toBe('offline');
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN'])(
    '%s says the name does not resolve and the computer looks offline',
    (code) => {
      const err = mapFetchFailure(new TypeError('fetch failed', { cause: { code } }), ctx());
      expect(err.code).toBe('NETWORK');
      expect(installFailureOf(err)).toBe('offline');
      expect(err.message).toBe(
        `Cannot reach api.github.com to fetch the list: its name does not resolve (${code}). This computer looks offline; check the network connection.`,
      );
      expect(err.details).toMatchObject({ errno: code });
    },
  );

  it('ECONNREFUSED says the connection was refused', () => {
    const err = mapFetchFailure({ code: 'ECONNREFUSED' }, ctx());
    expect(err.message).toBe(
      'Cannot reach api.github.com to fetch the list: the connection was refused (ECONNREFUSED). Check the network connection or proxy.',
    );
    expect(err.code).toBe('NETWORK');
    expect(err.details).toMatchObject({ errno: 'ECONNREFUSED', reason: 'offline' });
  });

  it.each(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'ECONNRESET', 'ETIMEDOUT', 'UND_ERR_SOCKET'])(
    'other network errno %s: cannot reach the host',
    (code) => {
      const err = mapFetchFailure({ code }, ctx());
      expect(err.message).toBe(
        `Cannot reach api.github.com to fetch the list (${code}). Check the network connection.`,
      );
      expect(err.code).toBe('NETWORK');
      expect(err.details).toMatchObject({ errno: code, reason: 'offline' });
    },
  );

  it('anything else keeps its own message (and errno when it has one)', () => {
    const err = mapFetchFailure(Object.assign(new Error('odd failure'), { code: 'EWHATEVER' }), ctx());
    expect(err.code).toBe('NETWORK');
    expect(installFailureOf(err)).toBe('offline');
    expect(err.message).toBe('Fetching the list from api.github.com failed: odd failure');
    expect(err.details).toMatchObject({ errno: 'EWHATEVER' });
    expect(mapFetchFailure('a string', ctx()).message).toBe(
      'Fetching the list from api.github.com failed: a string',
    );
  });
});

describe('rate-limit reset time', () => {
  it('only whole numbers count as seconds; a date in retry-after is read as a date', () => {
    expect(rateLimitReset(new Headers({ 'x-ratelimit-reset': '12a' }), 0)).toBeNull();
    expect(rateLimitReset(new Headers({ 'x-ratelimit-reset': 'a12' }), 0)).toBeNull();
    // A bad reset header falls through to retry-after.
    expect(rateLimitReset(new Headers({ 'x-ratelimit-reset': 'soon', 'retry-after': '5' }), 100)).toBe(5100);
    expect(rateLimitReset(new Headers({ 'retry-after': '5 s' }), 0)).toBeNull();
    expect(rateLimitReset(new Headers({ 'retry-after': 'x5' }), 0)).toBeNull();
    expect(rateLimitReset(new Headers({ 'retry-after': 'not a date' }), 0)).toBeNull();
  });
});

describe('HTTP status errors', () => {
  const res = (status: number, headers: Record<string, string> = {}, statusText = '') =>
    new Response(null, { status, headers, statusText });

  it('429 and 403 with no quota left are rate limits, with when it resets', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const err = statusError(res(429, { 'retry-after': '150' }), 'the list', 'api.github.com', now);
    expect(err.code).toBe('NETWORK');
    expect(installFailureOf(err)).toBe('rate-limited');
    expect(err.message).toBe(
      `api.github.com is rate-limiting requests from this network (HTTP 429) while fetching the list. It resets at ${new Date(now + 150_000).toLocaleTimeString()} (in 3 min).`,
    );
    expect(err.details).toMatchObject({ status: 429, resetAt: now + 150_000 });
    const limited = statusError(res(403, { 'x-ratelimit-remaining': '0' }), 'the list', 'h', now);
    expect(installFailureOf(limited)).toBe('rate-limited');
    expect(limited.message).toContain('(HTTP 403) while fetching the list. Try again later.');
    expect(limited.details).toMatchObject({ resetAt: null });
  });

  it('a reset already past still says at least 1 min', () => {
    const err = statusError(res(429, { 'x-ratelimit-reset': '1' }), 'w', 'h', 10_000_000);
    expect(err.message).toContain('(in 1 min)');
  });

  it('a 403 with quota left, or any other status, is an HTTP status error with its text', () => {
    const err = statusError(res(403, { 'x-ratelimit-remaining': '12' }, 'Forbidden'), 'the list', 'h');
    expect(installFailureOf(err)).toBe('http-status');
    expect(err.message).toBe('h answered HTTP 403 Forbidden for the list.');
    expect(err.details).toMatchObject({ status: 403 });
    expect(statusError(res(500), 'the list', 'h').message).toBe('h answered HTTP 500 for the list.');
    expect(err.code).toBe('NETWORK');
    // Only 403 means "quota used up" with no quota left; a 404 then is still a missing file.
    const missing = statusError(res(404, { 'x-ratelimit-remaining': '0' }), 'the list', 'h');
    expect(installFailureOf(missing)).toBe('http-status');
  });
});

describe('openGet', () => {
  it('sends a GET that follows redirects, with its User-Agent and the caller headers', async () => {
    const { fetch, calls } = answering(() => new Response('ok'));
    const opened = await openGet(URL_, {
      fetch,
      answerTimeoutMs: 1000,
      what: 'the list',
      headers: { Accept: 'application/json' },
    });
    opened.done();
    expect(opened.host).toBe('api.github.com');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(URL_);
    expect(calls[0]!.init).toMatchObject({
      method: 'GET',
      redirect: 'follow',
      headers: { 'User-Agent': 'HashDeck-miner-installer', Accept: 'application/json' },
    });
  });

  it('refuses a URL the policy refuses, and an already aborted signal, before any request', async () => {
    const { fetch, calls } = answering(() => new Response('ok'));
    const bad = await rejection(openGet('http://example.com/x', { fetch, answerTimeoutMs: 1000, what: 'w' }));
    expect(installFailureOf(bad)).toBe('bad-url');
    const user = new AbortController();
    user.abort();
    const cancelled = await rejection(
      openGet(URL_, { fetch, signal: user.signal, answerTimeoutMs: 1000, what: 'w' }),
    );
    expect(installFailureOf(cancelled)).toBe('cancelled');
    expect(calls).toHaveLength(0);
  });

  it('a redirect to a plain-http host is refused and its body released', async () => {
    const { stream, state } = body([new Uint8Array(10)]);
    const { fetch } = answering(() => {
      const r = new Response(stream);
      Object.defineProperty(r, 'url', { value: 'http://storage.example/x' });
      return r;
    });
    const err = await rejection(openGet(URL_, { fetch, answerTimeoutMs: 1000, what: 'the archive' }));
    expect(installFailureOf(err)).toBe('bad-url');
    expect(err.message).toContain('the archive must use https');
    expect(state.cancelled).toBe(true);
    // A refusal without a body has nothing to release, and is still the status error.
    const empty = answering(() => new Response(null, { status: 404 }));
    const bare = await rejection(openGet(URL_, { fetch: empty.fetch, answerTimeoutMs: 1000, what: 'w' }));
    expect(installFailureOf(bare)).toBe('http-status');
  });

  it('a redirect to https elsewhere is followed', async () => {
    const { fetch } = answering(() => {
      const r = new Response('ok');
      Object.defineProperty(r, 'url', { value: 'https://objects.githubusercontent.com/x' });
      return r;
    });
    const opened = await openGet(URL_, { fetch, answerTimeoutMs: 1000, what: 'w' });
    opened.done();
    expect(await opened.res.text()).toBe('ok');
  });

  it('a status that is not 2xx is mapped and its body released', async () => {
    const { stream, state } = body([new Uint8Array(10)]);
    const { fetch } = answering(() => new Response(stream, { status: 404 }));
    const err = await rejection(openGet(URL_, { fetch, answerTimeoutMs: 1000, what: 'w' }));
    expect(installFailureOf(err)).toBe('http-status');
    expect(err.message).toContain('HTTP 404');
    expect(state.cancelled).toBe(true);
  });

  it('no answer within the answer deadline is a timeout', async () => {
    const err = await rejection(openGet(URL_, { fetch: hanging, answerTimeoutMs: 40, what: 'the list' }));
    expect(installFailureOf(err)).toBe('timeout');
    expect(err.message).toContain('sent nothing for 40 ms while fetching the list');
  });

  it("the caller's abort reaches the request and is reported as a cancel", async () => {
    const user = new AbortController();
    const pending = openGet(URL_, { fetch: hanging, signal: user.signal, answerTimeoutMs: 2000, what: 'w' });
    setTimeout(() => user.abort(), 10);
    const err = await rejection(pending);
    expect(installFailureOf(err)).toBe('cancelled');
  });

  it('done() stops the answer deadline: a finished request never expires later', async () => {
    const { fetch } = answering(() => new Response('ok'));
    const opened = await openGet(URL_, { fetch, answerTimeoutMs: 20, what: 'w' });
    opened.done();
    await new Promise((r) => setTimeout(r, 60));
    expect(opened.deadline.expired).toBe(false);
  });

  it('done() detaches from the caller signal: a later abort does not touch the finished request', async () => {
    const user = new AbortController();
    let seen: AbortSignal | null = null;
    const fetch: FetchLike = async (_u, init) => {
      seen = init.signal!;
      return new Response('ok');
    };
    const opened = await openGet(URL_, { fetch, signal: user.signal, answerTimeoutMs: 1000, what: 'w' });
    opened.done();
    user.abort();
    expect(seen!.aborted).toBe(false);
  });
});

describe('the deadline', () => {
  it('expires after its time, aborting with a "deadline" reason; stop() and a new kick hold it off', async () => {
    const controller = new AbortController();
    const d = new Deadline(controller, 30);
    expect(d.current).toBe(30);
    d.kick(1000);
    expect(d.current).toBe(1000);
    d.stop();
    d.kick();
    expect(d.current).toBe(30);
    await new Promise((r) => setTimeout(r, 80));
    expect(d.expired).toBe(true);
    expect(controller.signal.aborted).toBe(true);
    expect((controller.signal.reason as Error).message).toBe('deadline');

    const held = new AbortController();
    const e = new Deadline(held, 20);
    e.kick();
    e.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(e.expired).toBe(false);
    expect(held.signal.aborted).toBe(false);
  });
});

describe('getBytes', () => {
  it('returns the whole body, in order', async () => {
    const { stream } = body([Buffer.from('ab'), Buffer.from('cd'), Buffer.from('e')]);
    const { fetch } = answering(() => new Response(stream));
    const user = new AbortController();
    const bytes = await getBytes(URL_, {
      fetch,
      signal: user.signal,
      answerTimeoutMs: 1000,
      what: 'w',
      maxBytes: 5,
    });
    expect(Buffer.from(bytes).toString()).toBe('abcde');
    // Done with the request: nothing stays hooked to the caller's signal.
    expect(getEventListeners(user.signal, 'abort')).toHaveLength(0);
  });

  it('refuses a body larger than maxBytes, naming it', async () => {
    const { stream } = body([Buffer.from('abc'), Buffer.from('def')]);
    const { fetch } = answering(() => new Response(stream));
    const err = await rejection(
      getBytes(URL_, { fetch, answerTimeoutMs: 1000, what: 'SHA256SUMS', maxBytes: 5 }),
    );
    expect(err.code).toBe('NETWORK');
    expect(installFailureOf(err)).toBe('too-large');
    expect(err.message).toBe('SHA256SUMS is larger than 5 bytes, which is not what it should be. Refused.');
  });

  it('a body that stalls is a timeout; each chunk restarts the countdown', async () => {
    vi.useFakeTimers();
    try {
      const pushed: ((c: Uint8Array) => void)[] = [];
      const fetch: FetchLike = async (_u, init) => {
        const signal = init.signal!;
        const stream = new ReadableStream<Uint8Array>({
          pull: (c) =>
            new Promise<void>((resolve, reject) => {
              signal.addEventListener('abort', () => reject(signal.reason), { once: true });
              pushed.push((chunk) => {
                c.enqueue(chunk);
                resolve();
              });
            }),
        });
        return new Response(stream);
      };
      const pending = getBytes(URL_, { fetch, answerTimeoutMs: 60, what: 'w', maxBytes: 100 });
      let settled = false;
      pending.catch(() => {}).finally(() => (settled = true));
      // Three chunks 50 ms apart: 150 ms in all, more than the 60 ms deadline, but never 60 ms idle.
      for (let i = 0; i < 3; i++) {
        await vi.advanceTimersByTimeAsync(50);
        expect(settled).toBe(false);
        pushed.shift()!(new Uint8Array(1));
      }
      await vi.advanceTimersByTimeAsync(50);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(20);
      const err = await rejection(pending);
      expect(installFailureOf(err)).toBe('timeout');
      expect(err.message).toContain('sent nothing for 60 ms');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a response without a body is empty', async () => {
    const { fetch } = answering(() => new Response(null));
    expect((await getBytes(URL_, { fetch, answerTimeoutMs: 1000, what: 'w', maxBytes: 5 })).length).toBe(0);
  });
});
