// The headless transport: every contract command as POST /api/<command>, events as SSE at GET /api/events,
// and the built renderer, behind the Host allow-list, same-origin, and a credential (Bearer token or session).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isCommandName } from '../../shared/contract';
import { httpStatusFor, MinerError, toErrorPayload } from '../../shared/errors';
import type { ServiceApi } from '../service/types';
import {
  bearerToken,
  checkHostAndOrigin,
  hostRules,
  isLoopback,
  isWildcard,
  readCookie,
  tokenProblem,
  tokensEqual,
  allowHostProblem,
  type Refusal,
} from './auth';
import { ConnectionGuard } from './connections';
import { sendLoginPage, type LoginReason } from './login-page';
import { addressKey, DEFAULT_FAILURE_LIMITS, FailureLimiter, type FailureLimits } from './rate-limit';
import {
  DEFAULT_SESSION_LIMITS,
  SessionStore,
  tokenFingerprint,
  type SessionKey,
  type SessionLimits,
} from './sessions';
import { DEFAULT_SSE_LIMITS, SseHub, type SseLimits } from './sse';
import { securityHeaders, serveStatic } from './static-files';

export interface HeadlessLimits {
  /** Open connections at most; at the cap the oldest idle one is closed to make room. */
  maxConnections: number;
  /** Event streams at most (one per open browser tab); more get 503. */
  maxEventStreams: number;
  /** A client must send its request headers within this time, and the whole request within the next. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (event streams send heartbeats). */
  idleSocketTimeoutMs: number;
  session: SessionLimits;
  auth: FailureLimits;
  sse: SseLimits;
}

export const DEFAULT_LIMITS: HeadlessLimits = {
  maxConnections: 128,
  maxEventStreams: 32,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleSocketTimeoutMs: 120_000,
  session: DEFAULT_SESSION_LIMITS,
  auth: DEFAULT_FAILURE_LIMITS,
  sse: DEFAULT_SSE_LIMITS,
};

export interface HeadlessOptions {
  service: ServiceApi;
  host: string;
  port: number;
  /** The master token (at least 32 visible characters): Bearer for scripts, traded for a session by browsers. */
  token: string;
  staticDir: string | null;
  /** PEM certificate chain and private key: serve HTTPS. */
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  /** Serve plain HTTP on an address other machines can reach; only when the user asked for it by name. */
  insecureHttp?: boolean;
  /** Host names (besides the loopback ones and a specific bound address) browsers may use. */
  allowHosts?: readonly string[];
  /** Keep browser sessions here (0600) so they survive a restart under the same token. */
  sessionFile?: string;
  limits?: Partial<Omit<HeadlessLimits, 'session' | 'auth' | 'sse'>> & {
    session?: Partial<SessionLimits>;
    auth?: Partial<FailureLimits>;
    sse?: Partial<SseLimits>;
  };
  now?: () => number;
}

export interface HeadlessServer {
  server: Server;
  /** Where a browser on this machine reaches the server, with a trailing slash. */
  url: string;
  port: number;
  secure: boolean;
  /** The Host header values that are served. */
  allowedHosts: ReadonlySet<string>;
  cookieName: string;
  sessions: SessionStore;
  events: SseHub;
  connections: ConnectionGuard;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  securityHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, err: unknown): void {
  const payload = toErrorPayload(err);
  sendJson(res, httpStatusFor(payload.code), { error: payload });
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new MinerError('INVALID_INPUT', 'Request body is larger than 1 MiB');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MinerError('INVALID_INPUT', 'Request body is not valid JSON');
  }
}

/** Why these options cannot be served, or null: the rules hold for every caller, not only the CLI. */
export function headlessOptionsProblem(
  opts: Pick<HeadlessOptions, 'host' | 'token' | 'tls' | 'insecureHttp' | 'allowHosts'>,
): string | null {
  const token = tokenProblem(opts.token);
  if (token) return token;
  for (const name of opts.allowHosts ?? []) {
    const problem = allowHostProblem(name);
    if (problem) return `--allow-host ${problem}`;
  }
  if (opts.tls && opts.insecureHttp)
    return '--insecure-http and --tls-cert/--tls-key contradict each other: pick one';
  if (!isLoopback(opts.host) && !opts.tls && !opts.insecureHttp) {
    return (
      `--host ${opts.host} lets other machines connect, and plain HTTP would show them the access token. ` +
      'Serve HTTPS with --tls-cert FILE --tls-key FILE, or accept the risk with --insecure-http.'
    );
  }
  return null;
}

/** A redirect target that can only ever be a path on this origin: "//evil.example/" becomes "/evil.example/". */
export function localPath(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;
}

type Caller = { kind: 'bearer' } | { kind: 'session'; key: SessionKey };

export async function startHeadlessServer(opts: HeadlessOptions): Promise<HeadlessServer> {
  const problem = headlessOptionsProblem(opts);
  if (problem) throw new Error(problem);
  const now = opts.now ?? Date.now;
  const given = opts.limits ?? {};
  const limits: HeadlessLimits = {
    ...DEFAULT_LIMITS,
    ...given,
    session: { ...DEFAULT_LIMITS.session, ...given.session },
    auth: { ...DEFAULT_LIMITS.auth, ...given.auth },
    sse: { ...DEFAULT_LIMITS.sse, ...given.sse },
  };
  const secure = Boolean(opts.tls);
  const hub = new SseHub(opts.service, limits.sse, now);
  const sessions = new SessionStore(
    limits.session,
    now,
    opts.sessionFile ? { path: opts.sessionFile, tokenFingerprint: tokenFingerprint(opts.token) } : null,
  );
  const limiter = new FailureLimiter(limits.auth, now);
  sessions.onRevoke((key) => (key ? hub.endTagged(key, 'logged out') : hub.endAllTagged('logged out')));
  // Filled in once listening: the port is part of the Host names and of the cookie name.
  let rules = hostRules(opts.host, 0, [], secure);
  let cookieName = 'hashdeck_session';

  const cookieAttributes = `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  const sessionCookie = (id: string) =>
    `${cookieName}=${id}; Max-Age=${Math.floor(limits.session.maxAgeMs / 1000)}; ${cookieAttributes}`;
  const clearedCookie = () => `${cookieName}=; Max-Age=0; ${cookieAttributes}`;

  const wantsPage = (req: IncomingMessage, isApi: boolean) =>
    !isApi &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    (req.headers.accept ?? '').includes('text/html');

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    isApi: boolean,
    r: Refusal,
    reason: LoginReason,
  ) => {
    const retryAfter =
      r.status === 429
        ? Math.max(1, Math.ceil(limiter.retryAfterMs(addressKey(req.socket.remoteAddress)) / 1000))
        : undefined;
    if (r.status !== 403 && wantsPage(req, isApi)) {
      sendLoginPage(res, r.status, {
        reason: r.status === 429 ? 'rate-limited' : reason,
        origin: `${rules.scheme}//${req.headers.host ?? ''}`,
        retryAfterSeconds: retryAfter,
        idleMs: limits.session.idleMs,
        maxAgeMs: limits.session.maxAgeMs,
      });
      return;
    }
    const headers: Record<string, string> =
      retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {};
    sendJson(res, r.status, { error: { code: r.code, message: r.message } }, headers);
  };

  const rateLimited = (waitMs: number): Refusal => ({
    status: 429,
    code: 'UNAUTHORIZED',
    message: `Too many wrong access tokens from your address: try again in ${Math.ceil(waitMs / 1000)} s`,
  });
  const unauthorized: Refusal = {
    status: 401,
    code: 'UNAUTHORIZED',
    message:
      'Missing or wrong access token: open the URL printed by the server, or send Authorization: Bearer <token>',
  };

  /** Bearer first (scripts), then the session cookie (browsers). Only master-token guesses are rate-limited. */
  const authenticate = (req: IncomingMessage, address: string): Caller | Refusal => {
    const bearer = bearerToken(req);
    if (bearer !== null) {
      // While an address is locked out its guesses are not even compared, or the lock-out would be an oracle.
      const wait = limiter.retryAfterMs(address);
      if (wait > 0) return rateLimited(wait);
      if (tokensEqual(bearer, opts.token)) return { kind: 'bearer' };
      limiter.recordFailure(address);
      return unauthorized;
    }
    const id = readCookie(req.headers.cookie, cookieName);
    const key = id === null ? null : sessions.use(id);
    return key ? { kind: 'session', key } : unauthorized;
  };

  /** The printed URL's ?token=: trade it for a session cookie and drop it from the address bar. */
  const login = (req: IncomingMessage, res: ServerResponse, url: URL, token: string, address: string) => {
    const wait = limiter.retryAfterMs(address);
    if (wait > 0) return refuse(req, res, false, rateLimited(wait), 'rate-limited');
    if (!tokensEqual(token, opts.token)) {
      limiter.recordFailure(address);
      return refuse(
        req,
        res,
        false,
        { ...unauthorized, message: 'Wrong access token in the URL' },
        'wrong-token',
      );
    }
    // Opening the link again replaces this browser's session instead of piling up another one.
    const previous = readCookie(req.headers.cookie, cookieName);
    const previousKey = previous === null ? null : sessions.use(previous);
    if (previousKey) sessions.revoke(previousKey);
    const { id } = sessions.create();
    url.searchParams.delete('token');
    res.writeHead(303, {
      'Set-Cookie': sessionCookie(id),
      Location: localPath(url),
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    res.end();
  };

  const sessionRoute = (res: ServerResponse, action: string, caller: Caller) => {
    if (action === 'logout') {
      if (caller.kind !== 'session') {
        return sendJson(res, 200, { loggedOut: false, message: 'Bearer requests have no session to end' });
      }
      sessions.revoke(caller.key);
      return sendJson(res, 200, { loggedOut: true }, { 'Set-Cookie': clearedCookie() });
    }
    if (action === 'logout-all') {
      const revoked = sessions.revokeAll();
      return sendJson(
        res,
        200,
        { revoked },
        caller.kind === 'session' ? { 'Set-Cookie': clearedCookie() } : {},
      );
    }
    return sendJson(res, 404, {
      error: { code: 'NOT_FOUND', message: `Unknown session action "${action}"` },
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!guard.admit(req, res)) return;
    const target = req.url ?? '';
    // Origin-form only: a target like "//evil.example/x" stays a path here, it never becomes a host.
    if (!target.startsWith('/')) {
      return sendJson(res, 400, { error: { code: 'INVALID_INPUT', message: 'Bad request target' } });
    }
    const url = new URL(`http://placeholder${target}`);
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    const hostRefusal = checkHostAndOrigin(req, rules);
    if (hostRefusal) return refuse(req, res, isApi, hostRefusal, 'missing');
    const address = addressKey(req.socket.remoteAddress);
    const queryToken = url.searchParams.get('token');
    if (!isApi && queryToken !== null && req.method === 'GET')
      return login(req, res, url, queryToken, address);

    const caller = authenticate(req, address);
    if ('status' in caller) return refuse(req, res, isApi, caller, 'missing');

    if (url.pathname.startsWith('/api/session/')) {
      if (req.method !== 'POST')
        return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Use POST' } });
      return sessionRoute(res, url.pathname.slice('/api/session/'.length), caller);
    }
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET')
        return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Use GET' } });
      if (hub.size >= limits.maxEventStreams) {
        const message = `Too many event streams are open (${limits.maxEventStreams}); close a tab or try again later`;
        return sendJson(res, 503, { error: { code: 'INVALID_STATE', message } }, { 'Retry-After': '10' });
      }
      if (caller.kind === 'session') {
        hub.attach(res, { tag: caller.key, stillAuthorized: () => sessions.touch(caller.key) });
      } else hub.attach(res);
      return;
    }
    if (isApi) {
      const name = url.pathname.slice('/api/'.length);
      if (!isCommandName(name)) {
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `Unknown command "${name}"` } });
      }
      if (req.method !== 'POST') {
        return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: `Use POST /api/${name}` } });
      }
      try {
        const body = await readJsonBody(req);
        sendJson(res, 200, await opts.service.invoke(name, body));
      } catch (err) {
        sendError(res, err);
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Method not allowed' } });
    }
    if (!opts.staticDir) {
      res.writeHead(404).end('No UI is served by this instance');
      return;
    }
    await serveStatic(opts.staticDir, url.pathname, res);
  };

  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the two timeouts above only this often (30 s by default): half-open sockets piled up.
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
  const server: Server = opts.tls
    ? createHttpsServer({
        ...serverOptions,
        cert: opts.tls.cert,
        key: opts.tls.key,
        handshakeTimeout: limits.headersTimeoutMs,
      })
    : createServer(serverOptions);
  server.timeout = limits.idleSocketTimeoutMs;
  const guard = new ConnectionGuard(server, limits.maxConnections, secure);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  rules = hostRules(opts.host, port, opts.allowHosts ?? [], secure);
  cookieName = `hashdeck_session_${port}`;
  const shownHost = isWildcard(opts.host)
    ? '127.0.0.1'
    : opts.host.includes(':')
      ? `[${opts.host.replace(/^\[|\]$/g, '')}]`
      : opts.host;
  const prune = setInterval(() => sessions.prune(), 60_000);
  prune.unref();
  return {
    server,
    port,
    secure,
    url: `${rules.scheme}//${shownHost}:${port}/`,
    allowedHosts: rules.allowed,
    cookieName,
    sessions,
    events: hub,
    connections: guard,
    close: async () => {
      clearInterval(prune);
      // Kept sessions stay valid for the next run under the same token; otherwise they end here.
      if (opts.sessionFile) await sessions.flush();
      else sessions.revokeAll();
      await new Promise<void>((resolve) => {
        hub.close();
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
