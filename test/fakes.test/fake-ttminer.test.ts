// Tests of test/fakes/fake-ttminer.mjs: flags, the Claymore miner_getstat1 reply over TCP
// (index table of test/fakes/data/ttminer and shared/fixtures/tt-miner/PROTOCOL.md), faults and signals.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKES_DIR, freePort, spawnFake, tcpRequest, TTMINER, waitUntil, type Fake } from './helpers';

const GETSTAT1 = '{"id":0,"jsonrpc":"2.0","method":"miner_getstat1"}\n';
const FAST = { FAKE_TT_WARMUP_MS: '200', FAKE_TT_PRINT_MS: '300', FAKE_SHARE_MS: '150' };

type Ctx = Parameters<typeof spawnFake>[0];

async function startTt(
  ctx: Ctx,
  env: Record<string, string> = {},
  extra: string[] = [],
): Promise<{ fake: Fake; port: number }> {
  const port = await freePort();
  const fake = spawnFake(
    ctx,
    TTMINER,
    [
      '-nocolor',
      '-a',
      'KAWPOW',
      '-P',
      'stratum+tcp://WALLET.rig:x@pool.example:4444',
      '-b',
      `127.0.0.1:${port}`,
      ...extra,
    ],
    { ...FAST, ...env },
  );
  await fake.waitFor(/API server \(Claymore JSON-RPC\) listening on 127\.0\.0\.1:\d+/);
  return { fake, port };
}

/** The 10 strings of a miner_getstat1 result (PROTOCOL.md's index table). */
type Getstat = [string, string, string, string, string, string, string, string, string, string];

async function getstat(port: number): Promise<Getstat> {
  const reply = JSON.parse(await tcpRequest(port, GETSTAT1)) as {
    id: number;
    jsonrpc: string;
    result: string[];
  };
  expect(reply.id).toBe(0);
  expect(reply.jsonrpc).toBe('2.0');
  expect(reply.result).toHaveLength(10);
  return reply.result as Getstat;
}

describe.concurrent('fake-ttminer', { timeout: 60_000 }, () => {
  it('-v prints the version and exits 0', async (ctx) => {
    const f = spawnFake(ctx, TTMINER, ['-v']);
    expect((await f.exited).code).toBe(0);
    expect(f.stdout()).toBe('TT-Miner 2023.1.0\n');
  });

  it('no -P pool (or FAKE_CONFIG_ERROR=1): error line and exit 2', async (ctx) => {
    const a = spawnFake(ctx, TTMINER, ['-nocolor', '-a', 'KAWPOW', '-b', '127.0.0.1:0']);
    const b = spawnFake(ctx, TTMINER, ['-nocolor', '-P', 'x@pool:1'], { FAKE_CONFIG_ERROR: '1' });
    expect((await a.exited).code).toBe(2);
    expect((await b.exited).code).toBe(2);
    expect(a.stdout()).toMatch(/ERROR: no pool defined/);
  });

  it('miner_getstat1 reply parses and follows the index table', async (ctx) => {
    const { fake, port } = await startTt(ctx, {}, ['-d', '0,1']);
    await fake.waitFor(/GPU\[1\]: DAG generated in 0\.20 s, mining started/);
    const r = await waitUntil(async () => {
      const res = await getstat(port);
      return Number(res[2].split(';')[1]) > 0 ? res : null; // wait for an accepted share
    });
    const example = JSON.parse(
      fs.readFileSync(path.join(FAKES_DIR, 'data', 'ttminer', 'getstat1_example.json.txt'), 'utf8'),
    ) as { result: string[] };
    expect(r).toHaveLength(example.result.length);
    expect(r[0]).toMatch(/^TT-Miner/);
    expect(r[1]).toMatch(/^\d+$/);
    const [total, acc, rej] = r[2].split(';').map(Number);
    const gpus = r[3].split(';').map(Number);
    expect(gpus).toHaveLength(2);
    for (const h of gpus) {
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThan(12e6);
      expect(h).toBeLessThan(16e6);
    }
    expect(total).toBe(gpus.reduce((a, b) => a + b, 0));
    expect(acc).toBeGreaterThan(0);
    expect(rej).toBe(0);
    expect(r[4]).toBe('0;0;0');
    expect(r[5]).toBe('off;off');
    const tf = r[6].split(';').map(Number);
    expect(tf).toHaveLength(4);
    const temps = tf.filter((_, i) => i % 2 === 0);
    const fans = tf.filter((_, i) => i % 2 === 1);
    for (const t of temps) expect(t >= 55 && t <= 70, `temperature ${t}`).toBe(true);
    for (const fan of fans) expect(fan >= 40 && fan <= 60, `fan ${fan}`).toBe(true);
    expect(r[7]).toBe('pool.example:4444');
    expect(r[8]).toBe('0;0;0;0');
    for (const p of r[9].split(';').map(Number)) expect(p >= 150 && p <= 200, `power ${p}`).toBe(true);
    expect(fake.stdout()).toMatch(/GPU\[\d\]: share accepted \(\d+ ms\)/);
    await fake.waitFor(/Total: \d+\.\d{3} MH\/s {2}Shares A:\d+ R:0/);
  });

  it('hashrates are 0 during the warm-up (DAG) and with FAKE_ZERO_RATE', async (ctx) => {
    const warm = await startTt(ctx, { FAKE_TT_WARMUP_MS: '5000' }, ['-d', '0', '1', '2']);
    const a = await getstat(warm.port);
    expect(a[2].split(';')[0]).toBe('0');
    expect(a[3]).toBe('0;0;0');
    const zero = await startTt(ctx, { FAKE_ZERO_RATE: '1' });
    await zero.fake.waitFor(/mining started/);
    await new Promise((r) => setTimeout(r, 300));
    const z = await getstat(zero.port);
    expect(z[2]).toBe('0;0;0');
    expect(z[3]).toBe('0;0');
  });

  it('unknown method: JSON-RPC error object; garbage: parse error', async (ctx) => {
    const { port } = await startTt(ctx);
    const unknown = JSON.parse(
      await tcpRequest(port, '{"id":7,"jsonrpc":"2.0","method":"miner_restart"}\n'),
    ) as {
      id: number;
      error: { code: number; message: string };
    };
    expect(unknown).toEqual({ id: 7, jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' } });
    const garbage = JSON.parse(await tcpRequest(port, 'hello\n')) as { id: null; error: { code: number } };
    expect(garbage.id).toBeNull();
    expect(garbage.error.code).toBe(-32700);
  });

  it('--api-password: requests need "psw"', async (ctx) => {
    const { port } = await startTt(ctx, {}, ['--api-password', 'pw']);
    const denied = JSON.parse(await tcpRequest(port, GETSTAT1)) as { error?: unknown; result?: unknown };
    expect(denied.error).toBeDefined();
    const ok = JSON.parse(
      await tcpRequest(port, '{"id":0,"jsonrpc":"2.0","method":"miner_getstat1","psw":"pw"}\n'),
    ) as { result: string[] };
    expect(ok.result[0]).toMatch(/^TT-Miner/);
  });

  it('API faults: hang, malformed, slow', async (ctx) => {
    const hang = await startTt(ctx, { FAKE_API_HANG: '1' });
    await expect(tcpRequest(hang.port, GETSTAT1, 300)).rejects.toThrow('timeout');
    const bad = await startTt(ctx, { FAKE_API_MALFORMED: '1' });
    const text = await tcpRequest(bad.port, GETSTAT1);
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text) as unknown).toThrow();
    const slow = await startTt(ctx, { FAKE_API_SLOW_MS: '400' });
    const t0 = Date.now();
    await getstat(slow.port);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  it('SIGTERM exits 0; FAKE_IGNORE_SIGTERM survives it; crash mode exits 1', async (ctx) => {
    const a = await startTt(ctx);
    a.fake.child.kill('SIGTERM');
    expect(await a.fake.exited).toEqual({ code: 0, signal: null });
    expect(a.fake.stdout()).toMatch(/Received SIGTERM, shutting down\.\.\.\n.*TT-Miner stopped\n$/);

    const b = await startTt(ctx, { FAKE_IGNORE_SIGTERM: '1' });
    b.fake.child.kill('SIGTERM');
    await b.fake.waitFor(/Received SIGTERM/);
    await new Promise((r) => setTimeout(r, 300));
    expect(b.fake.isRunning()).toBe(true);

    const c = spawnFake(ctx, TTMINER, ['-nocolor', '-P', 'x@pool:1'], {
      ...FAST,
      FAKE_CRASH_AFTER_MS: '200',
    });
    expect((await c.exited).code).toBe(1);
    expect(c.stdout()).toMatch(/CUDA error 700/);
  });
});
