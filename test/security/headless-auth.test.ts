// Attacks on the headless server's access control, replayed through the real server and the real mining
// service (and the real CLI where the attack is a start-up option). Each one succeeded before the hardening.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startHeadlessServer, type HeadlessServer } from '../../src/main/headless/server';
import { makeTestService, type TestService } from '../support/service';
import { runHeadlessCli, type CliRun } from './support/headless-cli';

const TOKEN = 'sec-0123456789abcdefghijklmnopqrstuvwxyzABCD';

let ctx: TestService | undefined;
let server: HeadlessServer | undefined;
let cli: CliRun | undefined;

afterEach(async () => {
  await server?.close();
  await ctx?.dispose();
  await cli?.stop();
  server = undefined;
  ctx = undefined;
  cli = undefined;
});

async function start(host = '127.0.0.1', extra: Record<string, unknown> = {}): Promise<HeadlessServer> {
  ctx = await makeTestService();
  server = await startHeadlessServer({
    service: ctx.service,
    host,
    port: 0,
    token: TOKEN,
    staticDir: null,
    ...extra,
  });
  return server;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly this target and these headers (an attacker controls both). */
function send(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: { Host: `127.0.0.1:${port}`, ...headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

/** The exit code, or 'served' if the server started listening instead of refusing. */
const outcome = (run: CliRun) => Promise.race([run.exited, run.ready.then(() => 'served')]);

const snapshot = (port: number, headers: Record<string, string>) =>
  send(port, '/api/getSnapshot', headers, 'POST');

describe('attack: steal or replay the browser cookie to get the master token', () => {
  it('the cookie set from the printed link is a session id, not the token', async () => {
    const s = await start();
    const res = await send(s.port, `/?token=${TOKEN}`);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).not.toContain(TOKEN);
    expect(cookie).toMatch(new RegExp(`^hashdeck_session_${s.port}=`));
    expect(cookie).toMatch(/Max-Age=\d+/); // it expires
  });

  it('the master token presented as a cookie opens nothing', async () => {
    const s = await start();
    for (const name of ['hashdeck_token', `hashdeck_session_${s.port}`]) {
      expect((await snapshot(s.port, { Cookie: `${name}=${TOKEN}` })).status).toBe(401);
    }
  });

  it('a stolen session can be revoked: after logout it opens nothing', async () => {
    const s = await start();
    const cookie = String((await send(s.port, `/?token=${TOKEN}`)).headers['set-cookie']).split(';')[0]!;
    expect((await snapshot(s.port, { Cookie: cookie })).status).toBe(200);
    expect((await send(s.port, '/api/session/logout', { Cookie: cookie }, 'POST')).status).toBe(200);
    expect((await snapshot(s.port, { Cookie: cookie })).status).toBe(401);
  });
});

describe('attack: abuse the ?token= swap', () => {
  it('a rebinding DNS name cannot get the token swapped into a cookie (Host is checked first)', async () => {
    const s = await start();
    const res = await send(s.port, `/?token=${TOKEN}`, { Host: `rebind.evil.example:${s.port}` });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('a foreign page cannot run the swap (Origin is checked first)', async () => {
    const s = await start();
    const res = await send(s.port, `/?token=${TOKEN}`, { Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('the swap never redirects off this origin (//host targets)', async () => {
    const s = await start();
    const base = `http://127.0.0.1:${s.port}`;
    for (const target of [
      `//x//evil.example/?token=${TOKEN}`,
      `//evil.example/?token=${TOKEN}`,
      `/\\evil.example/?token=${TOKEN}`,
    ]) {
      const res = await send(s.port, target);
      const location = String(res.headers.location);
      expect(new URL(location, base).origin, `${target} -> ${location}`).toBe(base);
    }
  });
});

describe('attack: guess the token', () => {
  it('wrong Bearer tokens from one address are cut off with 429 and Retry-After', async () => {
    const s = await start();
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 30; i++) {
      const res = await snapshot(s.port, { Authorization: `Bearer guess-${String(i).padStart(40, '0')}` });
      statuses.push(res.status);
      retryAfter ??= res.headers['retry-after'] as string | undefined;
    }
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(15);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('a HASHDECK_TOKEN shorter than 32 characters is refused at start', async () => {
    cli = await runHeadlessCli({ env: { HASHDECK_TOKEN: 'hunter2' } });
    expect(await outcome(cli)).toBe(1);
    expect(cli.output()).toMatch(
      /error: HASHDECK_TOKEN: the access token must be at least 32 characters long/,
    );
  });
});

describe('attack: reach the server from elsewhere', () => {
  it('plain HTTP beyond loopback is refused at start unless --insecure-http is given', async () => {
    cli = await runHeadlessCli({ args: ['--host', '0.0.0.0'] });
    expect(await outcome(cli)).toBe(1);
    expect(cli.output()).toMatch(/--tls-cert FILE --tls-key FILE, or accept the risk with --insecure-http/);
  });

  it('a wildcard bind does not answer to any Host (DNS rebinding with a valid token)', async () => {
    const s = await start('0.0.0.0', { insecureHttp: true });
    const res = await snapshot(s.port, {
      Authorization: `Bearer ${TOKEN}`,
      Host: `rebind.evil.example:${s.port}`,
    });
    expect(res.status).toBe(403);
    expect((await snapshot(s.port, { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });
});

describe('attack: crash the request handler', () => {
  it('a malformed Cookie header is a 401, not a 500', async () => {
    const s = await start();
    const res = await snapshot(s.port, {
      Cookie: `hashdeck_token=%E0%A4%A; hashdeck_session_${s.port}=%E0%A4%A`,
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});
