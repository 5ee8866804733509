// A browser that opens the server without a session gets a short self-contained page explaining the printed
// ?token= link (strict CSP, no external resources); API clients keep their JSON 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { formatSpan, loginPageHtml } from '../../src/main/headless/login-page';
import { raw, startTestServer, TOKEN, type TestServer } from './support';

const HTML = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ now: () => 1_000_000, limits: { auth: { burst: 2, refillMs: 15_000 } } });
});

afterAll(() => t.close());

describe('the page for a browser without a session', () => {
  it('explains where the link with ?token= is, with 401 and no-store', async () => {
    const res = await raw({ port: t.server.port, path: '/', headers: HTML });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('?token=');
    expect(res.body).toContain('terminal');
    expect(res.body).toContain(`Open: http://127.0.0.1:${t.server.port}/?token=…`);
    expect(res.body).not.toContain(TOKEN);
  });

  it('loads nothing from anywhere: strict CSP, its one style allowed by hash, no script or link', async () => {
    const res = await raw({ port: t.server.port, path: '/miners', headers: HTML });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1]!;
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(res.body).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
  });

  it('says when the token in the link was wrong, and when the address is locked out', async () => {
    const wrong = await raw({ port: t.server.port, path: '/?token=not-the-token', headers: HTML });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('not the one this server uses');
    await raw({ port: t.server.port, path: '/?token=still-wrong', headers: HTML });
    const locked = await raw({ port: t.server.port, path: `/?token=${TOKEN}`, headers: HTML });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('15');
    expect(locked.body).toContain('Wait 15 seconds');
  });

  it('keeps JSON for the API and for clients that do not ask for HTML', async () => {
    for (const [path, method, headers] of [
      ['/api/getSnapshot', 'POST', HTML],
      ['/api/events', 'GET', HTML],
      ['/', 'GET', { Accept: 'application/json' }],
      ['/assets/app.js', 'GET', { Accept: '*/*' }],
    ] as const) {
      const res = await raw({ port: t.server.port, path, method, headers });
      expect(res.status, path).toBe(401);
      expect(res.headers['content-type'], path).toContain('application/json');
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('escapes what it shows of the request', () => {
    const html = loginPageHtml({
      reason: 'missing',
      origin: 'http://<b>"x"</b>',
      idleMs: 1000,
      maxAgeMs: 2000,
    });
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;b&#62;&#34;x&#34;');
  });

  it('states the session limits in force', () => {
    expect(formatSpan(24 * 3_600_000)).toBe('1 day');
    expect(formatSpan(36 * 3_600_000)).toBe('36 hours');
    expect(formatSpan(7 * 86_400_000)).toBe('7 days');
    expect(formatSpan(90_000)).toBe('90 seconds');
    const html = loginPageHtml({
      reason: 'missing',
      origin: 'http://x',
      idleMs: 3_600_000,
      maxAgeMs: 86_400_000,
    });
    expect(html).toContain('after 1 hour without use, 1 day after it began');
  });
});
