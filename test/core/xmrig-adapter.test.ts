// The XMRig adapter at the edges: requests it makes (paths, methods, headers) with and without per-thread
// detail, how HTTP and JSON-RPC failures read, the config it generates, and what a throttle keeps.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { xmrigAdapter } from '../../src/main/core/miners/xmrig/adapter';
import { buildXmrigConfig } from '../../src/main/core/miners/xmrig/config';
import { commandFor } from '../../src/main/core/miners/command';
import { getAdapter } from '../../src/main/core/miners/index';
import { binaryName } from '../../src/main/core/install/layout';
import type { AdapterIo, ApiEndpoint, LaunchContext } from '../../src/main/core/miners/adapter';
import type { HttpRequest } from '../../src/main/core/miners/http-client';
import { MinerError } from '../../src/shared/errors';
import { minerConfigObject, type MinerConfigInput, type MinerType } from '../../src/shared/schemas';

const SUMMARY = readFileSync(
  new URL('../data/xmrig-6.26.0/runA_2_summary_running.json', import.meta.url),
  'utf8',
);
const BACKENDS = readFileSync(new URL('../data/xmrig-6.26.0/runA_2_backends.json', import.meta.url), 'utf8');
const api: ApiEndpoint = { kind: 'http', host: '127.0.0.1', port: 18461, token: 'tok' };
const signal = () => AbortSignal.timeout(2000);

/** An io answering from a table by path; records every request. */
function io(answer: (req: HttpRequest) => { status: number; body: string } | Error) {
  const requests: HttpRequest[] = [];
  const value: AdapterIo = {
    http: async (req) => {
      requests.push(req);
      const a = answer(req);
      if (a instanceof Error) throw a;
      return a;
    },
    tcpRequest: () => Promise.reject(new Error('not used')),
  };
  return { io: value, requests };
}

const ok = (body: string) => ({ status: 200, body });

function ctx(config: MinerConfigInput = {}): LaunchContext {
  return {
    id: 'x',
    generation: 1,
    config: minerConfigObject.parse({ pool: 'stratum+tcp://pool:3333', wallet: 'w', ...config }),
    workDir: '/w',
    binaryPath: '/opt/xmrig',
    apiPort: 18461,
    apiToken: 'tok',
  };
}

describe('xmrig fetchStats requests', () => {
  it('asks only for the summary when no per-thread detail is wanted', async () => {
    const { io: cheap, requests } = io(() => ok(SUMMARY));
    const stats = await xmrigAdapter.fetchStats(api, signal(), cheap, { detail: false });
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /2/summary']);
    expect(requests[0]!.headers).toEqual({ Authorization: 'Bearer tok' }); // no Content-Type on a GET
    expect(stats.hashrate[0]).toBeGreaterThan(0);
  });

  it('asks for summary and backends with detail (the default)', async () => {
    const { io: full, requests } = io((r) => ok(r.path === '/2/summary' ? SUMMARY : BACKENDS));
    const stats = await xmrigAdapter.fetchStats(api, signal(), full);
    expect(requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /2/backends',
      'GET /2/summary',
    ]);
    expect(stats.threads.length).toBeGreaterThan(0);
  });

  it('reads the knobs from /2/backends, and the hint from /1/config only when no count is fixed', async () => {
    const config = JSON.stringify({ cpu: { enabled: true, priority: 2, 'max-threads-hint': 50 } });
    const answer = (r: HttpRequest) =>
      r.path === '/2/backends'
        ? ok(BACKENDS)
        : r.path === '/1/config'
          ? ok(config)
          : { status: 404, body: '' };
    const auto = io(answer);
    const target = { threads: null, cpuMaxThreadsHint: 50, cpuPriority: 2 };
    await expect(xmrigAdapter.readKnobs!(api, target, signal(), auto.io)).resolves.toEqual({
      threads: 1,
      priority: 2,
      hint: 50,
    });
    expect(auto.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /2/backends', 'GET /1/config']);
    const fixed = io(answer);
    await expect(
      xmrigAdapter.readKnobs!(api, { ...target, threads: 1 }, signal(), fixed.io),
    ).resolves.toEqual({
      threads: 1,
      priority: 2,
    });
    expect(fixed.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /2/backends']);
  });

  it('passes the io errors it already explains through unchanged', async () => {
    const capped = new MinerError(
      'MINER_API',
      'Miner API response is larger than 2097152 bytes; refusing to read it',
    );
    const { io: big } = io(() => capped);
    await expect(xmrigAdapter.fetchStats(api, signal(), big, { detail: false })).rejects.toBe(capped);
  });

  it('calls a request the caller gave up on a timeout, naming the request', async () => {
    const controller = new AbortController();
    const { io: late } = io(() => {
      controller.abort();
      return new Error('aborted');
    });
    await expect(
      xmrigAdapter.fetchStats(api, controller.signal, late, { detail: false }),
    ).rejects.toMatchObject({ code: 'TIMEOUT', message: 'XMRig API did not answer GET /2/summary in time' });
  });

  it('refuses any status outside 2xx, naming it and the request', async () => {
    for (const status of [199, 300, 500]) {
      const { io: bad } = io(() => ({ status, body: SUMMARY }));
      await expect(xmrigAdapter.fetchStats(api, signal(), bad, { detail: false })).rejects.toMatchObject({
        code: 'MINER_API',
        message: `XMRig API answered HTTP ${status} to GET /2/summary`,
      });
    }
    const { io: edge } = io(() => ({ status: 299, body: SUMMARY }));
    await expect(xmrigAdapter.fetchStats(api, signal(), edge, { detail: false })).resolves.toBeDefined();
  });

  it('refuses a non-HTTP endpoint, saying which kind it got', async () => {
    await expect(
      xmrigAdapter.pause!({ kind: 'inproc', key: 'k' }, signal(), io(() => ok('')).io),
    ).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'XMRig expects an HTTP API endpoint, got "inproc"',
    });
  });
});

describe('xmrig pause / resume replies', () => {
  const rpc = (body: string) => xmrigAdapter.resume!(api, signal(), io(() => ok(body)).io);

  it('posts JSON-RPC with the JSON content type XMRig requires', async () => {
    const { io: rec, requests } = io(() => ok('{"id":1,"jsonrpc":"2.0","result":{"status":"OK"}}'));
    await xmrigAdapter.pause!(api, signal(), rec, { confirm: false });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/json_rpc',
      headers: { Authorization: 'Bearer tok', 'Content-Type': 'application/json' },
      body: '{"id":1,"jsonrpc":"2.0","method":"pause"}',
    });
  });

  it('confirm: false still reads paused back when the reply was lost (the miner may have acted)', async () => {
    const paused = SUMMARY.replace('"paused": false', '"paused": true');
    const { io: lost, requests } = io((r) =>
      r.path === '/json_rpc' ? new MinerError('MINER_API', 'closed the connection mid-reply') : ok(paused),
    );
    await expect(xmrigAdapter.pause!(api, signal(), lost, { confirm: false })).resolves.toMatchObject({
      paused: true,
    });
    expect(requests.map((r) => r.path)).toEqual(['/json_rpc', '/2/summary']);
  });

  it('explains an error reply with its code, or says what is unknown', async () => {
    await expect(rpc('{"error":{"code":-32601,"message":"Method not found"}}')).rejects.toMatchObject({
      message: 'XMRig refused resume: Method not found (JSON-RPC -32601)',
      details: { rpcCode: -32601 },
    });
    await expect(rpc('{"error":{"code":"x","message":5}}')).rejects.toMatchObject({
      message: 'XMRig refused resume: unknown error (JSON-RPC unknown)',
      details: { rpcCode: 'unknown' },
    });
  });

  it('refuses a reply that is null or reports no OK status', async () => {
    await expect(rpc('null')).rejects.toMatchObject({
      message: 'XMRig resume reply did not report status OK',
    });
    await expect(rpc('{"result":{"status":"busy"}}')).rejects.toMatchObject({
      message: 'XMRig resume reply did not report status OK',
    });
  });
});

describe('xmrig pause / resume read-back', () => {
  const summary = (paused: boolean) => SUMMARY.replace('"paused": false', `"paused": ${String(paused)}`);
  const lostReply = new MinerError('MINER_API', 'XMRig closed the connection mid-reply');

  it('an OK the miner did not act on is retried 5 times, then named for either direction', async () => {
    const pausedMiner = io((r) => ok(r.path === '/json_rpc' ? '{"result":{"status":"OK"}}' : summary(true)));
    await expect(xmrigAdapter.resume!(api, signal(), pausedMiner.io)).rejects.toMatchObject({
      message: 'XMRig answered OK to resume but still reports paused',
    });
    expect(pausedMiner.requests.filter((r) => r.path === '/2/summary')).toHaveLength(5);
    const running = io((r) => ok(r.path === '/json_rpc' ? '{"result":{"status":"OK"}}' : summary(false)));
    await expect(xmrigAdapter.pause!(api, signal(), running.io)).rejects.toMatchObject({
      code: 'MINER_API',
      message: 'XMRig answered OK to pause but still reports running',
    });
  });

  it('a JSON-RPC refusal is final: no read-back, even where the summary already shows the wanted state', async () => {
    const refusing = io((r) =>
      ok(r.path === '/json_rpc' ? '{"error":{"code":-32601,"message":"Method not found"}}' : summary(true)),
    );
    await expect(xmrigAdapter.pause!(api, signal(), refusing.io)).rejects.toMatchObject({
      details: { rpcCode: -32601 },
    });
    expect(refusing.requests.map((r) => r.path)).toEqual(['/json_rpc']);
  });

  it('a lost reply after the caller gave up is reported without a read-back', async () => {
    const controller = new AbortController();
    const { io: lost, requests } = io((r) => {
      if (r.path !== '/json_rpc') return ok(summary(true));
      controller.abort(); // the deadline passes while the call is on the wire
      return lostReply;
    });
    await expect(xmrigAdapter.pause!(api, controller.signal, lost)).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'XMRig API did not answer POST /json_rpc in time',
    });
    expect(requests.map((r) => r.path)).toEqual(['/json_rpc']);
  });

  it('stops retrying once the caller gave up', async () => {
    const controller = new AbortController();
    const { io: slow, requests } = io((r) => {
      if (r.path === '/json_rpc') return ok('{"result":{"status":"OK"}}');
      controller.abort(); // the caller's deadline passes during the first read-back
      return ok(summary(false));
    });
    await expect(xmrigAdapter.pause!(api, controller.signal, slow)).rejects.toMatchObject({
      message: 'XMRig answered OK to pause but still reports running',
    });
    expect(requests.filter((r) => r.path === '/2/summary')).toHaveLength(1);
  });

  it('a lost reply the summary does not confirm reports the lost reply, at once', async () => {
    const { io: lost, requests } = io((r) => (r.path === '/json_rpc' ? lostReply : ok(summary(false))));
    await expect(xmrigAdapter.pause!(api, signal(), lost)).rejects.toBe(lostReply);
    expect(requests.map((r) => r.path)).toEqual(['/json_rpc', '/2/summary']);
  });

  it('when the read-back fails too, the first failure is the one reported', async () => {
    const down = io((r) => (r.path === '/json_rpc' ? lostReply : { status: 500, body: '' }));
    await expect(xmrigAdapter.pause!(api, signal(), down.io)).rejects.toBe(lostReply);
    const readBackFails = io((r) =>
      r.path === '/json_rpc' ? ok('{"result":{"status":"OK"}}') : { status: 500, body: '' },
    );
    await expect(xmrigAdapter.pause!(api, signal(), readBackFails.io)).rejects.toMatchObject({
      code: 'MINER_API',
      message: 'XMRig API answered HTTP 500 to GET /2/summary',
    });
  });
});

describe('xmrig knob read-back', () => {
  const target = { threads: 2, cpuMaxThreadsHint: 100, cpuPriority: 3 };

  it('reads the CPU backend wherever it is listed, and nothing without one', async () => {
    const backends = JSON.stringify([
      { type: 'opencl', enabled: false, priority: 1, threads: [{}, {}, {}] },
      { type: 'cpu', enabled: true, priority: 3, threads: [{}, {}] },
    ]);
    const listed = io(() => ok(backends));
    expect(await xmrigAdapter.readKnobs!(api, target, signal(), listed.io)).toEqual({
      threads: 2,
      priority: 3,
    });
    const none = io(() => ok(JSON.stringify([{ type: 'cuda', enabled: false }])));
    expect(await xmrigAdapter.readKnobs!(api, target, signal(), none.io)).toEqual({
      threads: null,
      priority: null,
    });
  });
});

describe('xmrig API bind line (stdout of a real 6.26.0)', () => {
  const lines = (name: string) =>
    readFileSync(new URL(`../fakes/data/xmrig/${name}`, import.meta.url), 'utf8').split('\n');

  it('is bound only by the banner naming our port', () => {
    const out = lines('runB_stdout.log');
    const banner = out.find((l) => l.includes('HTTP API'))!;
    expect(xmrigAdapter.apiBindLine!(banner, 18462)).toBe('bound');
    expect(xmrigAdapter.apiBindLine!(banner, 18463)).toBeNull();
    expect(xmrigAdapter.apiBindLine!(banner, 1846)).toBeNull();
    expect(out.filter((l) => xmrigAdapter.apiBindLine!(l, 18462) !== null)).toEqual([banner]);
  });

  it('has failed when the banner says the port is taken', () => {
    const out = lines('port_in_use_stdout.log');
    const taken = out.find((l) => l.includes('address already in use'))!;
    expect(xmrigAdapter.apiBindLine!(taken, 18466)).toBe('failed');
    expect(xmrigAdapter.apiBindLine!(taken, 18462)).toBeNull();
    // the log line after it ("HTTP API server failed to start.") names no port
    expect(out.filter((l) => xmrigAdapter.apiBindLine!(l, 18466) !== null)).toEqual([taken]);
  });
});

describe('xmrig launch and throttle', () => {
  it('explains a missing binary with BINARY_MISSING', () => {
    expect(() => xmrigAdapter.buildLaunch({ ...ctx(), binaryPath: null })).toThrow(
      expect.objectContaining({
        code: 'BINARY_MISSING',
        message: 'XMRig binary path was not resolved before launch',
      }),
    );
  });

  it('a patch that gives a thread count with the hint keeps that count, with nothing to explain', () => {
    const plan = xmrigAdapter.planThrottle(ctx({ threads: 2 }), { threads: 4, cpuMaxThreadsHint: 50 });
    expect(plan.patch).toEqual({ threads: 4, cpuMaxThreadsHint: 50 });
    expect(plan).not.toHaveProperty('message');
  });

  it('changes only the hint when no thread count is fixed, with nothing to explain', () => {
    const plan = xmrigAdapter.planThrottle(ctx({ threads: 0 }), { cpuMaxThreadsHint: 50 });
    expect(plan.patch).toEqual({ cpuMaxThreadsHint: 50 });
    expect(plan).not.toHaveProperty('message');
  });

  it('keeps the priority when only the hint changes, and the hint when only the priority changes', () => {
    const base = ctx({ cpuPriority: 2, cpuMaxThreadsHint: 80 });
    expect(xmrigAdapter.planThrottle(base, { cpuMaxThreadsHint: 50 }).config).toMatchObject({
      cpuPriority: 2,
      cpuMaxThreadsHint: 50,
    });
    expect(xmrigAdapter.planThrottle(base, { cpuPriority: 4 }).config).toMatchObject({
      cpuPriority: 4,
      cpuMaxThreadsHint: 80,
    });
  });

  it('looks for exactly the executables the installer lays down (Linux/macOS and Windows)', () => {
    const installed = (['linux', 'darwin', 'win32'] as const).map((p) => binaryName(p));
    expect([...xmrigAdapter.binaryNames].sort()).toEqual([...new Set(installed)].sort());
  });

  it('offers exactly the console keys XMRig knows (its banner, plus e for health)', () => {
    const banner = readFileSync(new URL('../fakes/data/xmrig/runA_stdout.log', import.meta.url), 'utf8')
      .split('\n')
      .find((l) => l.includes('COMMANDS'))!;
    const announced = [...banner.matchAll(/'(\w)'/g)].map((m) => m[1]!);
    expect(announced).toEqual(['h', 'p', 'r', 's', 'c']);
    expect([...xmrigAdapter.consoleKeys].sort()).toEqual([...announced, 'e'].sort());
  });
});

describe('xmrig generated config', () => {
  it('never lets XMRig pause itself or log elsewhere: the app decides and shows it', () => {
    const cfg = buildXmrigConfig(ctx());
    expect(cfg).toMatchObject({
      background: false,
      syslog: false,
      'log-file': null,
      'pause-on-battery': false,
      'pause-on-active': false,
    });
  });

  it('uses TLS only for a secure scheme or an explicit flag', () => {
    const pool = (p: string, tls = false) => buildXmrigConfig(ctx({ pool: p, tls })).pools[0]!;
    expect(pool('stratum+tcp://pool:3333')).toMatchObject({ url: 'stratum+tcp://pool:3333', tls: false });
    expect(pool('pool:3333')).toMatchObject({ url: 'pool:3333', tls: false });
    expect(pool('pool:3333', true)).toMatchObject({ tls: true });
    expect(pool('stratum+ssl://pool:443')).toMatchObject({ url: 'stratum+ssl://pool:443', tls: true });
    expect(pool('ssl://pool:443')).toMatchObject({ url: 'pool:443', tls: true });
    expect(pool('tcp://pool:3333')).toMatchObject({ url: 'pool:3333', tls: false });
  });
});

describe('commandFor and the adapter registry', () => {
  it('runs the trusted binary itself, never through an interpreter, whatever its name', () => {
    expect(commandFor('/opt/tools.js/xmrig', ['-a'])).toEqual({
      command: '/opt/tools.js/xmrig',
      args: ['-a'],
    });
    expect(commandFor('/opt/xmrig.mjs.bak', [])).toEqual({ command: '/opt/xmrig.mjs.bak', args: [] });
    expect(commandFor('/opt/fake.MJS', ['-a'])).toEqual({ command: '/opt/fake.MJS', args: ['-a'] });
  });

  it('names an unknown miner type in its error', () => {
    expect(() => getAdapter('bash' as MinerType)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: 'Unknown miner type "bash"' }),
    );
  });
});
