// Replays the bytes a real XMRig 6.26.0 sent (test/data/xmrig-6.26.0/wire_*.txt) from a raw TCP server
// to the real adapter and HTTP client: stats, backends, pause and resume (answered twice on one
// connection, then closed) must all succeed, whatever way the bytes are split into TCP segments.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { xmrigAdapter } from '../../src/main/core/miners/xmrig/adapter';
import { nodeIo } from '../../src/main/core/miners/io';
import type { ApiEndpoint } from '../../src/main/core/miners/adapter';
import { readCapture } from '../support/captures';

const TOKEN = 'tok';

interface Replay {
  api: ApiEndpoint;
  requests: { method: string; path: string; headers: string[]; body: string }[];
  close(): Promise<void>;
}

/**
 * Answers each request with the captured bytes for its method and path, split into `segment`-byte writes,
 * then closes, like XMRig. The summary's `paused` follows the pause/resume commands received: the one
 * word is swapped in place (`false` / `true `), so the captured Content-Length stays right.
 */
async function replayServer(segment: number): Promise<Replay> {
  const files: Record<string, string> = {
    'GET /2/summary': 'wire_get_2_summary.txt',
    'GET /2/backends': 'wire_get_2_backends.txt',
    'POST /json_rpc': '',
    'PUT /1/config': 'wire_put_1_config.txt',
  };
  let paused = false;
  const requests: Replay['requests'] = [];
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [line = '', ...headers] = buf.subarray(0, end).toString('latin1').split('\r\n');
      const length = Number(/content-length: (\d+)/i.exec(headers.join('\n'))?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      const body = buf.subarray(end + 4, end + 4 + length).toString('utf8');
      const [method = '', path = ''] = line.split(' ');
      requests.push({ method, path, headers, body });
      const key = `${method} ${path}`;
      let bytes: Buffer;
      if (key === 'POST /json_rpc') {
        const rpc = JSON.parse(body) as { method: string };
        paused = rpc.method === 'pause';
        bytes = readCapture(`wire_post_json_rpc_${rpc.method}.txt`).bytes;
      } else if (files[key]) {
        bytes = readCapture(files[key]).bytes;
        if (key === 'GET /2/summary' && paused) {
          bytes = Buffer.from(
            bytes.toString('latin1').replace('"paused": false,', '"paused": true ,'),
            'latin1',
          );
        }
      } else {
        socket.destroy();
        return;
      }
      for (let at = 0; at < bytes.length; at += segment) socket.write(bytes.subarray(at, at + segment));
      socket.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    api: { kind: 'http', host: '127.0.0.1', port, token: TOKEN },
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let replay: Replay | null = null;
afterEach(async () => {
  await replay?.close();
  replay = null;
});

const signal = () => AbortSignal.timeout(3000);

describe('the XMRig adapter against the captured bytes of a real XMRig 6.26.0', () => {
  for (const segment of [100_000, 7, 1]) {
    it(`summary, backends, pause and resume succeed (${segment === 100_000 ? 'one write' : `${segment}-byte writes`})`, async () => {
      replay = await replayServer(segment);
      const stats = await xmrigAdapter.fetchStats(replay.api, signal(), nodeIo, { detail: true });
      expect(stats).toMatchObject({
        hashrate: [8.01, 9.53, null],
        paused: false,
        pool: '127.0.0.1:13333',
        shares: { good: 1, total: 1, rejected: 0 },
        difficulty: 1063,
      });
      expect(stats.threads).toEqual([4.19]);

      const paused = await xmrigAdapter.pause!(replay.api, signal(), nodeIo);
      expect(paused).toMatchObject({ paused: true });
      const resumed = await xmrigAdapter.resume!(replay.api, signal(), nodeIo);
      expect(resumed).toMatchObject({ paused: false });

      // the client itself reads the first of the two responses (node:http failed with a Parse Error here)
      const api = replay.api as Extract<ApiEndpoint, { kind: 'http' }>;
      const reply = await nodeIo.http({
        method: 'POST',
        host: api.host,
        port: api.port,
        path: '/json_rpc',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: '{"id":1,"jsonrpc":"2.0","method":"pause"}',
        signal: signal(),
        maxBytes: 4096,
      });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ result: { status: 'OK' }, jsonrpc: '2.0', id: 1 });

      const rpcs = replay.requests.filter((r) => r.path === '/json_rpc');
      expect(rpcs.map((r) => (JSON.parse(r.body) as { method: string }).method)).toEqual([
        'pause',
        'resume',
        'pause',
      ]);
      for (const r of rpcs) {
        expect(r.headers).toContain(`Authorization: Bearer ${TOKEN}`);
        expect(r.headers).toContain('Content-Type: application/json');
      }
    });
  }

  it('the captures really are what a strict parser rejects: two responses on one connection', () => {
    const pause = readCapture('wire_post_json_rpc_pause.txt');
    expect(pause.responses).toBe(2);
    expect(pause.closed).toBe(true);
    const text = pause.bytes.toString('latin1');
    expect(text.indexOf('HTTP/1.1 200 OK', 1)).toBe(pause.bytes.length / 2);
    expect(text).toContain('Connection: close\r\n');
  });
});
