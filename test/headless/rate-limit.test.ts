// Failed authentications are rate-limited per address (token bucket): a burst of wrong tokens, then 429 with
// Retry-After; requests without a credential, and every request that authenticates, spend nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { addressKey, FailureLimiter } from '../../src/main/headless/rate-limit';
import { login, post, raw, startTestServer, TOKEN, type TestServer } from './support';

describe('FailureLimiter', () => {
  it('allows a burst of failures, then one more per refill period', () => {
    let now = 0;
    const limiter = new FailureLimiter({ burst: 3, refillMs: 1000, maxTracked: 100 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('a')).toBe(0);
      limiter.recordFailure('a');
    }
    expect(limiter.retryAfterMs('a')).toBe(1000);
    expect(limiter.retryAfterMs('b')).toBe(0); // per address
    now = 400;
    expect(limiter.retryAfterMs('a')).toBe(600);
    now = 1000;
    expect(limiter.retryAfterMs('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.retryAfterMs('a')).toBe(1000);
    now = 10_000; // refilled completely: forgotten
    expect(limiter.retryAfterMs('a')).toBe(0);
    expect(limiter.tracked).toBe(0);
  });

  it('remembers a bounded number of addresses', () => {
    const limiter = new FailureLimiter({ burst: 5, refillMs: 1000, maxTracked: 50 }, () => 0);
    for (let i = 0; i < 1000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.tracked).toBe(50);
  });

  it('keys IPv4 by address and IPv6 by its /64, so one host cannot rotate through its prefix', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('rate limiting over HTTP', () => {
  let t: TestServer;
  let now = 0;
  afterEach(() => t?.close());

  async function start() {
    now = 0;
    t = await startTestServer({ now: () => now, limits: { auth: { burst: 3, refillMs: 60_000 } } });
  }
  const bearer = (token: string) => post(t.server, 'getSnapshot', { Authorization: `Bearer ${token}` });

  it('answers 429 with Retry-After once the burst of wrong tokens is spent, and stops comparing', async () => {
    await start();
    for (let i = 0; i < 3; i++) expect((await bearer(`wrong-${i}`)).status).toBe(401);
    const limited = await bearer('wrong-again');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(JSON.parse(limited.body).error.message).toMatch(/try again in 60 s/);
    // Compared, a right guess would answer 200 and make the lock-out an oracle.
    expect((await bearer(TOKEN)).status).toBe(429);
    const link = await raw({ port: t.server.port, path: `/?token=${TOKEN}` });
    expect(link.status).toBe(429);
    now += 60_000;
    expect((await bearer(TOKEN)).status).toBe(200);
  });

  it('counts wrong ?token= links like wrong Bearer tokens', async () => {
    await start();
    for (let i = 0; i < 3; i++)
      expect((await raw({ port: t.server.port, path: `/?token=x${i}` })).status).toBe(401);
    expect((await bearer(TOKEN)).status).toBe(429);
  });

  it('never slows a browser that holds a session, even while its address is locked out', async () => {
    await start();
    const cookie = await login(t.server);
    for (let i = 0; i < 4; i++) await bearer(`wrong-${i}`);
    expect((await bearer('wrong')).status).toBe(429);
    expect((await post(t.server, 'getSnapshot', { Cookie: cookie })).status).toBe(200);
  });

  it('spends nothing on successes or on requests without a credential', async () => {
    await start();
    for (let i = 0; i < 20; i++) expect((await bearer(TOKEN)).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await post(t.server, 'getSnapshot', {})).status).toBe(401);
    // A stale session cookie (the server restarted) is not a guess at the master token either.
    const stale = `${t.server.cookieName}=${'A'.repeat(43)}`;
    for (let i = 0; i < 20; i++)
      expect((await post(t.server, 'getSnapshot', { Cookie: stale })).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await bearer(`wrong-${i}`)).status).toBe(401);
    expect((await bearer('wrong')).status).toBe(429);
  });
});
