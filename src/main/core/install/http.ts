// HTTP for the installer: fetch with a user AbortSignal, an answer deadline and an idle deadline for
// bodies, mapping failures to clear errors (offline, refused, GitHub's rate limit with its reset time).
import { InstallError, cancelledError } from './errors';
import { checkUrl } from './url-policy';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  fetch?: FetchLike;
  signal?: AbortSignal;
  /** No answer (status line and headers) within this: TIMEOUT. */
  answerTimeoutMs: number;
  /** `what` names the request in errors: "the XMRig release list", "xmrig-6.26.0-linux-static-x64.tar.gz". */
  what: string;
  headers?: Record<string, string>;
}

const USER_AGENT = 'HashDeck-miner-installer';

/** Why an internal abort happened, so a timeout is never reported as the user's cancel. */
export class Deadline {
  private timer: NodeJS.Timeout | null = null;
  expired = false;

  constructor(
    private readonly controller: AbortController,
    private readonly ms: number,
  ) {
    this.current = ms;
  }

  /** The length of the countdown that ran last (the answer or the idle deadline). */
  current: number;

  /** (Re)starts the countdown: once before the request, then on every body chunk (with the idle time). */
  kick(ms = this.ms): void {
    this.stop();
    this.current = ms;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new Error('deadline'));
    }, ms);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer ?? undefined);
    this.timer = null;
  }
}

const OFFLINE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The errno behind undici's "fetch failed" (it hides it in `cause`, sometimes two levels deep). */
export function networkErrorCode(err: unknown): string | null {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && cur; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

/** Maps a failed fetch (before or during the body) to an InstallError; never returns the raw error. */
export function mapFetchFailure(
  err: unknown,
  ctx: { what: string; host: string; userSignal?: AbortSignal; deadline: Deadline },
): InstallError {
  if (err instanceof InstallError) return err;
  if (ctx.userSignal?.aborted) return cancelledError();
  if (ctx.deadline.expired) {
    return new InstallError(
      'TIMEOUT',
      'timeout',
      `${ctx.host} sent nothing for ${seconds(ctx.deadline.current)} while fetching ${ctx.what}. Check your connection and try again.`,
    );
  }
  const code = networkErrorCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new InstallError(
      'NETWORK',
      'offline',
      `Cannot reach ${ctx.host} to fetch ${ctx.what}: its name does not resolve (${code}). This computer looks offline; check the network connection.`,
      { errno: code },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new InstallError(
      'NETWORK',
      'offline',
      `Cannot reach ${ctx.host} to fetch ${ctx.what}: the connection was refused (ECONNREFUSED). Check the network connection or proxy.`,
      { errno: code },
    );
  }
  if (code && OFFLINE_CODES.has(code)) {
    return new InstallError(
      'NETWORK',
      'offline',
      `Cannot reach ${ctx.host} to fetch ${ctx.what} (${code}). Check the network connection.`,
      { errno: code },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new InstallError('NETWORK', 'offline', `Fetching ${ctx.what} from ${ctx.host} failed: ${message}`, {
    errno: code,
  });
}

/** When GitHub's API quota resets: x-ratelimit-reset (epoch seconds) or retry-after (seconds or a date). */
export function rateLimitReset(headers: Headers, now: number): number | null {
  const reset = headers.get('x-ratelimit-reset');
  if (reset && /^\d+$/.test(reset)) return Number(reset) * 1000;
  const retry = headers.get('retry-after');
  if (retry && /^\d+$/.test(retry)) return now + Number(retry) * 1000;
  const at = Date.parse(retry ?? '');
  return Number.isNaN(at) ? null : at;
}

export function statusError(res: Response, what: string, host: string, now = Date.now()): InstallError {
  const limited =
    res.status === 429 || (res.status === 403 && res.headers.get('x-ratelimit-remaining') === '0');
  if (limited) {
    const resetAt = rateLimitReset(res.headers, now);
    const when =
      resetAt === null
        ? 'Try again later.'
        : `It resets at ${new Date(resetAt).toLocaleTimeString()} (in ${Math.max(1, Math.ceil((resetAt - now) / 60_000))} min).`;
    return new InstallError(
      'NETWORK',
      'rate-limited',
      `${host} is rate-limiting requests from this network (HTTP ${res.status}) while fetching ${what}. ${when}`,
      { status: res.status, resetAt },
    );
  }
  const text = res.statusText ? ` ${res.statusText}` : '';
  return new InstallError(
    'NETWORK',
    'http-status',
    `${host} answered HTTP ${res.status}${text} for ${what}.`,
    { status: res.status },
  );
}

export interface OpenedResponse {
  res: Response;
  /** Restart the idle countdown (call on every body chunk); stop it when done. */
  deadline: Deadline;
  /** Turns an error thrown while reading the body into an InstallError. */
  fail: (err: unknown) => InstallError;
  host: string;
  done: () => void;
}

/** Sends a GET and waits for a 2xx answer; the caller reads the body and calls `done()`. */
export async function openGet(rawUrl: string, opts: HttpOptions): Promise<OpenedResponse> {
  const url = checkUrl(rawUrl, opts.what);
  if (opts.signal?.aborted) throw cancelledError();
  const controller = new AbortController();
  // Stryker disable next-line OptionalChaining: equivalent, the listener is only added to a signal that exists
  const onUserAbort = () => controller.abort(opts.signal?.reason);
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, done() removes the listener in any case
  opts.signal?.addEventListener('abort', onUserAbort, { once: true });
  const deadline = new Deadline(controller, opts.answerTimeoutMs);
  const done = () => {
    deadline.stop();
    opts.signal?.removeEventListener('abort', onUserAbort);
  };
  const ctx = {
    what: opts.what,
    host: url.host,
    userSignal: opts.signal,
    deadline,
  };
  const fail = (err: unknown) => mapFetchFailure(err, ctx);
  const doFetch = opts.fetch ?? (globalThis.fetch as FetchLike);
  deadline.kick();
  let res: Response;
  try {
    res = await doFetch(url.href, {
      method: 'GET',
      redirect: 'follow',
      signal: controller.signal,
      headers: { 'User-Agent': USER_AGENT, ...opts.headers },
    });
  } catch (err) {
    done();
    throw fail(err);
  }
  try {
    // GitHub redirects asset downloads to its storage host; hold the redirect target to the same policy.
    if (res.url) checkUrl(res.url, opts.what);
    if (!res.ok) throw statusError(res, opts.what, url.host);
  } catch (err) {
    done();
    await res.body?.cancel().catch(() => {});
    throw err;
  }
  return { res, deadline, fail, host: url.host, done };
}

/** A response body as chunks: Node's web ReadableStream is async-iterable, its global type does not say so. */
export function bodyChunks(res: Response): AsyncIterable<Uint8Array> {
  return (res.body ?? []) as unknown as AsyncIterable<Uint8Array>;
}

/** GETs a small body (release list, SHA256SUMS, its signature) into memory, refusing more than `maxBytes`. */
export async function getBytes(
  rawUrl: string,
  opts: HttpOptions & { maxBytes: number },
): Promise<Uint8Array> {
  const { res, deadline, fail, done } = await openGet(rawUrl, opts);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of bodyChunks(res)) {
      deadline.kick();
      size += chunk.byteLength;
      if (size > opts.maxBytes) {
        throw new InstallError(
          'NETWORK',
          'too-large',
          `${opts.what} is larger than ${opts.maxBytes} bytes, which is not what it should be. Refused.`,
        );
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw fail(err);
  } finally {
    done();
  }
  return Buffer.concat(chunks);
}
