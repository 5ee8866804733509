// Streams an archive to disk while hashing it (SHA-256), with progress (bytes, total, percent, speed),
// a size bound, an idle timeout and cancel; a failed or cut download deletes its partial file.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { open, rm } from 'node:fs/promises';
import { InstallError, storageError } from './errors';
import { bodyChunks, openGet, type FetchLike } from './http';

export interface DownloadProgress {
  bytes: number;
  /** From Content-Length or the release list; null when neither said. */
  total: number | null;
  /** 0..100, null when the total is unknown. */
  percent: number | null;
  /** Over the last few seconds, so a stall shows as a falling speed. */
  bytesPerSecond: number;
}

export interface DownloadOptions {
  fetch?: FetchLike;
  signal?: AbortSignal;
  what: string;
  /** Size the release list announced; a body of another size is refused. */
  expectedSize?: number | null;
  maxBytes: number;
  answerTimeoutMs: number;
  /** No byte for this long: TIMEOUT. */
  idleTimeoutMs: number;
  onProgress?: (p: DownloadProgress) => void;
  /** Minimum time between two progress reports (the final one is always sent). */
  progressIntervalMs?: number;
  now?: () => number;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
}

const WRITE_BEHIND_BYTES = 1024 * 1024;

/** Speed over a sliding window of (time, bytes) samples. */
class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 3000) {}

  add(at: number, bytes: number): number {
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = at - first.at;
    return elapsed > 0 ? Math.round(((bytes - first.bytes) * 1000) / elapsed) : 0;
  }
}

function contentLength(res: Response): number | null {
  const raw = res.headers.get('content-length');
  return raw && /^\d+$/.test(raw) ? Number(raw) : null;
}

export async function downloadToFile(
  url: string,
  dest: string,
  opts: DownloadOptions,
): Promise<DownloadResult> {
  const now = opts.now ?? Date.now;
  const { res, deadline, fail, done } = await openGet(url, {
    fetch: opts.fetch,
    signal: opts.signal,
    answerTimeoutMs: opts.answerTimeoutMs,
    what: opts.what,
  });
  const expected = opts.expectedSize ?? null;
  const length = contentLength(res);
  const total = length ?? expected;
  const sizeError = (size: number) =>
    new InstallError(
      'VERIFICATION_FAILED',
      'too-large',
      // Name the bound that was crossed: the listed size may be above the limit.
      `${opts.what} is ${size} bytes, more than ${expected !== null && size > expected ? `the ${expected} bytes the release lists` : `the ${opts.maxBytes}-byte limit`}. Refused.`,
    );
  const limit = Math.min(opts.maxBytes, expected ?? Infinity);
  if ((length ?? 0) > limit) {
    done();
    await res.body?.cancel().catch(() => {});
    throw sizeError(length ?? 0);
  }

  let file;
  try {
    file = await open(dest, 'wx', 0o600);
  } catch (err) {
    done();
    await res.body?.cancel().catch(() => {});
    throw storageError(`create ${dest}`, err);
  }

  // Writes run behind the network (up to WRITE_BEHIND_BYTES queued), so socket and disk work together.
  // Stryker disable next-line ObjectLiteral: equivalent, the buffer size changes how much is queued, never what is written
  const out = file.createWriteStream({ highWaterMark: WRITE_BEHIND_BYTES });
  let writeError: Error | null = null;
  out.on('error', (err) => (writeError ??= err));
  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const settle = (err: Error | null) => {
        out.off('drain', onDrain);
        out.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => settle(null);
      const onClose = () => settle(writeError ?? new Error('the file was closed'));
      out.on('drain', onDrain);
      out.on('close', onClose);
    });
  const hash = createHash('sha256');
  const meter = new SpeedMeter();
  const interval = opts.progressIntervalMs ?? 200;
  const startedAt = now();
  let bytes = 0;
  // The first report is forced, so this start value is never compared.
  let lastReport = 0;
  let speed = 0;
  // A report held back by the interval is sent when it ends, so a stalled download still shows its bytes.
  let trailing: NodeJS.Timeout | null = null;
  const report = (force: boolean) => {
    const at = now();
    speed = meter.add(at, bytes);
    if (!opts.onProgress) return;
    if (!force && at - lastReport < interval) {
      trailing ??= setTimeout(
        () => {
          trailing = null;
          report(true);
        },
        interval - (at - lastReport),
      );
      return;
    }
    clearTimeout(trailing ?? undefined);
    trailing = null;
    lastReport = at;
    const percent = total ? Math.min(100, Math.floor((bytes * 1000) / total) / 10) : null;
    opts.onProgress({ bytes, total, percent, bytesPerSecond: speed });
  };

  let ok = false;
  try {
    report(true);
    deadline.kick(opts.idleTimeoutMs);
    for await (const chunk of bodyChunks(res)) {
      deadline.kick(opts.idleTimeoutMs);
      bytes += chunk.byteLength;
      if (bytes > limit) throw sizeError(bytes);
      hash.update(chunk);
      try {
        if (writeError || out.destroyed) throw writeError ?? new Error('the file was closed');
        if (!out.write(chunk)) await drained();
      } catch (err) {
        throw storageError(`write ${dest}`, err);
      }
      report(false);
    }
    try {
      await new Promise<void>((resolve, reject) =>
        out.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
    } catch (err) {
      throw storageError(`write ${dest}`, err);
    }
    if (bytes < (total ?? 0)) {
      throw new InstallError(
        'NETWORK',
        'interrupted',
        `The download of ${opts.what} stopped after ${bytes} of ${total} bytes. Try again.`,
        { bytes, total },
      );
    }
    report(true);
    ok = true;
    return { bytes, sha256: hash.digest('hex') };
  } catch (err) {
    // Our own refusals pass through fail() as they are.
    const mapped = fail(err);
    if (mapped.reason === 'offline') {
      // The server answered, so the network is up: the connection broke mid-body.
      throw new InstallError(
        'NETWORK',
        'interrupted',
        `The download of ${opts.what} was cut after ${bytes}${total !== null ? ` of ${total}` : ''} bytes (${mapped.message}). Try again.`,
        { bytes, total, elapsedMs: now() - startedAt },
      );
    }
    throw mapped;
  } finally {
    clearTimeout(trailing ?? undefined);
    done();
    if (!ok) out.destroy();
    // The stream closes the file itself; wait for it so the file can be deleted or renamed at once (Windows).
    if (!out.closed) await once(out, 'close').catch(() => {});
    await file.close().catch(() => {});
    if (!ok) await rm(dest, { force: true }).catch(() => {});
  }
}
