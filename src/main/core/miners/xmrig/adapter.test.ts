// The XMRig adapter: argument arrays, stats over HTTP with a Bearer token (against a fake io and a real
// loopback server serving the captured replies), JSON-RPC pause/resume and throttle planning.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, it, expect, vi } from 'vitest';
import { MinerError } from '../../../../shared/errors';
import { minerConfigObject } from '../../../../shared/schemas';
import type { MinerConfigInput } from '../../../../shared/schemas';
import type { AdapterIo, ApiEndpoint, LaunchContext } from '../adapter';
import { nodeIo } from '../io';
import { xmrigAdapter } from './adapter';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../../test/data/xmrig-6.26.0/${name}`, import.meta.url), 'utf8');

const workDir = path.join('/tmp', 'w');

function ctx(config: MinerConfigInput = {}, binaryPath = '/opt/xmrig/xmrig'): LaunchContext {
  return {
    id: 'm1',
    generation: 1,
    config: minerConfigObject.parse({ pool: 'pool.example.com:3333', wallet: '4Abc', ...config }),
    workDir,
    binaryPath,
    apiPort: 18461,
    apiToken: 'tok',
  };
}

const api: ApiEndpoint = { kind: 'http', host: '127.0.0.1', port: 18461, token: 'tok' };
const signal = () => AbortSignal.timeout(5000);

/** An io whose http() is answered by a fetch-style handler; `fetch` records each call as (url, init). */
function ioWith(handler: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const fetch = vi.fn((input: string, init: RequestInit) => Promise.resolve(handler(input, init)));
  const io: AdapterIo = {
    http: async (req) => {
      const res = await fetch(`http://${req.host}:${req.port}${req.path}`, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
      });
      const body = await res.text();
      if (Buffer.byteLength(body) > req.maxBytes) {
        throw new MinerError('MINER_API', `Miner API response is larger than ${req.maxBytes} bytes`);
      }
      return { status: res.status, body };
    },
    tcpRequest: vi.fn(),
  };
  return { io, fetch };
}

async function rejection(p: Promise<unknown>): Promise<MinerError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MinerError);
  return err as MinerError;
}

describe('buildLaunch', () => {
  it('runs the binary with an argument array: config file and no colour; extra args go into the file', () => {
    const plan = xmrigAdapter.buildLaunch(ctx({ cliArgs: '--no-y  --randomx-m light -s5' }));
    expect(plan.command).toBe('/opt/xmrig/xmrig');
    expect(plan.args).toEqual([`--config=${path.join(workDir, 'config.json')}`, '--no-color']);
    expect(plan.files.map((f) => f.path)).toEqual([path.join(workDir, 'config.json')]);
    const json = JSON.parse(plan.files[0]?.content ?? '{}') as Record<string, unknown>;
    expect(json).toMatchObject({ randomx: { mode: 'light' }, cpu: { yield: false }, 'print-time': 5 });
    expect(plan.api).toEqual({ kind: 'http', host: '127.0.0.1', port: 18461, token: 'tok' });
  });

  it.each([
    ['--back', '"--back" is --background, which the app does not allow'],
    ['-c/x', '"-c" in "-c/x" is --config, which the app does not allow'],
    ['--http-h=0.0.0.0', '"--http-h" is --http-host, which the app does not allow'],
  ])('never launches with a refused extra arg (%s), even if validation was skipped', (cliArgs, message) => {
    // minerConfigObject alone does not judge cliArgs (the type is not known there): the adapter must.
    expect(() => xmrigAdapter.buildLaunch(ctx({ cliArgs }))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(message) }),
    );
  });

  it.each(['/x/fake-xmrig.mjs', '/x/fake.js', 'C:\\x\\fake.cjs'])(
    'runs %s itself, never through an interpreter (only trusted executables run)',
    (script) => {
      const plan = xmrigAdapter.buildLaunch(ctx({}, script));
      expect(plan.command).toBe(script);
      expect(plan.args[0]).toMatch(/^--config=/);
    },
  );

  it('refuses to launch without a resolved binary', () => {
    expect(() => xmrigAdapter.buildLaunch({ ...ctx(), binaryPath: null })).toThrow(MinerError);
  });
});

describe('fetchStats with an injected io', () => {
  it('GETs summary and backends with the Bearer token and merges them', async () => {
    const { io, fetch } = ioWith((url) =>
      url.endsWith('/2/summary')
        ? new Response(fixture('runA_2_summary_running.json'))
        : new Response(fixture('runA_2_backends.json')),
    );
    const stats = await xmrigAdapter.fetchStats(api, signal(), io);
    expect(stats.hashrate).toEqual([515.03, null, null]);
    expect(stats.threads).toEqual([515.03]);
    const urls = fetch.mock.calls.map((c) => String(c[0])).sort();
    expect(urls).toEqual(['http://127.0.0.1:18461/2/backends', 'http://127.0.0.1:18461/2/summary']);
    for (const call of fetch.mock.calls) {
      const init = call[1] as RequestInit;
      expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
      expect(init.signal).toBeInstanceOf(AbortSignal);
    }
  });

  it('still returns stats when only /2/backends fails', async () => {
    const { io } = ioWith((url) =>
      url.endsWith('/2/summary')
        ? new Response(fixture('runA_2_summary_running.json'))
        : new Response('', { status: 404 }),
    );
    expect((await xmrigAdapter.fetchStats(api, signal(), io)).threads).toEqual([]);
  });

  it.each([
    [401, fixture('runB_noauth.json'), 'XMRig API refused the token (401)'],
    [403, fixture('runB_wrongtoken.json'), 'XMRig API refused the token or is in restricted mode (403)'],
    [500, '', 'XMRig API answered HTTP 500 to GET /2/summary'],
  ])('maps HTTP %i to MINER_API', async (status, body, message) => {
    const { io } = ioWith(() => new Response(body, { status }));
    const err = await rejection(xmrigAdapter.fetchStats(api, signal(), io));
    expect(err.code).toBe('MINER_API');
    expect(err.message).toBe(message);
  });

  it('rejects a body over 2 MiB before parsing it', async () => {
    const big = new Uint8Array(3 * 1024 * 1024).fill(32);
    const { io } = ioWith(() => new Response(big));
    const err = await rejection(xmrigAdapter.fetchStats(api, signal(), io));
    expect(err.code).toBe('MINER_API');
    expect(err.message).toMatch(/larger than/);
  });

  it('rejects invalid JSON', async () => {
    const { io } = ioWith(() => new Response('<html>'));
    expect((await rejection(xmrigAdapter.fetchStats(api, signal(), io))).message).toMatch(/valid JSON/);
  });

  it('maps an unreachable API to MINER_API and an aborted request to TIMEOUT', async () => {
    const refused: AdapterIo = {
      http: () => Promise.reject(new Error('connect ECONNREFUSED')),
      tcpRequest: vi.fn(),
    };
    const err = await rejection(xmrigAdapter.fetchStats(api, signal(), refused));
    expect(err.code).toBe('MINER_API');
    expect(err.message).toMatch(/not reachable.*ECONNREFUSED/);

    const controller = new AbortController();
    controller.abort();
    const aborted: AdapterIo = {
      http: () => Promise.reject(new DOMException('aborted', 'AbortError')),
      tcpRequest: vi.fn(),
    };
    expect((await rejection(xmrigAdapter.fetchStats(api, controller.signal, aborted))).code).toBe('TIMEOUT');
  });

  it('refuses a non-HTTP endpoint', async () => {
    const { io } = ioWith(() => new Response('{}'));
    await rejection(xmrigAdapter.fetchStats({ kind: 'inproc', key: 'x' }, signal(), io));
  });
});

describe('pause / resume over JSON-RPC', () => {
  const ok = '{"result":{"status":"OK"},"jsonrpc":"2.0","id":1}';

  /** /json_rpc answers `rpc`; /2/summary reports `paused` (the captured summary with one word changed). */
  function miner(rpc: string, paused: () => boolean) {
    const summary = fixture('runB_2_summary_running.json');
    return ioWith((url) =>
      url.endsWith('/json_rpc')
        ? new Response(rpc)
        : new Response(summary.replace('"paused": false', `"paused": ${String(paused())}`)),
    );
  }

  it.each(['pause', 'resume'] as const)(
    '%s POSTs exactly the JSON-RPC body with application/json, then reads paused back from /2/summary',
    async (method) => {
      const { io, fetch } = miner(ok, () => method === 'pause');
      const stats = await xmrigAdapter[method]?.(api, signal(), io);
      const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
      expect(url).toBe('http://127.0.0.1:18461/json_rpc');
      expect(init.method).toBe('POST');
      expect(init.body).toBe(`{"id":1,"jsonrpc":"2.0","method":"${method}"}`);
      expect(init.headers).toEqual({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
      expect(fetch.mock.calls[1]?.[0]).toBe('http://127.0.0.1:18461/2/summary');
      expect(stats).toMatchObject({ paused: method === 'pause' });
    },
  );

  it('an OK the miner did not act on is an error', async () => {
    const { io } = miner(ok, () => false);
    const err = await rejection(xmrigAdapter.pause?.(api, signal(), io) ?? Promise.resolve());
    expect(err.code).toBe('MINER_API');
    expect(err.message).toMatch(/answered OK to pause but still reports running/);
  });

  it('a lost or garbled reply is a success when the summary shows the miner did it', async () => {
    const { io } = miner('HTTP/1.1 200 OK garbage', () => true);
    await expect(xmrigAdapter.pause?.(api, signal(), io)).resolves.toMatchObject({ paused: true });
    const failing = miner(ok, () => true);
    const flaky: AdapterIo = {
      ...failing.io,
      http: (req) =>
        req.path === '/json_rpc'
          ? Promise.reject(new MinerError('MINER_API', 'closed the connection mid-reply'))
          : failing.io.http(req),
    };
    await expect(xmrigAdapter.pause?.(api, signal(), flaky)).resolves.toMatchObject({ paused: true });
  });

  it('confirm: false (budget pulses) skips the read-back', async () => {
    const { io, fetch } = miner(ok, () => false);
    await expect(xmrigAdapter.pause?.(api, signal(), io, { confirm: false })).resolves.toBeUndefined();
    expect(fetch.mock.calls).toHaveLength(1);
  });

  it.each([
    [
      '{"error":{"code":-32601,"message":"Method not found"},"jsonrpc":"2.0","id":3}',
      /Method not found \(JSON-RPC -32601\)/,
    ],
    [
      '{"error":{"code":-32700,"message":"Parse error"},"jsonrpc":"2.0","id":null}',
      /Parse error \(JSON-RPC -32700\)/,
    ],
    ['{"result":{"status":"FAILED"}}', /did not report status OK/],
    ['not json', /not valid JSON/],
  ])('turns an HTTP 200 error reply into MINER_API (%s)', async (body, message) => {
    const { io, fetch } = ioWith(() => new Response(body));
    const err = await rejection(xmrigAdapter.pause?.(api, signal(), io) ?? Promise.resolve());
    expect(err.code).toBe('MINER_API');
    expect(err.message).toMatch(message);
    // A JSON-RPC error object is XMRig refusing: final, no read-back of the summary.
    if (body.includes('"error"')) expect(fetch.mock.calls).toHaveLength(1);
  });

  it('a caller that gave up gets its failure at once, with no read-back', async () => {
    const controller = new AbortController();
    const { io, fetch } = ioWith((url) => {
      if (url.endsWith('/json_rpc')) controller.abort();
      return new Response('garbled');
    });
    await rejection(xmrigAdapter.pause?.(api, controller.signal, io) ?? Promise.resolve());
    expect(fetch.mock.calls).toHaveLength(1);
  });

  it('explains a 403 from a restricted API', async () => {
    const { io } = ioWith(() => new Response('{"status":403,"error":"FORBIDDEN"}', { status: 403 }));
    expect((await rejection(xmrigAdapter.pause?.(api, signal(), io) ?? Promise.resolve())).message).toMatch(
      /restricted/,
    );
  });
});

describe('planThrottle', () => {
  it('applies a hint change live by rewriting the watched config', () => {
    const plan = xmrigAdapter.planThrottle(ctx({ cpuMaxThreadsHint: 50 }), { cpuMaxThreadsHint: 100 });
    expect(plan.mode).toBe('live');
    expect(plan.config.cpuMaxThreadsHint).toBe(100);
    expect(plan.files).toHaveLength(1);
    const written = JSON.parse(plan.files[0]?.content ?? '{}') as {
      cpu: Record<string, unknown>;
      http: unknown;
    };
    expect(written.cpu['max-threads-hint']).toBe(100);
    expect(written.http).toMatchObject({ port: 18461, 'access-token': 'tok' });
  });

  it('applies a priority change live, even with explicit threads', () => {
    const plan = xmrigAdapter.planThrottle(ctx({ threads: 2 }), { cpuPriority: 0 });
    expect(plan.mode).toBe('live');
    expect(plan.config).toMatchObject({ cpuPriority: 0, threads: 2 });
  });

  it('applies a threads change live as the cpu.rx array, with a target to confirm against', () => {
    const plan = xmrigAdapter.planThrottle(ctx(), { threads: 2 });
    expect(plan.mode).toBe('live');
    const written = JSON.parse(plan.files[0]?.content ?? '{}') as { cpu: Record<string, unknown> };
    expect(written.cpu.rx).toEqual([-1, -1]);
    expect(plan.target).toEqual({ threads: 2, cpuMaxThreadsHint: 100, cpuPriority: null });
    const back = xmrigAdapter.planThrottle(ctx({ threads: 2 }), { threads: 0 });
    expect(back.mode).toBe('live');
    expect(JSON.parse(back.files[0]?.content ?? '{}')).not.toHaveProperty('cpu.rx');
    expect(back.target).toMatchObject({ threads: null });
  });

  it('a hint alone while threads are fixed hands the count back to XMRig, and says so', () => {
    const plan = xmrigAdapter.planThrottle(ctx({ threads: 2 }), { cpuMaxThreadsHint: 50 });
    expect(plan).toMatchObject({ mode: 'live', patch: { cpuMaxThreadsHint: 50, threads: 0 } });
    expect(plan.config.threads).toBe(0);
    expect(plan.message).toMatch(/replaces the fixed count of 2 thread/);
    // both given: the explicit count stays
    expect(xmrigAdapter.planThrottle(ctx(), { threads: 3, cpuMaxThreadsHint: 50 }).config.threads).toBe(3);
  });
});

describe('readKnobs', () => {
  const backends = fixture('runB_2_backends.json');
  it('reads the thread count and priority from /2/backends (null while no workers)', async () => {
    const { io, fetch } = ioWith(() => new Response(backends));
    const target = { threads: 1, cpuMaxThreadsHint: 100, cpuPriority: 2 };
    expect(await xmrigAdapter.readKnobs!(api, target, signal(), io)).toEqual({ threads: 1, priority: 2 });
    expect(fetch.mock.calls).toHaveLength(1);
    const stopped = ioWith(() => new Response(fixture('runB_2_backends_after_stop.json')));
    expect(await xmrigAdapter.readKnobs!(api, target, signal(), stopped.io)).toEqual({
      threads: null,
      priority: 2,
    });
  });

  it('reads the hint from /1/config when XMRig picks the count, null while a profile overrides it', async () => {
    const config = JSON.parse(fixture('runB_1_config.json')) as { cpu: Record<string, unknown> };
    const auto = { ...config, cpu: { enabled: true, priority: null, 'max-threads-hint': 50 } };
    const target = { threads: null, cpuMaxThreadsHint: 50, cpuPriority: null };
    const withProfile = ioWith(
      (url) => new Response(url.endsWith('/1/config') ? JSON.stringify(config) : backends),
    );
    expect(await xmrigAdapter.readKnobs!(api, target, signal(), withProfile.io)).toMatchObject({
      hint: null,
    });
    const hinted = ioWith((url) => new Response(url.endsWith('/1/config') ? JSON.stringify(auto) : backends));
    expect(await xmrigAdapter.readKnobs!(api, target, signal(), hinted.io)).toEqual({
      threads: 1,
      priority: 2,
      hint: 50,
    });
  });
});

describe('fetchStats against a loopback HTTP server with the real io', () => {
  let server: http.Server;
  let port = 0;
  const token = 'loopback-token';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(req.headers.authorization ? 403 : 401, { 'Content-Type': 'application/json' });
        res.end(req.headers.authorization ? fixture('runB_wrongtoken.json') : fixture('runB_noauth.json'));
        return;
      }
      const body =
        req.url === '/2/summary' ? fixture('runB_2_summary_running.json') : fixture('runB_2_backends.json');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads stats with the right token', async () => {
    const stats = await xmrigAdapter.fetchStats(
      { kind: 'http', host: '127.0.0.1', port, token },
      signal(),
      nodeIo,
    );
    expect(stats.hashrate).toEqual([42.67, null, null]);
    expect(stats.threads).toEqual([42.25]);
  });

  it('reports a wrong token as MINER_API 403', async () => {
    const err = await rejection(
      xmrigAdapter.fetchStats({ kind: 'http', host: '127.0.0.1', port, token: 'wrong' }, signal(), nodeIo),
    );
    expect(err.message).toMatch(/403/);
  });
});
