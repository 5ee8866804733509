// The headless HTTP transport over a real service: token, cookie, Host and Origin checks, command
// routing with contract errors, SSE events, and static files that cannot escape their folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startHeadlessServer, type HeadlessServer } from '../../src/main/headless/server';
import { makeTestService, type TestService } from '../support/service';

const TOKEN = 'test-token-0123456789-abcdefghijklmnop';
let ctx: TestService;
let server: HeadlessServer;
let base: string;
let staticDir: string;

beforeAll(async () => {
  ctx = await makeTestService();
  staticDir = await mkdtemp(join(tmpdir(), 'hashdeck-static-'));
  await mkdir(join(staticDir, 'assets'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>HashDeck</title>');
  await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(staticDir, 'assets', 'index-Bp7nP5wv.js'), 'console.log(2)');
  server = await startHeadlessServer({
    service: ctx.service,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    staticDir,
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await ctx.dispose();
  await rm(staticDir, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${TOKEN}` };
const post = (command: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${base}/api/${command}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** Raw request, for headers fetch will not let us set (Host). */
function raw(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('headless server', () => {
  it('refuses a request without the token with 401 and the contract error shape', async () => {
    const res = await post('getSnapshot', {}, {});
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await post('getSnapshot', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('answers a command with the plain result when the Bearer token is right', async () => {
    const res = await post('getSnapshot', {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      miners: unknown[];
      profiles: unknown[];
      settings: { dataDir: string };
    };
    expect(body).toMatchObject({ miners: [], profiles: [] });
    expect(body.settings.dataDir).toBe(ctx.dataDir);
  });

  it('refuses a foreign Origin and a foreign Host even with the token', async () => {
    expect((await post('getSnapshot', {}, { ...auth, Origin: 'http://evil.example' })).status).toBe(403);
    expect(await raw('/api/getSnapshot', { ...auth, Host: 'evil.example:80' })).toBe(403);
    expect((await post('getSnapshot', {}, { ...auth, Origin: base })).status).toBe(200);
  });

  it('maps contract errors to status codes: 400 with field details, 404 unknown command and miner', async () => {
    const bad = await post('saveProfile', { name: '', minerType: 'xmrig' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.details.map((d) => d.path)).toContain('name');
    expect((await post('noSuchCommand', {})).status).toBe(404);
    expect((await post('stopMiner', { id: 'ghost' })).status).toBe(404);
    const notJson = await fetch(`${base}/api/getSnapshot`, { method: 'POST', headers: auth, body: '{oops' });
    expect(notJson.status).toBe(400);
  });

  it('trades the URL token for an HttpOnly SameSite=Strict session cookie that then authenticates', async () => {
    const res = await fetch(`${base}/?token=${TOKEN}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^hashdeck_session_${server.port}=[\\w-]{43};`));
    expect(cookie).not.toContain(TOKEN);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure'); // plain HTTP on loopback: a Secure cookie would never come back
    const page = await fetch(`${base}/`, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('HashDeck');
    expect((await fetch(`${base}/?token=nope`, { redirect: 'manual' })).status).toBe(401);
  });

  it('never serves a file outside the static folder', async () => {
    const res = await fetch(`${base}/..%2f..%2f..%2fetc%2fpasswd`, { headers: auth });
    expect(res.status).toBe(400);
    const ok = await fetch(`${base}/assets/app.js`, { headers: auth });
    expect(ok.headers.get('content-type')).toContain('javascript');
    const index = await fetch(`${base}/`, { headers: auth });
    expect(index.headers.get('cache-control')).toBe('no-store'); // a new build must be picked up at once
    expect(ok.headers.get('cache-control')).toBe('public, max-age=3600');
    const hashed = await fetch(`${base}/assets/index-Bp7nP5wv.js`, { headers: auth });
    expect(hashed.headers.get('cache-control')).toContain('immutable');
  });

  it('streams events as SSE: a started miner arrives as a minerState event', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/events`, { headers: auth, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const started = post('startMiner', { name: 'sse', minerType: 'simulated', config: {} });
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('"state":"running"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    expect((await started).status).toBe(200);
    expect(text).toMatch(/event: minerState\ndata: \{.*"id":"sse"/);
    await post('stopMiner', { id: 'sse' });
  });
});
