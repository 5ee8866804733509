// @vitest-environment jsdom
// Both transports behind getClient: the HTTP + SSE client (stubbed global fetch, scripted EventSource)
// and the preload adapter (bridged plain-object rejections become MinerError instances).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../../shared/contract';
import { MinerError } from '../../../shared/errors';
import { createFakeClient } from '../test/fakeClient';
import { makeMiner, makeSettings } from '../test/fixtures';
import { createHttpClient } from './http';
import { getClient } from './index';
import { resetPrefetch, startPrefetch } from './prefetch';
import { wrapPreloadClient } from './preload';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

class ScriptedEventSource extends EventTarget {
  static instances: ScriptedEventSource[] = [];
  readyState = 0;
  closed = false;
  constructor(readonly url: string) {
    super();
    ScriptedEventSource.instances.push(this);
  }
  open(): void {
    this.readyState = 1;
    this.dispatchEvent(new Event('open'));
  }
  message(name: string, payload: unknown): void {
    this.dispatchEvent(new MessageEvent(name, { data: JSON.stringify(payload) }));
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
}

const ES = ScriptedEventSource as unknown as typeof EventSource;

function stubFetch(impl: () => Promise<Response>) {
  const fetch = vi.fn(impl);
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => {
  resetPrefetch();
  ScriptedEventSource.instances = [];
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('http client commands', () => {
  it('POSTs the JSON input to /api/<command> with same-origin credentials and returns the result', async () => {
    const miner = makeMiner();
    const fetch = stubFetch(async () => json(200, miner));
    const client = createHttpClient({ EventSource: ES });
    await expect(client.stopMiner({ id: 'm1' })).resolves.toEqual(miner);
    expect(fetch).toHaveBeenCalledWith(
      '/api/stopMiner',
      expect.objectContaining({ method: 'POST', credentials: 'same-origin', body: '{"id":"m1"}' }),
    );
  });

  it('throws a MinerError with code, message and details on a 4xx', async () => {
    const details = [{ path: 'config.pool', message: 'Pool URL is required' }];
    stubFetch(async () =>
      json(400, { error: { code: 'INVALID_INPUT', message: 'Invalid profile', details } }),
    );
    const client = createHttpClient({ EventSource: ES });
    const err = await client.saveProfile({ name: 'x', minerType: 'xmrig' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinerError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: 'Invalid profile', details });
  });

  it('maps a non-JSON failure to a code from the status', async () => {
    stubFetch(async () => new Response('nope', { status: 401 }));
    const client = createHttpClient({ EventSource: ES });
    await expect(client.getSettings({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('reports a network failure as a MinerError', async () => {
    stubFetch(async () => {
      throw new TypeError('Failed to fetch');
    });
    const client = createHttpClient({ EventSource: ES });
    await expect(client.getSnapshot({})).rejects.toBeInstanceOf(MinerError);
  });
});

describe('http client events', () => {
  it('delivers named SSE events to handlers until unsubscribed', () => {
    const client = createHttpClient({ EventSource: ES });
    const seen: string[] = [];
    const off = client.on('notice', (n) => seen.push(n.message));
    const es = ScriptedEventSource.instances[0];
    expect(es?.url).toBe('/api/events');
    es?.message('notice', { level: 'info', message: 'hello' });
    es?.message('stats', { at: 1, miners: [] });
    off();
    es?.message('notice', { level: 'info', message: 'ignored' });
    expect(seen).toEqual(['hello']);
  });

  it('opens one EventSource however many handlers subscribe', () => {
    const client = createHttpClient({ EventSource: ES });
    client.on('stats', () => undefined);
    client.on('log', () => undefined);
    expect(ScriptedEventSource.instances).toHaveLength(1);
  });

  it('re-fetches the snapshot after a reconnect (not on the first open)', async () => {
    const snapshot: Snapshot = {
      miners: [makeMiner()],
      profiles: [],
      settings: makeSettings(),
      binaries: [],
    };
    const fetch = stubFetch(async () => json(200, snapshot));
    const client = createHttpClient({ EventSource: ES });
    const resyncs: Snapshot[] = [];
    client.onResync((s) => resyncs.push(s));
    const es = ScriptedEventSource.instances[0];
    es?.open();
    expect(fetch).not.toHaveBeenCalled();
    es?.open();
    await vi.waitFor(() => expect(resyncs).toEqual([snapshot]));
    expect(fetch).toHaveBeenCalledWith('/api/getSnapshot', expect.anything());
  });

  it('re-creates the EventSource after the browser gives up on it', () => {
    vi.useFakeTimers();
    const client = createHttpClient({ EventSource: ES, retryDelayMs: 100 });
    client.on('stats', () => undefined);
    const first = ScriptedEventSource.instances[0];
    first?.close();
    first?.dispatchEvent(new Event('error'));
    vi.advanceTimersByTime(100);
    expect(ScriptedEventSource.instances).toHaveLength(2);
    client.close();
  });
});

describe('http client connection state', () => {
  it('reports offline when the stream drops and online once the resync snapshot is applied', async () => {
    const snapshot: Snapshot = { miners: [], profiles: [], settings: makeSettings(), binaries: [] };
    stubFetch(async () => json(200, snapshot));
    const client = createHttpClient({ EventSource: ES });
    const seen: string[] = [];
    client.onResync(() => seen.push('resync'));
    client.onConnection((s) => seen.push(s.online ? 'online' : 'offline'));
    const es = ScriptedEventSource.instances[0];
    es?.open();
    expect(seen).toEqual(['online']);
    es!.readyState = 0; // the browser retries by itself
    es?.dispatchEvent(new Event('error'));
    expect(seen).toEqual(['online', 'offline']);
    es?.open();
    await vi.waitFor(() => expect(seen).toEqual(['online', 'offline', 'resync', 'online']));
  });

  it('reports a refused session when the server answers 401 after the stream closed', async () => {
    vi.useFakeTimers();
    stubFetch(async () => json(401, { error: { code: 'UNAUTHORIZED', message: 'no token' } }));
    const client = createHttpClient({ EventSource: ES, retryDelayMs: 100 });
    const states: { online: boolean; refused: boolean }[] = [];
    client.onConnection((s) => states.push(s));
    const es = ScriptedEventSource.instances[0];
    es?.close();
    es?.dispatchEvent(new Event('error'));
    await vi.waitFor(() => expect(states.at(-1)).toEqual({ online: false, refused: true }));
    expect(states[0]).toEqual({ online: false, refused: false });
    client.close();
  });
});

describe('head start (prefetch)', () => {
  const snapshot: Snapshot = {
    miners: [makeMiner({ id: 'm1' })],
    profiles: [],
    settings: makeSettings(),
    binaries: [],
  };
  const history = { id: 'm1', from: 0, to: 0, points: [{ at: 1, value: 5 }] };

  function stubServer() {
    const fetch = vi.fn(async (url: string, _init?: RequestInit) =>
      json(200, url.endsWith('/getHistory') ? history : snapshot),
    );
    vi.stubGlobal('fetch', fetch);
    return fetch;
  }

  it('asks for the snapshot and each miner’s history before the app runs, and answers from them once', async () => {
    const fetch = stubServer();
    startPrefetch({ EventSource: ES, now: () => 1_000_000 });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
    expect(fetch.mock.calls.map((c) => String(c[0]))).toEqual(['/api/getSnapshot', '/api/getHistory']);
    expect(JSON.parse(String(fetch.mock.calls[1]?.[1]?.body))).toEqual({
      id: 'm1',
      from: 700_000,
      to: 1_000_000,
    });

    const client = createHttpClient({ EventSource: ES });
    await expect(client.getSnapshot({})).resolves.toEqual(snapshot);
    await expect(client.getHistory({ id: 'm1', from: 702_000, to: 1_002_000 })).resolves.toEqual(history);
    expect(fetch).toHaveBeenCalledTimes(2);
    // Each answer is used once: the next questions go to the server.
    await client.getSnapshot({});
    await client.getHistory({ id: 'm1', from: 702_000, to: 1_002_000 });
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('does not answer a history request for another window or miner from the head start', async () => {
    const fetch = stubServer();
    startPrefetch({ EventSource: ES, now: () => 1_000_000 });
    const client = createHttpClient({ EventSource: ES });
    await client.getHistory({ id: 'm1', from: 1_000_000 - 3_600_000, to: 1_000_000 });
    await client.getHistory({ id: 'other', from: 700_000, to: 1_000_000 });
    const asked = fetch.mock.calls.map((c) => c[0]);
    expect(asked.filter((u) => u.endsWith('/getHistory'))).toHaveLength(3); // 1 prefetched + 2 asked
  });

  it('hands its event stream to the client with the events that came before anyone listened', async () => {
    stubServer();
    startPrefetch({ EventSource: ES, now: () => 1 });
    const early = ScriptedEventSource.instances[0];
    early?.open();
    early?.message('notice', { level: 'info', message: 'before the app ran' });
    const client = createHttpClient({ EventSource: ES });
    const seen: string[] = [];
    const states: boolean[] = [];
    client.onConnection((s) => states.push(s.online));
    client.on('notice', (n) => seen.push(n.message));
    await vi.waitFor(() => expect(seen).toEqual(['before the app ran']));
    early?.message('notice', { level: 'info', message: 'after' });
    expect(seen).toEqual(['before the app ran', 'after']);
    expect(ScriptedEventSource.instances).toHaveLength(1);
    expect(states).toEqual([true]);
  });

  it('does nothing inside the desktop app', () => {
    const fetch = stubServer();
    window.mining = createFakeClient();
    try {
      startPrefetch({ EventSource: ES });
      expect(fetch).not.toHaveBeenCalled();
      expect(ScriptedEventSource.instances).toHaveLength(0);
    } finally {
      delete window.mining;
    }
  });
});

describe('wrapPreloadClient', () => {
  it('turns a bridged { code, message, details } rejection into a MinerError', async () => {
    const raw = createFakeClient();
    const details = [{ path: 'config.pool', message: 'bad pool' }];
    raw.respond('saveProfile', () =>
      Promise.reject({ name: 'MinerError', code: 'INVALID_INPUT', message: 'Invalid profile', details }),
    );
    const err = await wrapPreloadClient(raw)
      .saveProfile({ name: 'x', minerType: 'xmrig' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinerError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: 'Invalid profile', details });
  });

  it('passes results and events through', async () => {
    const raw = createFakeClient();
    const client = wrapPreloadClient(raw);
    await expect(client.sendConsole({ id: 'm1', input: 'h' })).resolves.toEqual({ ok: true });
    const seen: string[] = [];
    client.on('notice', (n) => seen.push(n.message));
    raw.emit('notice', { level: 'info', message: 'hi' });
    expect(seen).toEqual(['hi']);
  });

  it('is what getClient returns when the preload exposed window.mining', async () => {
    const raw = createFakeClient();
    window.mining = raw;
    await getClient().getSettings({});
    expect(raw.callsOf('getSettings')).toHaveLength(1);
    delete window.mining;
  });
});
