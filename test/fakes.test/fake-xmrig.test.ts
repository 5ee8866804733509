// Tests of test/fakes/fake-xmrig.mjs against the captured behaviour of the real XMRig 6.26.0
// (test/fakes/data/xmrig/*, copied from the shared fixtures).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fixture,
  freePort,
  keyPaths,
  onCleanup,
  request,
  spawnFake,
  waitUntil,
  XMRIG,
  FAKES_DIR,
  type Fake,
} from './helpers';
import { readCapture } from '../support/captures';
import { parseResponses } from '../support/http-wire';

const TOKEN = 's3cr3t-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const JSON_CT = { ...AUTH, 'Content-Type': 'application/json' };
/** Fast timescale: 0.3 s warm-up, 10 s window = 0.2 s, 60 s = 1.2 s, speed line every 0.3 s. */
const FAST = { FAKE_XMRIG_WARMUP_MS: '300', FAKE_XMRIG_WINDOW_SCALE: '0.02', FAKE_XMRIG_PRINT_MS: '300' };

type Ctx = Parameters<typeof onCleanup>[0];

interface Summary {
  worker_id: string;
  paused: boolean;
  restricted: boolean;
  hashrate: { total: (number | null)[]; highest: number | null };
  results: { shares_good: number; diff_current: number };
  connection: { pool: string; accepted: number; diff: number };
  cpu: { threads: number; brand: string };
}

/** Start the fake with an API on a free port and wait for the " * HTTP API" banner line. */
async function startApi(
  ctx: Ctx,
  extra: string[] = [],
  env: Record<string, string> = {},
  api: string[] = [`--http-access-token=${TOKEN}`, '--http-no-restricted'],
): Promise<{ fake: Fake; port: number }> {
  const port = await freePort();
  const fake = spawnFake(
    ctx,
    XMRIG,
    ['--no-color', '--http-host=127.0.0.1', `--http-port=${port}`, ...api, ...extra],
    { ...FAST, ...env },
  );
  await fake.waitFor(/ \* HTTP API {5}127\.0\.0\.1:\d+ /);
  return { fake, port };
}

const benchApi = (ctx: Ctx, extra: string[] = [], env: Record<string, string> = {}) =>
  startApi(ctx, ['--bench=1M', '--threads=1', '--cpu-priority=2', ...extra], env);

async function summary(port: number, path = '/2/summary'): Promise<Summary> {
  const r = await request(port, 'GET', path, { headers: AUTH });
  expect(r.status).toBe(200);
  return JSON.parse(r.text) as Summary;
}

const rpc = (port: number, body: string) => request(port, 'POST', '/json_rpc', { headers: JSON_CT, body });

describe.concurrent('fake-xmrig: command line and process', { timeout: 60_000 }, () => {
  it('--version / -V print version.txt and exit 0', async (ctx) => {
    for (const flag of ['--version', '-V']) {
      const f = spawnFake(ctx, XMRIG, [flag]);
      expect(await f.exited).toEqual({ code: 0, signal: null });
      expect(f.stdout()).toBe(fixture('version.txt'));
      expect(f.stdout().split('\n')[0]).toBe('XMRig 6.26.0');
    }
  });

  it('--dry-run prints the banner and "config   OK"; unknown flags only warn', async (ctx) => {
    const f = spawnFake(ctx, XMRIG, ['--bogus-flag', '--bench=1M', '--dry-run', '--no-color']);
    expect((await f.exited).code).toBe(0);
    expect(f.stderr()).toContain("unrecognized option '--bogus-flag'");
    const lines = f.stdout().trimEnd().split('\n');
    const real = fixture('runA_stdout.log').split('\n');
    expect(lines[0]).toBe(real[0]); // " * ABOUT        XMRig/6.26.0 gcc/12.2.0 (...)"
    expect(lines[1]).toBe(real[1]);
    expect(lines[9]).toBe(real[9]); // POOL #1 benchmark
    expect(lines[10]).toBe(real[10]); // COMMANDS
    expect(lines[11]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] {2}config {3}OK$/);
    expect(lines).toHaveLength(12);
  });

  it('colours by default, none with --no-color', async (ctx) => {
    const f = spawnFake(ctx, XMRIG, ['--bench=1M', '--dry-run']);
    expect((await f.exited).code).toBe(0);
    expect(f.stdout()).toContain('\x1b[1;32m * \x1b[0m\x1b[1;37mABOUT        \x1b[0m');
  });

  it('no config and no pool: "unable to open" lines, "no valid configuration found", exit 2', async (ctx) => {
    const f = spawnFake(ctx, XMRIG, ['--no-color']);
    expect((await f.exited).code).toBe(2);
    const lines = f.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\[[\d :.-]{23}\] unable to open ".*config\.json"\.$/);
    expect(lines[1]).toContain(`unable to open "${path.join(os.homedir(), '.xmrig.json')}".`);
    expect(lines[3]).toMatch(/\] no valid configuration found, try https:\/\/xmrig\.com\/wizard$/);
  });

  it('FAKE_CONFIG_ERROR=1 and an invalid --bench size exit 2', async (ctx) => {
    const a = spawnFake(ctx, XMRIG, ['--bench=1M'], { FAKE_CONFIG_ERROR: '1' });
    const b = spawnFake(ctx, XMRIG, ['--bench=3K', '--dry-run']);
    expect((await a.exited).code).toBe(2);
    expect((await b.exited).code).toBe(2);
    expect(a.stdout()).toContain('no valid configuration found');
    expect(b.stdout()).toContain('no valid configuration found');
  });

  it('SIGTERM: "signal   SIGTERM received, exiting", "cpu      stopped", exit 0', async (ctx) => {
    const f = spawnFake(ctx, XMRIG, ['--no-color', '--bench=1M', '--threads=1'], FAST);
    await f.waitFor(/cpu {6}READY threads 1\/1/);
    f.child.kill('SIGTERM');
    expect(await f.exited).toEqual({ code: 0, signal: null });
    expect(f.stdout()).toMatch(
      /\] {2}signal {3}SIGTERM received, exiting\n.*\] {2}cpu {6}stopped \(\d+ ms\)\n$/,
    );
  });

  it('FAKE_IGNORE_SIGTERM: logs SIGTERM, keeps running; SIGKILL still works', async (ctx) => {
    const f = spawnFake(ctx, XMRIG, ['--no-color', '--bench=1M'], { ...FAST, FAKE_IGNORE_SIGTERM: '1' });
    await f.waitFor(/READY/);
    f.child.kill('SIGTERM');
    await f.waitFor(/SIGTERM received/);
    await new Promise((r) => setTimeout(r, 400));
    expect(f.isRunning()).toBe(true);
    f.child.kill('SIGKILL');
    expect((await f.exited).signal).toBe('SIGKILL');
  });

  it('FAKE_CRASH_AFTER_MS: crash line then exit 1 (or FAKE_CRASH_CODE)', async (ctx) => {
    const a = spawnFake(ctx, XMRIG, ['--no-color', '--bench=1M'], { ...FAST, FAKE_CRASH_AFTER_MS: '200' });
    const b = spawnFake(ctx, XMRIG, ['--no-color', '--bench=1M'], {
      ...FAST,
      FAKE_CRASH_AFTER_MS: '200',
      FAKE_CRASH_CODE: '3',
    });
    expect((await a.exited).code).toBe(1);
    expect((await b.exited).code).toBe(3);
    expect(a.stdout()).toMatch(/\] {2}cpu {6}thread #0 crashed: illegal instruction\n$/);
  });

  it('stdin through a pipe: p pauses, r resumes, h prints the table, s and c print results/connection', async (ctx) => {
    const { fake, port } = await benchApi(ctx);
    await fake.waitFor(/miner {4}speed 10s\/60s\/15m \d/);
    fake.send('p\n');
    await fake.waitFor(/miner {4}paused, press {2}r {2}to resume/);
    expect((await summary(port)).paused).toBe(true);
    expect((await summary(port)).hashrate.total[0]).toBe(0);
    fake.send('r');
    await fake.waitFor(/miner {4}resumed/);
    expect((await summary(port)).paused).toBe(false);
    fake.send('h\ns\nc\n');
    await fake.waitFor(/ \* connection time {2}\d+s/);
    const out = fake.stdout();
    expect(out).toContain('|    CPU # | AFFINITY | 10s H/s | 60s H/s | 15m H/s |\n');
    expect(out).toMatch(/\| {8}0 \| {7}-1 \| +[\d.]+ \| +(n\/a|[\d.]+) \| +n\/a \|\n/);
    expect(out).toMatch(/\] no results yet\n/);
    expect(out).toContain(
      ' - CONNECTION\n * pool address     benchmark:3333 ((null)) \n * algorithm        rx/0\n',
    );
    expect(out).toContain(' * difficulty       18446744073G\n');
  });

  it('HTTP port in use: logs it and keeps running without an API', async (ctx) => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    onCleanup(ctx, () => new Promise((r) => blocker.close(r)));
    const port = (blocker.address() as { port: number }).port;
    const f = spawnFake(ctx, XMRIG, ['--no-color', '--bench=1M', `--http-port=${port}`], FAST);
    await f.waitFor(/net {6}HTTP API server failed to start\./);
    expect(f.stdout()).toContain(` * HTTP API     127.0.0.1:${port} address already in use\n`);
    await f.waitFor(/cpu {6}READY/);
    expect(f.isRunning()).toBe(true);
  });

  it('FAKE_SPAWN_CHILD prints "child pid N" of a live grandchild', async (ctx) => {
    const f = spawnFake(ctx, XMRIG, ['--no-color', '--bench=1M'], { ...FAST, FAKE_SPAWN_CHILD: '1' });
    const m = await f.waitFor(/child pid (\d+)/);
    const pid = Number(m[1]);
    onCleanup(ctx, () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    });
    expect(() => process.kill(pid, 0)).not.toThrow();
  });

  it('FAKE_FLOOD writes FAKE_FLOOD_LINES lines quickly', async (ctx) => {
    const f = spawnFake(ctx, XMRIG, ['--no-color', '--bench=1M'], {
      ...FAST,
      FAKE_FLOOD: '1',
      FAKE_FLOOD_LINES: '20000',
    });
    await f.waitFor(/\(flood 20000\/20000\)/, 8000);
    expect(f.stdout().match(/\(flood \d+\/20000\)/g)).toHaveLength(20000);
  });

  it('stdout redirected to a regular file: writes nothing (like the real binary)', async (ctx) => {
    const file = path.join(os.tmpdir(), `fake-xmrig-${process.pid}-${Date.now()}.log`);
    const fd = fs.openSync(file, 'w');
    onCleanup(ctx, () => fs.rmSync(file, { force: true }));
    const f = spawnFake(ctx, XMRIG, ['--bench=1M', '--dry-run', '--no-color'], {}, ['ignore', fd, 'pipe']);
    fs.closeSync(fd);
    expect((await f.exited).code).toBe(0);
    expect(fs.statSync(file).size).toBe(0);
  });

  it.runIf(process.platform === 'linux')(
    'FAKE_BURN burns real CPU, bounded by FAKE_BURN_MAX_MS',
    async (ctx) => {
      // No fixed wall-clock window: on a loaded machine the burner gets a fraction of a core, so the test
      // waits (bounded by the burn's own lifetime) until it has burned far more than an idle fake ever
      // does, then checks that the burning stops once FAKE_BURN_MAX_MS is over.
      const BURN_MS = 6000;
      const f = spawnFake(ctx, XMRIG, ['--no-color', '--bench=1M', '--threads=1'], {
        FAKE_XMRIG_WARMUP_MS: '0',
        FAKE_BURN: '1',
        FAKE_BURN_MAX_MS: String(BURN_MS),
      });
      await f.waitFor(/READY/, 30_000);
      // The burner is created before READY is printed, so it stops by readyAt + BURN_MS at the latest.
      const readyAt = Date.now();
      const cpuMs = () => {
        // fields after "(comm) ": state is [0], utime [11], stime [12], in USER_HZ (100) ticks
        const fields = (fs.readFileSync(`/proc/${f.pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
        return (Number(fields[11]) + Number(fields[12])) * 10;
      };
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const t0 = cpuMs();
      while (cpuMs() - t0 < 300 && Date.now() < readyAt + BURN_MS - 100) await sleep(50);
      expect(cpuMs() - t0).toBeGreaterThanOrEqual(300);

      await sleep(Math.max(0, readyAt + BURN_MS + 300 - Date.now()));
      const t1 = cpuMs();
      await sleep(600);
      // idle (API timers, speed lines) the fake uses a few ms per second; burning it used hundreds
      expect(cpuMs() - t1).toBeLessThan(200);
    },
  );
});

describe.concurrent('fake-xmrig: HTTP API status codes and bodies', { timeout: 60_000 }, () => {
  it('default restricted API without token (run A matrix)', async (ctx) => {
    const { port } = await startApi(ctx, ['--bench=1M'], {}, []);
    const get = (p: string, headers?: Record<string, string>) => request(port, 'GET', p, { headers });
    expect((await get('/2/summary')).status).toBe(200);
    expect((await get('/1/summary')).status).toBe(200);
    expect((await get('/api.json')).status).toBe(200);
    expect((await get('/2/backends')).status).toBe(200);
    expect((await get('/2/dmi')).text).toBe(fixture('runA_2_dmi.json.txt'));
    const cfg = await get('/1/config');
    expect([cfg.status, cfg.text]).toEqual([403, fixture('runA_1_config_restricted.json.txt')]);
    const threads = await get('/1/threads');
    expect([threads.status, threads.text]).toEqual([404, fixture('runA_1_threads.json.txt')]);
    expect((await get('/nonexistent')).status).toBe(404);
    const pause = await request(port, 'POST', '/json_rpc', {
      headers: { 'Content-Type': 'application/json' },
      body: '{"method":"pause","id":1}',
    });
    expect([pause.status, pause.text]).toEqual([403, fixture('runA_json_rpc_pause_restricted.json.txt')]);
    expect((await get('/2/summary', { Authorization: 'Bearer bogus' })).status).toBe(401);
    const s = JSON.parse((await get('/2/summary')).text) as Summary;
    expect(s.restricted).toBe(true);
  });

  it('token + --http-no-restricted (run B matrix): 401/403/415/405/404 bodies byte for byte', async (ctx) => {
    const { fake, port } = await benchApi(ctx);
    const noAuth = await request(port, 'GET', '/2/summary');
    expect([noAuth.status, noAuth.text]).toEqual([401, fixture('runB_noauth.json.txt')]);
    const wrong = await request(port, 'GET', '/2/summary', {
      headers: { Authorization: 'Bearer wrong-token!' },
    });
    expect([wrong.status, wrong.text]).toEqual([403, fixture('runB_wrongtoken.json.txt')]);
    const scheme = await request(port, 'GET', '/2/summary', { headers: { Authorization: `Token ${TOKEN}` } });
    expect(scheme.status).toBe(403);
    expect((await request(port, 'GET', '/2/summary', { headers: AUTH })).status).toBe(200);
    expect((await request(port, 'GET', '/2/backends', { headers: AUTH })).status).toBe(200);
    const noCt = await request(port, 'POST', '/json_rpc', {
      headers: AUTH,
      body: '{"method":"pause","id":1}',
    });
    expect([noCt.status, noCt.text]).toEqual([415, fixture('runB_rpc_no_ctype.json.txt')]);
    const wrongCt = await request(port, 'POST', '/json_rpc', {
      headers: { ...AUTH, 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"method":"pause","id":1}',
    });
    expect(wrongCt.status).toBe(415);
    const patch = await request(port, 'PATCH', '/1/config', { headers: JSON_CT, body: '{}' });
    expect(patch.status).toBe(405);
    expect(JSON.parse(patch.text)).toEqual({ status: 405, error: 'METHOD_NOT_ALLOWED' });
    expect((await request(port, 'GET', '/nope', { headers: AUTH })).status).toBe(404);
    // access log lines for errors, sizes as the real one computes them
    await fake.waitFor(/127\.0\.0\.1 PATCH \/1\/config 405 307 \d+ms ""/);
    expect(fake.stdout()).toMatch(/127\.0\.0\.1 GET \/2\/summary 401 295 \d+ms ""/);
    expect(fake.stdout()).toMatch(/127\.0\.0\.1 POST \/json_rpc 415 315 \d+ms ""/);
  });

  it('--http-no-restricted without a token: every request is 401 (run C)', async (ctx) => {
    const { port } = await startApi(ctx, ['--bench=1M'], {}, ['--http-no-restricted']);
    const a = await request(port, 'GET', '/2/summary');
    expect([a.status, a.text]).toEqual([401, fixture('runC_2_summary_noauth.json.txt')]);
    expect(
      (await request(port, 'GET', '/2/summary', { headers: { Authorization: 'Bearer x' } })).status,
    ).toBe(401);
    const p = await request(port, 'POST', '/json_rpc', {
      headers: { 'Content-Type': 'application/json' },
      body: '{"method":"pause"}',
    });
    expect(p.status).toBe(401);
  });

  it('json_rpc: pause / resume / unknown / no method / malformed / stop, always HTTP 200', async (ctx) => {
    const { fake, port } = await benchApi(ctx);
    await fake.waitFor(/READY/);
    const pause = await rpc(port, '{"jsonrpc":"2.0","id":1,"method":"pause"}');
    expect([pause.status, pause.text]).toEqual([200, fixture('runB_rpc_pause.json.txt')]);
    expect((await summary(port)).paused).toBe(true);
    const resume = await rpc(port, '{"jsonrpc":"2.0","id":2,"method":"resume"}');
    expect([resume.status, resume.text]).toEqual([200, fixture('runB_rpc_resume.json.txt')]);
    expect((await summary(port)).paused).toBe(false);
    const unknown = await rpc(port, '{"jsonrpc":"2.0","id":3,"method":"explode"}');
    expect([unknown.status, unknown.text]).toEqual([200, fixture('runB_rpc_unknown.json.txt')]);
    const noMethod = await rpc(port, '{"jsonrpc":"2.0","id":4}');
    expect([noMethod.status, noMethod.text]).toEqual([200, fixture('runB_rpc_nomethod.json.txt')]);
    const bad = await rpc(port, '{"jsonrpc":"2.0","id":');
    expect([bad.status, bad.text]).toEqual([200, fixture('runB_rpc_malformed.json.txt')]);
    expect(fake.stdout()).toMatch(/miner {4}paused, press {2}r {2}to resume\n(.*\n)*.*miner {4}resumed/);

    const stop = await rpc(port, '{"jsonrpc":"2.0","id":5,"method":"stop"}');
    expect([stop.status, stop.text]).toEqual([200, fixture('runB_rpc_stop.json.txt')]);
    await fake.waitFor(/cpu {6}stopped \(\d+ ms\)/);
    const afterStop = JSON.parse(
      (await request(port, 'GET', '/2/backends', { headers: AUTH })).text,
    ) as unknown;
    expect(keyPaths(afterStop)).toEqual(keyPaths(JSON.parse(fixture('runB_2_backends_after_stop.json.txt'))));
    let s = await summary(port);
    expect([s.paused, s.hashrate.total]).toEqual([false, [0, 0, 0]]);
    await rpc(port, '{"jsonrpc":"2.0","id":6,"method":"resume"}');
    await new Promise((r) => setTimeout(r, 300));
    s = await summary(port);
    expect([s.paused, s.hashrate.total]).toEqual([false, [0, 0, 0]]);
    expect(fake.isRunning()).toBe(true);
  });

  it('PUT /1/config: 204 empty body and live apply; 400 on garbage and on {}', async (ctx) => {
    const { fake, port } = await benchApi(ctx);
    const cfgRes = await request(port, 'GET', '/1/config', { headers: AUTH });
    expect(cfgRes.status).toBe(200);
    const cfg = JSON.parse(cfgRes.text) as {
      http: Record<string, unknown>;
      api: Record<string, unknown>;
      'print-time': number;
    };
    expect(cfg.http['access-token']).toBe(TOKEN); // in plain text, like the real one
    expect((await request(port, 'GET', '/2/config', { headers: AUTH })).text).toBe(cfgRes.text);
    cfg.api['worker-id'] = 'put-test';
    cfg['print-time'] = 5;
    const put = await request(port, 'PUT', '/1/config', { headers: JSON_CT, body: JSON.stringify(cfg) });
    expect([put.status, put.text]).toEqual([204, fixture('runB_put_config_resp.txt')]);
    expect((await summary(port)).worker_id).toBe('put-test');
    const after = JSON.parse((await request(port, 'GET', '/1/config', { headers: AUTH })).text) as Record<
      string,
      unknown
    >;
    expect(after['print-time']).toBe(5);
    const garbage = await request(port, 'PUT', '/1/config', { headers: JSON_CT, body: 'this is not json' });
    expect([garbage.status, garbage.text]).toEqual([400, fixture('runB_put_config_bad_resp.json.txt')]);
    const empty = await request(port, 'PUT', '/1/config', { headers: JSON_CT, body: '{}' });
    expect([empty.status, JSON.parse(empty.text)]).toEqual([400, { status: 400, error: 'BAD_REQUEST' }]);
    // the real access log shows 296 and 293 bytes for these two
    await fake.waitFor(/PUT \/1\/config 400 293 /);
    expect(fake.stdout()).toMatch(/PUT \/1\/config 400 296 /);
  });

  it('/2/summary: fixture shape, [0.0, 0.0, 0.0] before workers, then null until each window fills', async (ctx) => {
    const { fake, port } = await benchApi(ctx, [], {
      // the warm-up leaves room for the first request on a loaded machine
      FAKE_XMRIG_WARMUP_MS: '3000',
      FAKE_XMRIG_WINDOW_SCALE: '0.008', // 10 s -> 80 ms, 60 s -> 480 ms, 15 m -> 7.2 s
    });
    const init = await request(port, 'GET', '/2/summary', { headers: AUTH });
    expect(init.text).toContain('"total": [0.0, 0.0, 0.0],\n        "highest": null');
    expect(init.text).toContain('"diff_current": 18446744073709551615,');
    expect(init.text).toContain('"hugepages": [0, 0]');
    expect(keyPaths(JSON.parse(init.text))).toEqual(
      keyPaths(JSON.parse(fixture('runA_2_summary_init.json.txt'))),
    );

    await fake.waitFor(/READY/);
    // Poll until every window has filled. How many polls land in each phase depends on the machine's
    // load, so the test checks the order instead: a longer window never has data before a shorter one.
    const seen: (number | null)[][] = [];
    let firstRate: string | null = null; // the first body with a 10 s rate, as the client got it
    const all = await waitUntil(
      async () => {
        const r = await request(port, 'GET', '/2/summary', { headers: AUTH });
        const t = (JSON.parse(r.text) as Summary).hashrate.total;
        if (firstRate === null && t[0] !== null) firstRate = r.text;
        seen.push(t);
        return t.every((v) => v !== null) ? t : null;
      },
      30_000,
      50,
    );
    for (const t of seen) {
      if (t[1] !== null) expect(t[0], JSON.stringify(t)).not.toBeNull();
      if (t[2] !== null) expect(t[1], JSON.stringify(t)).not.toBeNull();
    }
    // when the 10 s rate first shows, the 15-minute window (7.2 s here) cannot have filled
    expect(keyPaths(JSON.parse(firstRate!))).toEqual(
      keyPaths(JSON.parse(fixture('runA_2_summary_running.json.txt'))),
    );
    expect(firstRate).toMatch(/"total": \[\d+\.\d+, (null|\d+\.\d+), null\],\n {8}"highest": \d+\.\d+\n/);
    for (const v of all) expect(v).toBeGreaterThan(400);
    const s = await summary(port);
    expect(s.hashrate.highest).toBeGreaterThan(400);
    expect(s.cpu.threads).toBe(os.availableParallelism());

    const v1 = JSON.parse((await request(port, 'GET', '/1/summary', { headers: AUTH })).text) as Record<
      string,
      unknown
    >;
    expect(keyPaths(v1)).toEqual(keyPaths(JSON.parse(fixture('runA_1_summary_running.json.txt'))));
    expect(v1.hugepages).toBe(false);
  });

  it("/2/backends and /1/config have the fixtures' shape", async (ctx) => {
    const { fake, port } = await benchApi(ctx, [
      '--randomx-mode=light',
      '--no-huge-pages',
      '--huge-pages-jit',
      '--cpu-no-yield',
    ]);
    await fake.waitFor(/READY/);
    const b = await request(port, 'GET', '/2/backends', { headers: AUTH });
    expect(keyPaths(JSON.parse(b.text))).toEqual(keyPaths(JSON.parse(fixture('runB_2_backends.json.txt'))));
    expect(b.text).toContain('"profile": "*",\n        "hw-aes": true,\n        "priority": 2,');
    expect(b.text).toContain('"hugepages": [0, 129],\n        "memory": 2097152,');
    const c = await request(port, 'GET', '/1/config', { headers: AUTH });
    const real = JSON.parse(fixture('runB_1_config.json.txt')) as Record<string, unknown>;
    expect(keyPaths(JSON.parse(c.text))).toEqual(keyPaths(real));
    const mine = JSON.parse(c.text) as Record<string, unknown>;
    expect(mine.cpu).toEqual(real.cpu);
    expect(mine.benchmark).toEqual(real.benchmark);
    expect(mine.http).toEqual({ ...(real.http as object), port });
  });

  it('watch: editing max-threads-hint in the config file reloads live and changes the thread count', async (ctx) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-xmrig-watch-'));
    onCleanup(ctx, () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'config.json');
    const port = await freePort();
    const write = (hint: number, priority: number | null) =>
      fs.writeFileSync(
        file,
        JSON.stringify({
          autosave: false,
          watch: true,
          colors: false,
          http: { enabled: true, host: '127.0.0.1', port, 'access-token': TOKEN, restricted: false },
          cpu: { enabled: true, priority, 'max-threads-hint': hint },
          benchmark: { size: '1M', algo: 'rx/0' },
        }),
      );
    write(50, null);
    const f = spawnFake(ctx, XMRIG, [`--config=${file}`], { ...FAST, FAKE_XMRIG_CORES: '4' });
    await f.waitFor(/cpu {6}READY threads 2\/2 \(2\)/);
    const threads = async () => {
      const r = await request(port, 'GET', '/2/backends', { headers: AUTH });
      const [backend] = JSON.parse(r.text) as [{ threads?: unknown[]; priority: number }];
      return backend;
    };
    expect((await threads()).threads).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 50));
    write(100, 0);
    await f.waitFor(/cpu {6}READY threads 4\/4 \(4\)/);
    expect(f.stdout()).toContain(`config   "${file}" was changed, reloading configuration\n`);
    expect(f.stdout()).toMatch(
      /cpu {6}stopped \(\d+ ms\)\n.*cpu {6}use profile {2}rx {2}\(4 threads\) scratchpad 2048 KB\n/,
    );
    const b = await threads();
    expect(b.threads).toHaveLength(4);
    expect(b.priority).toBe(0);
    const cfg = JSON.parse((await request(port, 'GET', '/1/config', { headers: AUTH })).text) as {
      cpu: Record<string, unknown>;
    };
    expect(cfg.cpu['max-threads-hint']).toBe(100);
  });

  it('watch: editing the cpu.rx array 1 -> 2 -> 1 restarts only the CPU workers, as the real log shows', async (ctx) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-xmrig-rx-'));
    onCleanup(ctx, () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'cfg.json');
    const port = await freePort();
    // the config of the real capture (watch_threads_rx_array_config.json), our port and token
    const real = JSON.parse(
      fs.readFileSync(
        path.join(FAKES_DIR, '../data/xmrig-6.26.0/watch_threads_rx_array_config.json'),
        'utf8',
      ),
    ) as { http: Record<string, unknown>; cpu: { rx: number[] } };
    const write = (rx: number[]) =>
      fs.writeFileSync(
        file,
        JSON.stringify({
          ...real,
          colors: false,
          http: { ...real.http, port, 'access-token': TOKEN },
          cpu: { ...real.cpu, rx },
        }),
      );
    write([-1]);
    const f = spawnFake(ctx, XMRIG, [`--config=${file}`], { ...FAST, FAKE_XMRIG_CORES: '2' });
    await f.waitFor(/cpu {6}READY threads 1\/1 \(1\)/);
    const backends = async () =>
      (
        JSON.parse((await request(port, 'GET', '/2/backends', { headers: AUTH })).text) as [
          { threads?: unknown[] },
        ]
      )[0];
    expect((await backends()).threads).toHaveLength(1);
    const before = f.stdout().length;
    await new Promise((r) => setTimeout(r, 50));
    write([-1, -1]);
    await f.waitFor(/cpu {6}READY threads 2\/2 \(2\)/, 5000);
    expect((await backends()).threads).toHaveLength(2);
    write([-1]);
    await waitUntil(async () => ((await backends()).threads?.length === 1 ? true : null), 5000);
    await f.waitFor(/READY threads 2\/2[^]*READY threads 1\/1 \(1\)/, 5000);

    // the reload block, timestamps and durations aside, line for line as in watch_threads_rx_array.log
    const norm = (text: string) =>
      text
        .split('\n')
        .map((l) => l.replace(/^\[[\d :.-]{23}\] {2}/, '').replace(/\(\d+ ms\)/, '(N ms)'))
        .filter((l) => /^(config|cpu|randomx) /.test(l))
        .map((l) => l.replace(/"[^"]+" was changed/, '"FILE" was changed'));
    const log = fs.readFileSync(
      path.join(FAKES_DIR, '../data/xmrig-6.26.0/watch_threads_rx_array.log'),
      'utf8',
    );
    const lines = log.split('\n');
    const realReload = norm(lines.slice(lines.findIndex((l) => l.includes('was changed'))).join('\n'));
    expect(norm(f.stdout().slice(before))).toEqual(realReload);
    // no RandomX re-initialisation
    expect(f.stdout().slice(before)).not.toMatch(/randomx|dataset/);
  });

  it('autosave (default true): writes thread profiles into the file, later hint edits change nothing', async (ctx) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-xmrig-autosave-'));
    onCleanup(ctx, () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ colors: false, cpu: { 'max-threads-hint': 50 }, benchmark: { size: '1M' } }),
    );
    const f = spawnFake(ctx, XMRIG, [`--config=${file}`], { ...FAST, FAKE_XMRIG_CORES: '2' });
    await f.waitFor(/READY threads 1\/1/);
    expect(f.stdout()).toContain(`config   configuration saved to: "${file}"\n`);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { cpu: Record<string, unknown> };
    expect(saved.cpu.rx).toEqual([0]);
    expect(saved.cpu['max-threads-hint']).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ ...saved, cpu: { ...saved.cpu, 'max-threads-hint': 100 } }));
    await f.waitFor(/was changed, reloading configuration\n/);
    await new Promise((r) => setTimeout(r, 300));
    expect(f.stdout()).not.toMatch(/cpu {6}stopped/);
  });

  it('pool mode: accepted shares on stdout and in the summary, realistic difficulty', async (ctx) => {
    const { fake, port } = await startApi(
      ctx,
      ['-o', 'pool.example.com:3333', '-u', 'WALLET', '-p', 'x', '--threads=2'],
      { FAKE_SHARE_MS: '100' },
    );
    await fake.waitFor(/net {6}use pool pool\.example\.com:3333 {2}/);
    await fake.waitFor(/cpu {6}accepted \(2\/0\) diff 120001 \(\d+ ms\)/);
    const s = await summary(port);
    expect(s.connection.pool).toBe('pool.example.com:3333');
    expect(s.connection.diff).toBe(120001);
    expect(s.results.diff_current).toBe(120001);
    expect(s.results.shares_good).toBeGreaterThanOrEqual(2);
    expect(s.connection.accepted).toBe(s.results.shares_good);
    fake.send('s');
    await fake.waitFor(/ - RESULTS\n/);
  });

  it('API faults: hang, malformed, huge, slow', async (ctx) => {
    const hang = await benchApi(ctx, [], { FAKE_API_HANG: '1' });
    await expect(request(hang.port, 'GET', '/2/summary', { headers: AUTH, timeoutMs: 300 })).rejects.toThrow(
      'timeout',
    );
    const bad = await benchApi(ctx, [], { FAKE_API_MALFORMED: '1' });
    const r = await request(bad.port, 'GET', '/2/summary', { headers: AUTH });
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text) as unknown).toThrow();
    const huge = await benchApi(ctx, [], { FAKE_API_HUGE: '1' });
    const h = await request(huge.port, 'GET', '/2/summary', { headers: AUTH, timeoutMs: 8000 });
    expect(h.status).toBe(200);
    expect(h.text.length).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    const slow = await benchApi(ctx, [], { FAKE_API_SLOW_MS: '400' });
    const t0 = Date.now();
    expect((await request(slow.port, 'GET', '/2/summary', { headers: AUTH })).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  it('FAKE_ZERO_RATE: total stays [0, 0, 0] after warm-up', async (ctx) => {
    const { fake, port } = await benchApi(ctx, [], { FAKE_ZERO_RATE: '1' });
    await fake.waitFor(/miner {4}speed 10s\/60s\/15m n\/a n\/a n\/a H\/s max n\/a H\/s/);
    await new Promise((r) => setTimeout(r, 1300));
    const s = await summary(port);
    expect(s.hashrate.total).toEqual([0, 0, 0]);
    expect(s.hashrate.highest).toBeNull();
  });

  it('--multi-port-base/--multi-count: independent APIs on consecutive ports in one process', async (ctx) => {
    const base = 20000 + Math.floor(Math.random() * 20000);
    const f = spawnFake(
      ctx,
      XMRIG,
      [
        '--no-color',
        '--bench=1M',
        `--multi-port-base=${base}`,
        '--multi-count=3',
        `--http-access-token=${TOKEN}`,
        '--http-no-restricted',
      ],
      FAST,
    );
    await f.waitFor(new RegExp(` \\* HTTP API {5}127\\.0\\.0\\.1:${base + 2} `));
    await rpc(base + 1, '{"id":1,"method":"pause"}');
    const states = await Promise.all([0, 1, 2].map(async (i) => (await summary(base + i)).paused));
    expect(states).toEqual([false, true, false]);
    const ids = await Promise.all(
      [0, 1, 2].map(async (i) => (await summary(base + i)) as unknown as { id: string }),
    );
    expect(new Set(ids.map((s) => s.id)).size).toBe(3);
  });
});

describe.concurrent(
  'fake-xmrig: bytes on the wire match the real XMRig (wire_*.txt)',
  { timeout: 15000 },
  () => {
    const pool = ['-o', '127.0.0.1:13333', '-u', 'benchmark', '-p', 'x', '--threads=1'];

    /** Status line, header names, order and values (Content-Length aside, it follows the body). */
    function head(bytes: Buffer) {
      const [first] = parseResponses(bytes).responses;
      if (!first) throw new Error('no response');
      return {
        statusLine: first.statusLine,
        headers: first.headers.map(([k, v]) => [k, k === 'Content-Length' ? 'N' : v]),
        contentLength: first.headers.find(([k]) => k === 'Content-Length')?.[1],
        body: first.body,
      };
    }

    it('GET /2/summary and /2/backends: one response, same status line and headers in the same order, then close', async (ctx) => {
      const { fake, port } = await startApi(ctx, pool);
      await fake.waitFor(/READY/);
      for (const [path, file] of [
        ['/2/summary', 'wire_get_2_summary.txt'],
        ['/2/backends', 'wire_get_2_backends.txt'],
      ] as const) {
        const real = readCapture(file);
        const mine = await request(port, 'GET', path, { headers: { ...AUTH, Connection: 'keep-alive' } });
        expect(mine.responses).toBe(real.responses);
        const a = head(mine.raw);
        const b = head(real.bytes);
        expect(a.statusLine).toBe(b.statusLine);
        expect(a.headers).toEqual(b.headers);
        expect(Number(a.contentLength)).toBe(a.body.length);
        expect(keyPaths(JSON.parse(a.body.toString('utf8')))).toEqual(
          keyPaths(JSON.parse(b.body.toString('utf8'))),
        );
        // nothing after the one response
        expect(mine.raw.length).toBe(parseResponses(mine.raw).responses[0]!.bytes.length);
      }
    });

    it('POST /json_rpc pause / resume: the complete response twice on one connection, byte for byte', async (ctx) => {
      const { fake, port } = await startApi(ctx, pool);
      await fake.waitFor(/READY/);
      for (const [method, id, file] of [
        ['pause', 1, 'wire_post_json_rpc_pause.txt'],
        ['resume', 2, 'wire_post_json_rpc_resume.txt'],
      ] as const) {
        const real = readCapture(file);
        expect(real.responses).toBe(2);
        const mine = await request(port, 'POST', '/json_rpc', {
          headers: { ...JSON_CT, Connection: 'keep-alive' },
          body: JSON.stringify({ jsonrpc: '2.0', id, method }),
        });
        expect(mine.responses).toBe(2);
        expect(mine.raw.toString('latin1')).toBe(real.bytes.toString('latin1'));
        expect((await summary(port)).paused).toBe(method === 'pause');
      }
    });

    it('PUT /1/config: 204 NO_CONTENT with no body, byte for byte, then close', async (ctx) => {
      const { fake, port } = await startApi(ctx, pool);
      await fake.waitFor(/READY/);
      const real = readCapture('wire_put_1_config.txt');
      const cfg = (await request(port, 'GET', '/1/config', { headers: AUTH })).text;
      const mine = await request(port, 'PUT', '/1/config', { headers: JSON_CT, body: cfg });
      expect(mine.responses).toBe(1);
      expect(mine.raw.toString('latin1')).toBe(real.bytes.toString('latin1'));
    });

    it('errors carry Connection: close too and the socket is closed after them', async (ctx) => {
      const { port } = await startApi(ctx, pool);
      const r = await request(port, 'GET', '/2/summary', { headers: { Connection: 'keep-alive' } });
      expect(r.status).toBe(401);
      expect(r.responses).toBe(1);
      expect(r.raw.toString('latin1')).toMatch(/^HTTP\/1\.1 401 UNAUTHORIZED\r\n/);
      expect(r.headers.connection).toBe('close');
    });
  },
);
