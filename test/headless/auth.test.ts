// Credentials are compared exactly: a same-length wrong token and a strict prefix are refused as a Bearer
// header, as ?token= and (for session ids) as the cookie; Origin "null" is refused even with a valid token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowHostProblem,
  bearerToken,
  hostRules,
  readCookie,
  tokenProblem,
  tokensEqual,
} from '../../src/main/headless/auth';
import type { IncomingMessage } from 'node:http';
import { login, post, raw, startTestServer, TOKEN, type TestServer } from './support';

/** The same length as `s`, differing only in its last character. */
function sameLengthWrong(s: string): string {
  return s.slice(0, -1) + (s.endsWith('a') ? 'b' : 'a');
}

const WRONG_TOKENS: [string, string][] = [
  ['a same-length token differing in one character', sameLengthWrong(TOKEN)],
  ['a strict prefix of the token', TOKEN.slice(0, -1)],
  ['the first half of the token', TOKEN.slice(0, TOKEN.length / 2)],
  ['the token with one more character', `${TOKEN}x`],
];

let t: TestServer;

beforeAll(async () => {
  // Generous failure budget: this file sends many wrong tokens on purpose and tests the limiter elsewhere.
  t = await startTestServer({ limits: { auth: { burst: 1000 } } });
});

afterAll(() => t.close());

describe('tokensEqual', () => {
  it('accepts only the identical string', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    for (const [, wrong] of WRONG_TOKENS) expect(tokensEqual(wrong, TOKEN)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
  });
});

describe('the master token as a Bearer header', () => {
  it('is accepted when exact', async () => {
    expect((await post(t.server, 'getSnapshot', { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it.each(WRONG_TOKENS)('refuses %s', async (_label, wrong) => {
    const res = await post(t.server, 'getSnapshot', { Authorization: `Bearer ${wrong}` });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses the token sent in another scheme or without one', async () => {
    expect((await post(t.server, 'getSnapshot', { Authorization: TOKEN })).status).toBe(401);
    expect((await post(t.server, 'getSnapshot', { Authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect((await post(t.server, 'getSnapshot', { Authorization: 'Bearer' })).status).toBe(401);
  });
});

describe('the master token as ?token= in the printed link', () => {
  it('is traded for a session when exact', async () => {
    const res = await raw({ port: t.server.port, path: `/?token=${TOKEN}` });
    expect(res.status).toBe(303);
    expect(res.headers['set-cookie']).toHaveLength(1);
  });

  it.each(WRONG_TOKENS)('refuses %s and sets no cookie', async (_label, wrong) => {
    const res = await raw({ port: t.server.port, path: `/?token=${encodeURIComponent(wrong)}` });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('is not a credential for the API', async () => {
    const res = await raw({ port: t.server.port, path: `/api/getSnapshot?token=${TOKEN}`, method: 'POST' });
    expect(res.status).toBe(401);
  });
});

describe('the session cookie', () => {
  it('authenticates with the id the server set', async () => {
    const cookie = await login(t.server);
    expect((await post(t.server, 'getSnapshot', { Cookie: cookie })).status).toBe(200);
  });

  it('refuses the master token itself as the cookie value', async () => {
    const res = await post(t.server, 'getSnapshot', { Cookie: `${t.server.cookieName}=${TOKEN}` });
    expect(res.status).toBe(401);
  });

  it('refuses a same-length wrong id and a strict prefix of a real one', async () => {
    const cookie = await login(t.server);
    const [name, id] = cookie.split('=') as [string, string];
    for (const wrong of [sameLengthWrong(id), id.slice(0, -1), id.slice(0, 8), `${id}A`]) {
      expect((await post(t.server, 'getSnapshot', { Cookie: `${name}=${wrong}` })).status).toBe(401);
    }
  });

  it('is bound to this port: the same id under another port’s name is ignored', async () => {
    const cookie = await login(t.server);
    const id = cookie.split('=')[1]!;
    const other = `hashdeck_session_${t.server.port + 1}=${id}`;
    expect((await post(t.server, 'getSnapshot', { Cookie: other })).status).toBe(401);
  });

  it('answers a malformed Cookie header with 401, not 500', async () => {
    const res = await post(t.server, 'getSnapshot', { Cookie: `${t.server.cookieName}=%E0%A4%A` });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});

describe('Origin "null" (a sandboxed frame, a data: URL, a file:// page)', () => {
  it('is refused with a valid Bearer token', async () => {
    const res = await post(t.server, 'getSnapshot', { Authorization: `Bearer ${TOKEN}`, Origin: 'null' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('is refused with a valid session cookie', async () => {
    const cookie = await login(t.server);
    expect((await post(t.server, 'getSnapshot', { Cookie: cookie, Origin: 'null' })).status).toBe(403);
  });

  it('cannot trade the token for a session', async () => {
    const res = await raw({ port: t.server.port, path: `/?token=${TOKEN}`, headers: { Origin: 'null' } });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('is told apart from our own origin, which is served', async () => {
    const own = `http://127.0.0.1:${t.server.port}`;
    expect(
      (await post(t.server, 'getSnapshot', { Authorization: `Bearer ${TOKEN}`, Origin: own })).status,
    ).toBe(200);
    const https = `https://127.0.0.1:${t.server.port}`; // our Host, wrong scheme: another origin
    expect(
      (await post(t.server, 'getSnapshot', { Authorization: `Bearer ${TOKEN}`, Origin: https })).status,
    ).toBe(403);
  });
});

describe('parsing never throws', () => {
  it('reads cookies, and treats an undecodable value as absent', () => {
    expect(readCookie('a=1; hashdeck_session_1=abc; b=2', 'hashdeck_session_1')).toBe('abc');
    expect(readCookie('x=%E0%A4%A', 'x')).toBeNull();
    expect(readCookie('noequals; x', 'x')).toBeNull();
    expect(readCookie(undefined, 'x')).toBeNull();
  });

  it('reads the Bearer credential, and a non-Bearer header as an empty one', () => {
    const req = (authorization?: string) => ({ headers: { authorization } }) as IncomingMessage;
    expect(bearerToken(req(`Bearer ${TOKEN}`))).toBe(TOKEN);
    expect(bearerToken(req(`bearer   ${TOKEN}  `))).toBe(TOKEN);
    expect(bearerToken(req('Basic abc'))).toBe('');
    expect(bearerToken(req())).toBeNull();
  });
});

describe('token and host rules', () => {
  it('refuses tokens shorter than 32 characters or with invisible characters', () => {
    expect(tokenProblem('x'.repeat(31))).toMatch(/at least 32 characters.*got 31/);
    expect(tokenProblem('x'.repeat(32))).toBeNull();
    expect(tokenProblem(`${'x'.repeat(32)} y`)).toMatch(/visible ASCII/);
  });

  it('gives a wildcard bind only the loopback names and the allowed ones, never "any Host"', () => {
    const rules = hostRules('0.0.0.0', 8080, ['rig.lan', 'fe80::1'], false);
    expect([...rules.allowed].sort()).toEqual(
      ['127.0.0.1:8080', '[::1]:8080', '[fe80::1]:8080', 'localhost:8080', 'rig.lan:8080'].sort(),
    );
    expect(hostRules('::', 443, [], true).allowed.has('localhost')).toBe(true); // the default port may be omitted
    expect(hostRules('192.168.1.5', 80, [], false).allowed.has('192.168.1.5:80')).toBe(true);
  });

  it('accepts names and addresses for --allow-host, not URLs, ports or wildcards', () => {
    expect(allowHostProblem('rig.lan')).toBeNull();
    expect(allowHostProblem('192.168.1.20')).toBeNull();
    expect(allowHostProblem('[fe80::1]')).toBeNull();
    for (const bad of ['http://rig.lan', 'rig.lan:8080', '*.lan', '0.0.0.0', 'a b', ''])
      expect(allowHostProblem(bad)).not.toBeNull();
  });
});
