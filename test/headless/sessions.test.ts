// Browser sessions: the link's token is traded for a random id under a port-specific cookie; sessions
// expire (idle and absolute), can be logged out one by one or all at once, and the swap obeys Host/Origin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SESSION_LIMITS, SessionStore, tokenFingerprint } from '../../src/main/headless/sessions';
import { login, post, raw, startTestServer, TOKEN, type TestServer } from './support';

const MINUTE = 60_000;

describe('SessionStore', () => {
  it('expires a session left idle, and one that reached its maximum age even while used', () => {
    let now = 0;
    const store = new SessionStore(
      { idleMs: 10 * MINUTE, maxAgeMs: 60 * MINUTE, maxSessions: 10 },
      () => now,
    );
    const idle = store.create();
    const busy = store.create();
    now = 9 * MINUTE;
    expect(store.use(busy.id)).toBe(busy.key);
    now = 10 * MINUTE;
    expect(store.use(idle.id)).toBeNull(); // 10 minutes without use
    for (now = 15 * MINUTE; now < 60 * MINUTE; now += 5 * MINUTE) expect(store.use(busy.id)).toBe(busy.key);
    now = 60 * MINUTE;
    expect(store.use(busy.id)).toBeNull(); // an hour after the link was opened
    expect(store.size).toBe(0);
  });

  it('keeps at most maxSessions, evicting the least recently used', () => {
    const store = new SessionStore({ idleMs: MINUTE, maxAgeMs: MINUTE, maxSessions: 2 }, () => 0);
    const a = store.create();
    const b = store.create();
    store.use(a.id);
    const c = store.create();
    expect([store.use(a.id), store.use(b.id), store.use(c.id)]).toEqual([a.key, null, c.key]);
  });

  it('issues unguessable ids and tells listeners what was revoked', () => {
    const store = new SessionStore();
    const seen: (string | null)[] = [];
    store.onRevoke((key) => seen.push(key));
    const a = store.create();
    const b = store.create();
    expect(a.id).toMatch(/^[\w-]{43}$/); // 32 random bytes
    expect(a.id).not.toBe(b.id);
    expect(store.revoke(a.key)).toBe(true);
    expect(store.revokeAll()).toBe(1);
    expect(seen).toEqual([a.key, null]);
  });
});

describe('sessions over HTTP', () => {
  let t: TestServer;
  let now = 0;
  afterEach(() => t?.close());

  async function start() {
    now = 1_000_000;
    t = await startTestServer({
      now: () => now,
      limits: { session: { idleMs: 10 * MINUTE, maxAgeMs: 60 * MINUTE } },
    });
  }

  it('sets a port-specific HttpOnly SameSite=Strict cookie whose Max-Age is the absolute limit', async () => {
    await start();
    const res = await raw({ port: t.server.port, path: `/?token=${TOKEN}` });
    const cookie = res.headers['set-cookie']![0]!;
    expect(cookie).toMatch(
      new RegExp(
        `^hashdeck_session_${t.server.port}=[\\w-]{43}; Max-Age=3600; Path=/; HttpOnly; SameSite=Strict$`,
      ),
    );
  });

  it('refuses an expired session', async () => {
    await start();
    const cookie = await login(t.server);
    now += 9 * MINUTE;
    expect((await post(t.server, 'getSnapshot', { Cookie: cookie })).status).toBe(200);
    now += 10 * MINUTE;
    expect((await post(t.server, 'getSnapshot', { Cookie: cookie })).status).toBe(401);
  });

  it('logs out: the session ends, its cookie is cleared and its event stream closes', async () => {
    await start();
    const cookie = await login(t.server);
    const other = await login(t.server);
    const streamClosed = new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: t.server.port, path: '/api/events', headers: { Cookie: cookie } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    await expect.poll(() => t.server.events.size).toBe(1);
    const res = await post(t.server, 'session/logout', { Cookie: cookie });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ loggedOut: true });
    expect(res.headers['set-cookie']![0]).toMatch(/^hashdeck_session_\d+=; Max-Age=0;/);
    expect(await streamClosed).toContain(': logged out');
    expect((await post(t.server, 'getSnapshot', { Cookie: cookie })).status).toBe(401);
    expect((await post(t.server, 'getSnapshot', { Cookie: other })).status).toBe(200); // only the caller's
  });

  it('logs every browser out at once for a Bearer caller; Bearer keeps working', async () => {
    await start();
    const a = await login(t.server);
    const b = await login(t.server);
    const res = await post(t.server, 'session/logout-all', { Authorization: `Bearer ${TOKEN}` });
    expect(JSON.parse(res.body)).toEqual({ revoked: 2 });
    for (const cookie of [a, b])
      expect((await post(t.server, 'getSnapshot', { Cookie: cookie })).status).toBe(401);
    expect((await post(t.server, 'getSnapshot', { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    const logout = await post(t.server, 'session/logout', { Authorization: `Bearer ${TOKEN}` });
    expect(JSON.parse(logout.body)).toMatchObject({ loggedOut: false });
  });

  it('replaces the browser’s session when the link is opened again', async () => {
    await start();
    const first = await login(t.server);
    const res = await raw({ port: t.server.port, path: `/?token=${TOKEN}`, headers: { Cookie: first } });
    expect(res.status).toBe(303);
    expect(t.server.sessions.size).toBe(1);
    expect((await post(t.server, 'getSnapshot', { Cookie: first })).status).toBe(401);
  });

  it('ends every session when the server closes', async () => {
    await start();
    await login(t.server);
    await t.close();
    expect(t.server.sessions.size).toBe(0);
  });

  it('trades the token only under a served Host and without a foreign Origin', async () => {
    await start();
    const port = t.server.port;
    const foreignHost = await raw({ port, path: `/?token=${TOKEN}`, host: `evil.example:${port}` });
    expect(foreignHost.status).toBe(403);
    expect(foreignHost.headers['set-cookie']).toBeUndefined();
    const foreignOrigin = await raw({
      port,
      path: `/?token=${TOKEN}`,
      headers: { Origin: 'http://evil.example' },
    });
    expect(foreignOrigin.status).toBe(403);
    expect(foreignOrigin.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['//evil.example/?token=T', '/evil.example/'],
    ['//x//evil.example/?token=T', '/x//evil.example/'],
    ['/\\evil.example/?token=T', '/evil.example/'],
    ['///\\\\evil.example/?token=T&tab=logs', '/evil.example/?tab=logs'],
    ['/miners?token=T&id=a', '/miners?id=a'],
  ])('redirects %s only to a path on this origin (%s)', async (target, expected) => {
    await start();
    const res = await raw({ port: t.server.port, path: target.replace('T', TOKEN) });
    expect(res.status).toBe(303);
    const location = res.headers.location!;
    expect(location).toBe(expected);
    const base = `http://127.0.0.1:${t.server.port}`;
    expect(new URL(location, base).origin).toBe(base);
  });
});

describe('sessions kept in a file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hashdeck-sessions-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survive a restart under the same token, never under another one', async () => {
    const path = join(dir, 'headless-sessions.json');
    const first = new SessionStore(DEFAULT_SESSION_LIMITS, Date.now, {
      path,
      tokenFingerprint: tokenFingerprint('a'.repeat(32)),
    });
    const { id } = first.create();
    await first.flush();
    const same = new SessionStore(DEFAULT_SESSION_LIMITS, Date.now, {
      path,
      tokenFingerprint: tokenFingerprint('a'.repeat(32)),
    });
    expect(same.use(id)).not.toBeNull();
    const other = new SessionStore(DEFAULT_SESSION_LIMITS, Date.now, {
      path,
      tokenFingerprint: tokenFingerprint('b'.repeat(32)),
    });
    expect(other.use(id)).toBeNull();
    // the file holds hashes of ids, never an id a browser could present
    expect(await readFile(path, 'utf8')).not.toContain(id);
  });

  it('a revoked session stays revoked after a restart', async () => {
    const path = join(dir, 'headless-sessions.json');
    const fp = tokenFingerprint('c'.repeat(32));
    const first = new SessionStore(DEFAULT_SESSION_LIMITS, Date.now, { path, tokenFingerprint: fp });
    const { id, key } = first.create();
    first.revoke(key);
    await first.flush();
    expect(
      new SessionStore(DEFAULT_SESSION_LIMITS, Date.now, { path, tokenFingerprint: fp }).use(id),
    ).toBeNull();
  });

  it('a file that is not a session file is set aside, not trusted or overwritten', async () => {
    const path = join(dir, 'headless-sessions.json');
    await writeFile(path, '{"version":1,"token":"x","sessions":[{"key":');
    const store = new SessionStore(DEFAULT_SESSION_LIMITS, Date.now, { path, tokenFingerprint: 'x' });
    expect(store.size).toBe(0);
    const names = await readdir(dir);
    expect(names.some((n) => n.startsWith('headless-sessions.json.unreadable-'))).toBe(true);
  });
});
