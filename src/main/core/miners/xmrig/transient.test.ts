// XMRig 6.21.2-6.22.1 served truncated /summary JSON for minutes after start (xmrig issues 3363, 3407,
// 3568): through the real adapter and HTTP client, a cut or unparsable reply is a typed transient miss.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinerError } from '../../../../shared/errors';
import type { ApiEndpoint } from '../adapter';
import { nodeIo } from '../io';
import { xmrigAdapter } from './adapter';
import { isTransientMinerError } from './parse';

const summary = readFileSync(
  new URL('../../../../../test/data/xmrig-6.26.0/runA_2_summary_running.json', import.meta.url),
  'utf8',
);
const half = summary.slice(0, Math.floor(summary.length / 2));

let server: http.Server;
let api: ApiEndpoint;
let mode: 'truncated-json' | 'cut-connection' | 'not-json-shape' = 'truncated-json';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (mode === 'truncated-json') {
      // A complete HTTP reply whose JSON body is cut, as the affected versions sent it.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(half.length) });
      res.end(half);
    } else if (mode === 'cut-connection') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(summary.length) });
      res.write(half, () => res.socket?.destroy());
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"uptime":"x"}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api = { kind: 'http', host: '127.0.0.1', port: (server.address() as AddressInfo).port, token: 't' };
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

async function fetchError(detail: boolean): Promise<unknown> {
  try {
    await xmrigAdapter.fetchStats(api, AbortSignal.timeout(5000), nodeIo, { detail });
  } catch (err) {
    return err;
  }
  throw new Error('expected fetchStats to fail');
}

describe('truncated XMRig replies are transient misses', () => {
  it('a complete reply with cut JSON', async () => {
    mode = 'truncated-json';
    for (const detail of [false, true]) {
      const err = await fetchError(detail);
      expect(isTransientMinerError(err)).toBe(true);
      expect((err as MinerError).details).toMatchObject({ transient: true, endpoint: '/2/summary' });
    }
  });

  it('a connection closed halfway through the reply', async () => {
    mode = 'cut-connection';
    const err = await fetchError(false);
    expect(err).toBeInstanceOf(MinerError);
    expect(isTransientMinerError(err)).toBe(true);
  });

  it('but a well-formed reply of the wrong shape stays a real error', async () => {
    mode = 'not-json-shape';
    expect(isTransientMinerError(await fetchError(false))).toBe(false);
  });
});
