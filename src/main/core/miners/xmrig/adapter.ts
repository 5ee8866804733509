// The XMRig adapter: launch from a generated config.json, stats over the HTTP API with a Bearer token,
// pause/resume through JSON-RPC and live throttling by rewriting the watched config file.
import type { MinerConfig, ThrottlePatch } from '../../../../shared/schemas';
import { MinerError } from '../../../../shared/errors';
import type { KnobTarget, MinerStats } from '../../../../shared/model';
import type {
  AdapterIo,
  ApiEndpoint,
  KnobReading,
  LaunchContext,
  LaunchPlan,
  MinerAdapter,
  ThrottlePlan,
} from '../adapter';
import { commandFor } from '../command';
import type { HttpResponse } from '../http-client';
import { xmrigConfigFile, xmrigConfigPath } from './config';
import { parseBackends, parseConfigKnobs, parseSummary } from './parse';

/** Real summaries are ~2.4 KB; anything near this cap is not XMRig talking. */
export const XMRIG_MAX_BODY = 2 * 1024 * 1024;

const API_BANNER = /^\s*\*\s+HTTP API\s+(\S+):(\d+)(.*)$/;

type HttpApi = Extract<ApiEndpoint, { kind: 'http' }>;

function httpApi(api: ApiEndpoint): HttpApi {
  if (api.kind !== 'http')
    throw new MinerError('INTERNAL', `XMRig expects an HTTP API endpoint, got "${api.kind}"`);
  return api;
}

function statusError(status: number, what: string): MinerError {
  if (status === 401) return new MinerError('MINER_API', 'XMRig API refused the token (401)');
  if (status === 403) {
    return new MinerError('MINER_API', 'XMRig API refused the token or is in restricted mode (403)');
  }
  return new MinerError('MINER_API', `XMRig API answered HTTP ${status} to ${what}`);
}

async function request(
  api: HttpApi,
  path: string,
  init: { method: 'GET' | 'POST'; body?: string },
  signal: AbortSignal,
  io: AdapterIo,
): Promise<string> {
  const what = `${init.method} ${path}`;
  const headers: Record<string, string> = { Authorization: `Bearer ${api.token}` };
  // Non-GET requests must carry exactly this Content-Type or XMRig answers 415.
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: HttpResponse;
  try {
    res = await io.http({
      method: init.method,
      host: api.host,
      port: api.port,
      path,
      headers,
      body: init.body,
      signal,
      maxBytes: XMRIG_MAX_BODY,
    });
  } catch (err) {
    if (signal.aborted) throw new MinerError('TIMEOUT', `XMRig API did not answer ${what} in time`);
    if (err instanceof MinerError) throw err;
    throw new MinerError(
      'MINER_API',
      `XMRig API at ${api.host}:${api.port} is not reachable (${String(err)})`,
    );
  }
  if (res.status < 200 || res.status >= 300) throw statusError(res.status, what);
  return res.body;
}

interface RpcReply {
  result?: { status?: unknown };
  error?: { code?: unknown; message?: unknown };
}

async function rpc(method: 'pause' | 'resume', api: HttpApi, signal: AbortSignal, io: AdapterIo) {
  const body = JSON.stringify({ id: 1, jsonrpc: '2.0', method });
  const text = await request(api, '/json_rpc', { method: 'POST', body }, signal, io);
  let reply: RpcReply;
  try {
    reply = JSON.parse(text) as RpcReply;
  } catch {
    throw new MinerError('MINER_API', `XMRig ${method} reply was not valid JSON`);
  }
  // json_rpc answers HTTP 200 even for errors; the outcome is in the body.
  if (reply?.result?.status === 'OK') return;
  if (reply?.error) {
    const code = typeof reply.error.code === 'number' ? reply.error.code : 'unknown';
    const message = typeof reply.error.message === 'string' ? reply.error.message : 'unknown error';
    throw new MinerError('MINER_API', `XMRig refused ${method}: ${message} (JSON-RPC ${code})`, {
      rpcCode: code,
    });
  }
  throw new MinerError('MINER_API', `XMRig ${method} reply did not report status OK`);
}

/** XMRig flips `paused` while it handles the command; a few short retries cover a slow first read. */
const CONFIRM_ATTEMPTS = 5;
const CONFIRM_STEP_MS = 40;

/**
 * Pause or resume, then read `paused` back from /2/summary: the summary, not the reply, is the truth.
 * A lost or garbled reply (6.26.0 writes it twice) is fine when the miner did it; an OK the miner did
 * not act on is an error. Returns the confirming sample.
 */
async function setPaused(
  method: 'pause' | 'resume',
  apiEndpoint: ApiEndpoint,
  signal: AbortSignal,
  io: AdapterIo,
  options: { confirm?: boolean } = {},
): Promise<MinerStats | undefined> {
  const api = httpApi(apiEndpoint);
  const want = method === 'pause';
  let rpcError: unknown = null;
  try {
    await rpc(method, api, signal, io);
  } catch (err) {
    // A refusal in the body (JSON-RPC error) is final; anything else may have happened after XMRig acted.
    if (
      err instanceof MinerError &&
      err.details &&
      typeof err.details === 'object' &&
      'rpcCode' in err.details
    )
      throw err;
    if (signal.aborted) throw err;
    rpcError = err;
  }
  if (options.confirm === false && rpcError === null) return undefined;
  for (let attempt = 1; ; attempt++) {
    let stats: MinerStats;
    try {
      stats = parseSummary(await request(api, '/2/summary', { method: 'GET' }, signal, io));
    } catch (err) {
      throw rpcError ?? err;
    }
    if (stats.paused === want) return stats;
    if (rpcError) throw rpcError;
    if (attempt >= CONFIRM_ATTEMPTS || signal.aborted) {
      throw new MinerError(
        'MINER_API',
        `XMRig answered OK to ${method} but still reports ${want ? 'running' : 'paused'}`,
      );
    }
    await new Promise((r) => setTimeout(r, CONFIRM_STEP_MS));
  }
}

type KnobPatch = NonNullable<ThrottlePlan['patch']>;

function defined(patch: ThrottlePatch): KnobPatch {
  const out: KnobPatch = {};
  if (patch.threads !== undefined) out.threads = patch.threads;
  if (patch.cpuMaxThreadsHint !== undefined) out.cpuMaxThreadsHint = patch.cpuMaxThreadsHint;
  if (patch.cpuPriority !== undefined) out.cpuPriority = patch.cpuPriority;
  return out;
}

/** Reads the knobs XMRig runs with: thread count and priority from /2/backends, the hint from /1/config. */
async function readKnobs(
  apiEndpoint: ApiEndpoint,
  target: KnobTarget,
  signal: AbortSignal,
  io: AdapterIo,
): Promise<KnobReading> {
  const api = httpApi(apiEndpoint);
  const backends = parseBackends(await request(api, '/2/backends', { method: 'GET' }, signal, io));
  const cpu = backends.find((b) => b.type === 'cpu');
  const reading: KnobReading = {
    // `threads` is absent while RandomX initialises (and after json_rpc stop): no workers to count yet.
    threads: cpu?.threads ? cpu.threads.length : null,
    priority: typeof cpu?.priority === 'number' ? cpu.priority : null,
  };
  // With no explicit count XMRig derives it from the hint and its cache sizes; /1/config shows whether
  // the reload took the new hint (the count itself is XMRig's to choose).
  if (target.threads === null) {
    reading.hint = parseConfigKnobs(await request(api, '/1/config', { method: 'GET' }, signal, io)).hint;
  }
  return reading;
}

export const xmrigAdapter: MinerAdapter = {
  type: 'xmrig',
  needsBinary: true,
  binaryNames: ['xmrig', 'xmrig.exe'],
  consoleKeys: ['h', 'p', 'r', 's', 'c', 'e'],
  supportsPause: true,
  apiCheck: 'log',

  // ` * HTTP API     127.0.0.1:18462 ` once bound; `... address already in use` when the port was taken
  // (XMRig then mines on without an API: port_in_use_stdout.log). Only the first form proves it is ours.
  apiBindLine(text: string, port: number): 'bound' | 'failed' | null {
    const m = API_BANNER.exec(text);
    if (!m || Number(m[2]) !== port) return null;
    return m[3]!.trim() === '' ? 'bound' : 'failed';
  },

  buildLaunch(ctx: LaunchContext): LaunchPlan {
    if (!ctx.binaryPath)
      throw new MinerError('BINARY_MISSING', 'XMRig binary path was not resolved before launch');
    // The profile's extra arguments go into the config file (user-args.ts), checked and canonical.
    const args = [`--config=${xmrigConfigPath(ctx.workDir)}`, '--no-color'];
    const cmd = commandFor(ctx.binaryPath, args);
    return {
      command: cmd.command,
      args: cmd.args,
      files: [xmrigConfigFile(ctx)],
      api: { kind: 'http', host: '127.0.0.1', port: ctx.apiPort, token: ctx.apiToken },
    };
  },

  async fetchStats(
    apiEndpoint: ApiEndpoint,
    signal: AbortSignal,
    io: AdapterIo,
    options: { detail?: boolean } = {},
  ): Promise<MinerStats> {
    const api = httpApi(apiEndpoint);
    if (options.detail === false) {
      return parseSummary(await request(api, '/2/summary', { method: 'GET' }, signal, io));
    }
    const summary = request(api, '/2/summary', { method: 'GET' }, signal, io);
    // Backends only add per-thread rates; a summary alone is still a useful sample.
    const backends = request(api, '/2/backends', { method: 'GET' }, signal, io).catch(() => undefined);
    // Both settle before this answers, so no request of this tick is left in flight.
    const [reply] = await Promise.allSettled([summary, backends]);
    if (reply.status === 'rejected') throw reply.reason;
    return parseSummary(reply.value, await backends);
  },

  pause: (api, signal, io, options) => setPaused('pause', api, signal, io, options),
  resume: (api, signal, io, options) => setPaused('resume', api, signal, io, options),

  readKnobs,

  /**
   * Every knob is live: threads (the cpu.rx array), the CPU % hint and priority are rewritten into the
   * watched config and XMRig restarts only its CPU workers. XMRig ignores the hint while an explicit
   * thread count is set, so a hint given alone switches the count back to automatic.
   */
  planThrottle(ctx: LaunchContext, patch: ThrottlePatch): ThrottlePlan {
    const change = defined(patch);
    let message: string | undefined;
    if (change.cpuMaxThreadsHint !== undefined && change.threads === undefined && ctx.config.threads > 0) {
      change.threads = 0;
      message = `The CPU % hint replaces the fixed count of ${ctx.config.threads} thread(s): XMRig ignores the hint while threads are fixed`;
    }
    const config: MinerConfig = { ...ctx.config, ...change };
    return {
      mode: 'live',
      config,
      patch: change,
      files: [xmrigConfigFile({ ...ctx, config })],
      target: {
        threads: config.threads > 0 ? config.threads : null,
        cpuMaxThreadsHint: config.cpuMaxThreadsHint,
        cpuPriority: config.cpuPriority ?? null,
      },
      ...(message ? { message } : {}),
    };
  },
};
