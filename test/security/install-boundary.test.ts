// The install commands through the headless HTTP API, as a token holder would use them: no URL, folder or
// key can be sent (the release source is fixed on this machine at start-up), and an install started
// over HTTP answers at once while its progress streams to every event client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessServer, type HeadlessServer } from '../../src/main/headless/server';
import { randomToken } from '../../src/main/core/util/net';
import { makeInstallService, type InstallService } from '../support/install-service';

const TOKEN = randomToken();
let w: InstallService;
let server: HeadlessServer;

beforeAll(async () => {
  w = await makeInstallService();
  await w.release('6.26.0');
  server = await startHeadlessServer({
    service: w.service,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    staticDir: null,
  });
});

afterAll(async () => {
  await server.close();
  await w.dispose();
});

async function post(
  command: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${command}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Reads the event stream until a frame of `event` whose data contains `needle`; returns every frame seen. */
async function streamUntil(event: string, needle: string, started: () => Promise<void>): Promise<string[]> {
  const controller = new AbortController();
  const res = await fetch(`http://127.0.0.1:${server.port}/api/events`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
    signal: controller.signal,
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: string[] = [];
  let buffer = '';
  await started();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before "${event}" with ${needle}`);
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        frames.push(frame);
        if (frame.startsWith(`event: ${event}\n`) && frame.includes(needle)) return frames;
      }
    }
  } finally {
    controller.abort();
  }
}

describe('installs through the HTTP API', () => {
  it.each([
    { minerType: 'xmrig', releasesUrl: 'https://evil.example/releases.json' },
    { minerType: 'xmrig', downloadBaseUrl: 'https://evil.example/' },
    { minerType: 'xmrig', keyFile: '/tmp/attacker.asc', keyFingerprint: 'ab' },
    { minerType: 'xmrig', version: 'https://evil.example/v6.26.0' },
    { minerType: 'xmrig', version: '6.26.0', minersDir: '/tmp/elsewhere' },
  ])('refuses %j with 400 INVALID_INPUT, contacting nothing', async (body) => {
    const before = w.server.requests.length;
    const r = await post('installMiner', body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(w.server.requests.length).toBe(before);
  });

  it('starts at once and streams installProgress to the event clients', async () => {
    let answer: { status: number; json: Record<string, unknown> } | null = null;
    const frames = await streamUntil('installProgress', '"state":"succeeded"', async () => {
      answer = await post('installMiner', { minerType: 'xmrig' });
    });
    expect(answer!.status).toBe(200);
    expect(answer!.json).toMatchObject({ state: 'running', phase: 'resolving' });
    expect(
      frames.some((f) => f.startsWith('event: installProgress\n') && f.includes('"phase":"downloading"')),
    ).toBe(true);
    const list = await post('listInstalled', {});
    expect(list.json).toMatchObject({ versions: [{ version: '6.26.0', verified: true, isDefault: true }] });
  });
});
