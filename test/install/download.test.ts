// The archive download driven in-process by a scripted fetch and clock: hash and file, size refusals before
// and during the body, short and cut bodies, the partial file deleted, and throttled progress with speed.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadToFile, type DownloadProgress } from '../../src/main/core/install/download';
import { installFailureOf } from '../../src/main/core/install/errors';
import type { FetchLike } from '../../src/main/core/install/http';
import { rejection, until } from './support/harness';

const URL_ = 'https://github.com/xmrig/xmrig/releases/download/v6.26.0/x.tar.gz';

let dir = '';
let dest = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-download-'));
  dest = path.join(dir, 'archive.tar.gz');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A body the test feeds chunk by chunk (`push`), ends (`end`) or breaks (`error`). */
function scripted() {
  const waiting: ((v: { chunk?: Uint8Array; err?: Error }) => void)[] = [];
  const queued: { chunk?: Uint8Array; err?: Error }[] = [];
  const state = { cancelled: false, pulls: 0 };
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      state.pulls++;
      const next =
        queued.shift() ?? (await new Promise<{ chunk?: Uint8Array; err?: Error }>((r) => waiting.push(r)));
      if (next.err) c.error(next.err);
      else if (next.chunk) c.enqueue(next.chunk);
      else c.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const give = (v: { chunk?: Uint8Array; err?: Error }) => {
    const w = waiting.shift();
    if (w) w(v);
    else queued.push(v);
  };
  return {
    stream,
    state,
    push: (s: string | Uint8Array) => give({ chunk: typeof s === 'string' ? Buffer.from(s) : s }),
    end: () => give({}),
    error: (err: Error) => give({ err }),
  };
}

function fetchOf(stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): FetchLike {
  return async () => new Response(stream, { headers });
}

const base = { what: 'x.tar.gz', maxBytes: 1000, answerTimeoutMs: 5000, idleTimeoutMs: 5000 };

describe('downloading an archive', () => {
  it('writes the body to a new private file and returns its size and SHA-256', async () => {
    const body = scripted();
    ['abc', 'def', 'g'].forEach((c) => body.push(c));
    body.end();
    const result = await downloadToFile(URL_, dest, { ...base, fetch: fetchOf(body.stream) });
    expect(result).toEqual({ bytes: 7, sha256: createHash('sha256').update('abcdefg').digest('hex') });
    expect(await readFile(dest, 'utf8')).toBe('abcdefg');
    if (process.platform !== 'win32') expect((await stat(dest)).mode & 0o777).toBe(0o600);
  });

  it('never overwrites an existing file, and leaves it as it was', async () => {
    await writeFile(dest, 'mine');
    const body = scripted();
    body.push('abc');
    body.end();
    const err = await rejection(downloadToFile(URL_, dest, { ...base, fetch: fetchOf(body.stream) }));
    expect(installFailureOf(err)).toBe('storage');
    expect(err.message).toContain(`Could not create ${dest}`);
    expect(await readFile(dest, 'utf8')).toBe('mine');
    expect(body.state.cancelled).toBe(true);
  });

  it('refuses a Content-Length over the limit before reading a byte', async () => {
    const body = scripted();
    const err = await rejection(
      downloadToFile(URL_, dest, { ...base, fetch: fetchOf(body.stream, { 'content-length': '1001' }) }),
    );
    expect(err.code).toBe('VERIFICATION_FAILED');
    expect(installFailureOf(err)).toBe('too-large');
    expect(err.message).toBe('x.tar.gz is 1001 bytes, more than the 1000-byte limit. Refused.');
    expect(body.state.cancelled).toBe(true);
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses a Content-Length over the size the release lists', async () => {
    const body = scripted();
    const err = await rejection(
      downloadToFile(URL_, dest, {
        ...base,
        expectedSize: 10,
        fetch: fetchOf(body.stream, { 'content-length': '11' }),
      }),
    );
    expect(err.message).toBe('x.tar.gz is 11 bytes, more than the 10 bytes the release lists. Refused.');
    expect(body.state.cancelled).toBe(true);
  });

  it('a refused answer without a body is still refused cleanly', async () => {
    const big = await rejection(
      downloadToFile(URL_, dest, {
        ...base,
        fetch: async () => new Response(null, { headers: { 'content-length': '2000' } }),
      }),
    );
    expect(big.message).toBe('x.tar.gz is 2000 bytes, more than the 1000-byte limit. Refused.');
    await writeFile(dest, 'mine');
    const taken = await rejection(
      downloadToFile(URL_, dest, { ...base, fetch: async () => new Response(null) }),
    );
    expect(installFailureOf(taken)).toBe('storage');
  });

  it('a Content-Length with anything but digits is ignored', async () => {
    for (const cl of ['x3', '3x', '-3', '']) {
      const body = scripted();
      body.push('abc');
      body.end();
      const file = path.join(dir, `cl-${cl}`);
      const reports: DownloadProgress[] = [];
      await downloadToFile(URL_, file, {
        ...base,
        progressIntervalMs: 0,
        onProgress: (p) => reports.push(p),
        fetch: fetchOf(body.stream, { 'content-length': cl }),
      });
      expect(reports.at(-1)).toMatchObject({ bytes: 3, total: null, percent: null });
    }
  });

  it('names the limit, not the listed size, when the limit is the lower bound', async () => {
    const body = scripted();
    body.push('x'.repeat(11));
    const err = await rejection(
      downloadToFile(URL_, dest, { ...base, maxBytes: 10, expectedSize: 700, fetch: fetchOf(body.stream) }),
    );
    expect(err.message).toBe('x.tar.gz is 11 bytes, more than the 10-byte limit. Refused.');
    const early = scripted();
    const err2 = await rejection(
      downloadToFile(URL_, dest, {
        ...base,
        maxBytes: 10,
        expectedSize: 700,
        fetch: fetchOf(early.stream, { 'content-length': '11' }),
      }),
    );
    expect(err2.message).toBe('x.tar.gz is 11 bytes, more than the 10-byte limit. Refused.');
  });

  it('accepts a Content-Length exactly at the limit and at the listed size', async () => {
    for (const [expectedSize, maxBytes] of [
      [null, 4],
      [4, 1000],
    ] as const) {
      const body = scripted();
      body.push('abcd');
      body.end();
      const file = path.join(dir, `ok-${maxBytes}`);
      const result = await downloadToFile(URL_, file, {
        ...base,
        maxBytes,
        expectedSize,
        fetch: fetchOf(body.stream, { 'content-length': '4' }),
      });
      expect(result.bytes).toBe(4);
    }
  });

  it('without a Content-Length, stops a body that grows past the limit and deletes the partial file', async () => {
    for (const [expectedSize, message] of [
      [null, 'x.tar.gz is 6 bytes, more than the 5-byte limit. Refused.'],
      [5, 'x.tar.gz is 6 bytes, more than the 5 bytes the release lists. Refused.'],
    ] as const) {
      const body = scripted();
      body.push('abc');
      body.push('def');
      const err = await rejection(
        downloadToFile(URL_, dest, {
          ...base,
          maxBytes: expectedSize === null ? 5 : 1000,
          expectedSize,
          fetch: fetchOf(body.stream),
        }),
      );
      expect(installFailureOf(err)).toBe('too-large');
      expect(err.message).toBe(message);
      expect(existsSync(dest)).toBe(false);
    }
  });

  it('a body shorter than announced is an interrupted download, and nothing is kept', async () => {
    const body = scripted();
    body.push('abc');
    body.end();
    const err = await rejection(
      downloadToFile(URL_, dest, { ...base, fetch: fetchOf(body.stream, { 'content-length': '10' }) }),
    );
    expect(err.code).toBe('NETWORK');
    expect(installFailureOf(err)).toBe('interrupted');
    expect(err.message).toBe('The download of x.tar.gz stopped after 3 of 10 bytes. Try again.');
    expect(err.details).toMatchObject({ bytes: 3, total: 10 });
    expect(existsSync(dest)).toBe(false);
  });

  it('a Content-Length that is not a plain number is ignored (the listed size is used)', async () => {
    const body = scripted();
    body.push('abc');
    body.end();
    const err = await rejection(
      downloadToFile(URL_, dest, {
        ...base,
        expectedSize: 5,
        fetch: fetchOf(body.stream, { 'content-length': '3x' }),
      }),
    );
    expect(err.message).toBe('The download of x.tar.gz stopped after 3 of 5 bytes. Try again.');
  });

  it('a connection cut mid-body says after how many bytes, with the cause', async () => {
    let t = 1000;
    const body = scripted();
    body.push('abc');
    let got3!: () => void;
    const read3 = new Promise<void>((r) => (got3 = r));
    const pending = downloadToFile(URL_, dest, {
      ...base,
      now: () => t,
      progressIntervalMs: 0,
      onProgress: (p) => p.bytes === 3 && got3(),
      fetch: fetchOf(body.stream, { 'content-length': '10' }),
    });
    await read3;
    t = 1250;
    body.error(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const err = await rejection(pending);
    expect(err.code).toBe('NETWORK');
    expect(installFailureOf(err)).toBe('interrupted');
    expect(err.message).toBe(
      'The download of x.tar.gz was cut after 3 of 10 bytes (Cannot reach github.com to fetch x.tar.gz (ECONNRESET). Check the network connection.). Try again.',
    );
    expect(err.details).toMatchObject({ bytes: 3, total: 10, elapsedMs: 250 });
    expect(existsSync(dest)).toBe(false);

    const unknown = scripted();
    unknown.error(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    const err2 = await rejection(downloadToFile(URL_, dest, { ...base, fetch: fetchOf(unknown.stream) }));
    expect(err2.message).toMatch(/^The download of x\.tar\.gz was cut after 0 bytes \(/);
  });

  it('a failure that is not the network keeps its own reason (a stall times out)', async () => {
    const body = scripted();
    body.push('abc');
    const err = await rejection(
      downloadToFile(URL_, dest, {
        ...base,
        idleTimeoutMs: 50,
        fetch: async (_u, init) => {
          init.signal!.addEventListener('abort', () => body.error(init.signal!.reason as Error));
          return new Response(body.stream);
        },
      }),
    );
    expect(installFailureOf(err)).toBe('timeout');
    expect(err.message).toContain('sent nothing for 50 ms while fetching x.tar.gz');
    expect(existsSync(dest)).toBe(false);
  });
});

describe('download progress', () => {
  it('reports at the start and the end, and at most once per interval in between', async () => {
    let t = 0;
    const reports: DownloadProgress[] = [];
    const body = scripted();
    const pending = downloadToFile(URL_, dest, {
      ...base,
      now: () => t,
      progressIntervalMs: 60_000,
      expectedSize: 10,
      onProgress: (p) => reports.push(p),
      fetch: fetchOf(body.stream),
    });
    await until(() => reports.length === 1, pending);
    t = 1000;
    body.push('a'); // 1 s after the start: within the interval, held back
    await until(() => body.state.pulls >= 2, pending);
    t = 60_000;
    body.push('bc'); // exactly one interval after the start: sent
    await until(() => reports.length === 2, pending);
    t = 61_000;
    body.push('def');
    body.push('g');
    body.push('hij');
    body.end();
    await pending;
    expect(reports).toEqual([
      { bytes: 0, total: 10, percent: 0, bytesPerSecond: 0 },
      { bytes: 3, total: 10, percent: 30, bytesPerSecond: 0 },
      // The last report is always sent; the speed is over the last 3 s of samples (3 → 10 bytes in 1 s).
      { bytes: 10, total: 10, percent: 100, bytesPerSecond: 7 },
    ]);
  });

  it('percent is floored to a tenth, capped at 100, and null when no size is known', async () => {
    const run = async (chunks: string[], headers: Record<string, string>, expectedSize: number | null) => {
      const reports: DownloadProgress[] = [];
      const body = scripted();
      chunks.forEach((c) => body.push(c));
      body.end();
      const file = path.join(dir, `p-${Math.random()}`);
      await downloadToFile(URL_, file, {
        ...base,
        expectedSize,
        progressIntervalMs: 0,
        onProgress: (p) => reports.push(p),
        fetch: fetchOf(body.stream, headers),
      });
      return reports.map((r) => r.percent);
    };
    expect(await run(['a', 'b', 'c'], {}, 3)).toEqual([0, 33.3, 66.6, 100, 100]);
    // The server's Content-Length wins over the listed size for the total; a longer body stays at 100.
    expect(await run(['ab', 'cd'], { 'content-length': '2' }, null)).toEqual([0, 100, 100, 100]);
    expect(await run(['ab'], {}, null)).toEqual([null, null, null]);
  });

  it('a report held back by the interval is sent when the interval ends, once', async () => {
    let t = 0;
    const reports: DownloadProgress[] = [];
    const body = scripted();
    let onReport: (() => void) | null = null;
    const pending = downloadToFile(URL_, dest, {
      ...base,
      now: () => t,
      progressIntervalMs: 60_000,
      onProgress: (p) => {
        reports.push(p);
        onReport?.();
      },
      fetch: fetchOf(body.stream),
    });
    await until(() => reports.length === 1, pending);
    // 59.99 s into a 60 s interval: the held-back report is due in 10 ms.
    t = 59_990;
    const trailing = new Promise<void>((r) => (onReport = r));
    body.push('ab');
    body.push('cd');
    // Bounded, so a broken timer fails here rather than hanging the test.
    let guard: NodeJS.Timeout | undefined;
    await Promise.race([trailing, pending, new Promise((r) => (guard = setTimeout(r, 5000)))]);
    clearTimeout(guard);
    onReport = null;
    expect(reports.at(-1)).toMatchObject({ bytes: 4 });
    body.end();
    await pending;
    expect(reports.map((r) => r.bytes)).toEqual([0, 4, 4]);
  });

  it('a report sent on time cancels the held-back one', async () => {
    let t = 0;
    const reports: DownloadProgress[] = [];
    const body = scripted();
    const pending = downloadToFile(URL_, dest, {
      ...base,
      now: () => t,
      progressIntervalMs: 600,
      onProgress: (p) => reports.push(p),
      fetch: fetchOf(body.stream),
    });
    await until(() => reports.length === 1, pending);
    t = 10;
    body.push('a'); // held back: due in 590 ms
    await until(() => body.state.pulls >= 2, pending);
    t = 600;
    body.push('b'); // on time: sent now, and the held-back one is dropped
    await until(() => reports.length === 2, pending);
    body.end();
    await pending;
    await new Promise((r) => setTimeout(r, 700));
    expect(reports.map((r) => r.bytes)).toEqual([0, 2, 2]);
  });

  it('a failed download sends no held-back report afterwards', async () => {
    let t = 0;
    const reports: DownloadProgress[] = [];
    const body = scripted();
    const pending = downloadToFile(URL_, dest, {
      ...base,
      now: () => t,
      progressIntervalMs: 600,
      onProgress: (p) => reports.push(p),
      fetch: fetchOf(body.stream),
    });
    await until(() => reports.length === 1, pending);
    t = 10;
    body.push('a'); // held back: due in 590 ms
    await until(() => body.state.pulls >= 2, pending);
    body.error(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    await rejection(pending);
    await new Promise((r) => setTimeout(r, 700));
    expect(reports.map((r) => r.bytes)).toEqual([0]);
  });

  it('speed is measured over a 3 s window of samples', async () => {
    let t = 0;
    const speeds: number[] = [];
    const body = scripted();
    const pending = downloadToFile(URL_, dest, {
      ...base,
      now: () => t,
      progressIntervalMs: 0,
      onProgress: (p) => speeds.push(p.bytesPerSecond),
      fetch: fetchOf(body.stream),
    });
    const step = async (at: number, chunk: string) => {
      t = at;
      const n = speeds.length;
      body.push(chunk);
      await until(() => speeds.length === n + 1, pending);
    };
    await until(() => speeds.length === 1, pending);
    await step(1000, 'x'.repeat(100)); // 100 B over 1 s
    await step(2000, 'x'.repeat(100)); // 200 B over 2 s
    await step(3000, 'x'.repeat(100)); // 300 B over 3 s: the window is 3 s, the first sample stays
    await step(3500, 'x'.repeat(400)); // the t=0 sample is older than 3 s: 700 B over 2.5 s from t=1000
    t = 3500;
    body.end();
    await pending;
    expect(speeds).toEqual([0, 100, 100, 100, 240, 240]);
  });

  it('speed keeps the two last samples however old (a stall shows as a low speed, not 0)', async () => {
    const run = async (steps: [number, number][]) => {
      let t = 0;
      const speeds: number[] = [];
      const body = scripted();
      const pending = downloadToFile(URL_, path.join(dir, `s-${Math.random()}`), {
        ...base,
        now: () => t,
        progressIntervalMs: 0,
        onProgress: (p) => speeds.push(p.bytesPerSecond),
        fetch: fetchOf(body.stream),
      });
      await until(() => speeds.length === 1, pending);
      for (const [at, bytes] of steps) {
        t = at;
        const n = speeds.length;
        body.push('x'.repeat(bytes));
        await until(() => speeds.length === n + 1, pending);
      }
      body.end();
      await pending;
      return speeds.slice(1, -1);
    };
    // 1000 B over a 10 s stall: 100 B/s.
    expect(await run([[10_000, 1000]])).toEqual([100]);
    // A sample exactly one window old still counts: 600 B over 3 s, not 200 B over the last 2 s.
    expect(
      await run([
        [1000, 400],
        [3000, 200],
      ]),
    ).toEqual([400, 200]);
  });
});
