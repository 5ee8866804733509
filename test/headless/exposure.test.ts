// Serving beyond loopback: plain HTTP is refused unless asked for by name, HTTPS sets Secure cookies and
// accepts only https origins, and a wildcard bind answers only to loopback names and --allow-host names.
import { afterEach, describe, expect, it } from 'vitest';
import { startHeadlessServer } from '../../src/main/headless/server';
import {
  login,
  post,
  raw,
  ScriptedService,
  startTestServer,
  TEST_TLS,
  TOKEN,
  type TestServer,
} from './support';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const bearer = { Authorization: `Bearer ${TOKEN}` };

describe('binding beyond loopback', () => {
  it('refuses plain HTTP on a reachable address unless --insecure-http was given', async () => {
    const attempt = startHeadlessServer({
      service: new ScriptedService(),
      host: '0.0.0.0',
      port: 0,
      token: TOKEN,
      staticDir: null,
    });
    await expect(attempt).rejects.toThrow(/--tls-cert FILE --tls-key FILE.*--insecure-http/);
  });

  it('refuses a token shorter than 32 characters', async () => {
    const attempt = startHeadlessServer({
      service: new ScriptedService(),
      host: '127.0.0.1',
      port: 0,
      token: 'short',
      staticDir: null,
    });
    await expect(attempt).rejects.toThrow(/at least 32 characters/);
  });

  it('answers on a wildcard bind only to loopback names and the allowed ones, never to any Host', async () => {
    t = await startTestServer({ host: '0.0.0.0', insecureHttp: true, allowHosts: ['rig.lan'] });
    const port = t.server.port;
    const as = (host: string) =>
      raw({ port, path: '/api/getSnapshot', method: 'POST', headers: bearer, host });
    expect((await as(`127.0.0.1:${port}`)).status).toBe(200);
    expect((await as(`localhost:${port}`)).status).toBe(200);
    expect((await as(`rig.lan:${port}`)).status).toBe(200);
    expect((await as(`RIG.LAN:${port}`)).status).toBe(200);
    for (const host of [
      `evil.example:${port}`,
      `rig.lan.evil.example:${port}`,
      `rig.lan:${port + 1}`,
      `0.0.0.0:${port}`,
      `10.1.2.3:${port}`,
    ]) {
      const res = await as(host);
      expect(`${host} ${res.status}`).toBe(`${host} 403`);
    }
  });
});

describe('HTTPS', () => {
  it('serves the API and marks the session cookie Secure', async () => {
    t = await startTestServer({ tls: TEST_TLS });
    expect(t.server.url).toBe(`https://127.0.0.1:${t.server.port}/`);
    expect((await post(t.server, 'getSnapshot', bearer)).status).toBe(200);
    const res = await raw({ port: t.server.port, path: `/?token=${TOKEN}`, tls: true });
    expect(res.headers['set-cookie']![0]).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    const cookie = await login(t.server);
    expect((await post(t.server, 'getSnapshot', { Cookie: cookie })).status).toBe(200);
  });

  it('accepts only its own https origin', async () => {
    t = await startTestServer({ tls: TEST_TLS });
    const port = t.server.port;
    expect(
      (await post(t.server, 'getSnapshot', { ...bearer, Origin: `https://127.0.0.1:${port}` })).status,
    ).toBe(200);
    expect(
      (await post(t.server, 'getSnapshot', { ...bearer, Origin: `http://127.0.0.1:${port}` })).status,
    ).toBe(403);
  });

  it('serves a reachable address without --insecure-http, Host allow-list still on', async () => {
    t = await startTestServer({ host: '0.0.0.0', tls: TEST_TLS });
    const port = t.server.port;
    const as = (host: string) =>
      raw({ port, path: '/api/getSnapshot', method: 'POST', headers: bearer, host, tls: true });
    expect((await as(`127.0.0.1:${port}`)).status).toBe(200);
    expect((await as(`evil.example:${port}`)).status).toBe(403);
  });

  it('refuses --insecure-http together with TLS', async () => {
    const attempt = startHeadlessServer({
      service: new ScriptedService(),
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      staticDir: null,
      tls: TEST_TLS,
      insecureHttp: true,
    });
    await expect(attempt).rejects.toThrow(/contradict/);
  });
});
