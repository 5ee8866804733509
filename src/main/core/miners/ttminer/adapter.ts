// The TT-Miner adapter (NVIDIA GPUs): flags-only launch and stats over Claymore JSON-RPC on TCP.
// TT-Miner has no pause and no live config, so every throttle change needs a restart.
import { checkTtminerArgs } from '../../../../shared/miner-args';
import type { MinerConfig, ThrottlePatch } from '../../../../shared/schemas';
import { MinerError } from '../../../../shared/errors';
import type { MinerStats } from '../../../../shared/model';
import type {
  AdapterIo,
  ApiEndpoint,
  LaunchContext,
  LaunchPlan,
  MinerAdapter,
  ThrottlePlan,
} from '../adapter';
import { commandFor } from '../command';
import { GETSTAT_REQUEST, parseGetStat } from './parse';

/** A real getstat1 reply is a few hundred bytes. */
export const TTMINER_MAX_REPLY = 1024 * 1024;

export function buildTtminerArgs(config: MinerConfig, apiPort: number): string[] {
  const args = ['-P', config.pool, '-u', config.wallet, '-p', config.password];
  if (config.algo) args.push('-a', config.algo);
  args.push('-b', `127.0.0.1:${apiPort}`);
  if (config.devices) args.push('-d', config.devices);
  if (config.intensity !== undefined) args.push('-i', String(config.intensity));
  // Only the checked tokens (exact allow-listed spellings) run, never the raw text.
  const extra = checkTtminerArgs(config.cliArgs);
  if (!extra.ok) {
    const message = extra.errors[0] ?? 'Invalid extra arguments';
    throw new MinerError('INVALID_INPUT', message, [{ path: 'config.cliArgs', message }]);
  }
  return [...args, ...extra.args];
}

export const ttminerAdapter: MinerAdapter = {
  type: 'ttminer',
  needsBinary: true,
  binaryNames: ['TT-Miner', 'TT-Miner.exe', 'ttminer'],
  consoleKeys: [],
  supportsPause: false,
  // TT-Miner's real log lines are not captured; the OS tells who listens on the port instead.
  apiCheck: 'owner',

  buildLaunch(ctx: LaunchContext): LaunchPlan {
    if (!ctx.binaryPath)
      throw new MinerError('BINARY_MISSING', 'TT-Miner binary path was not resolved before launch');
    const cmd = commandFor(ctx.binaryPath, buildTtminerArgs(ctx.config, ctx.apiPort));
    return {
      command: cmd.command,
      args: cmd.args,
      files: [],
      api: { kind: 'tcp', host: '127.0.0.1', port: ctx.apiPort, password: null },
    };
  },

  async fetchStats(api: ApiEndpoint, signal: AbortSignal, io: AdapterIo): Promise<MinerStats> {
    if (api.kind !== 'tcp')
      throw new MinerError('INTERNAL', `TT-Miner expects a TCP API endpoint, got "${api.kind}"`);
    const text = await io.tcpRequest(api.host, api.port, GETSTAT_REQUEST, signal, TTMINER_MAX_REPLY);
    return parseGetStat(text);
  },

  planThrottle(ctx: LaunchContext, patch: ThrottlePatch): ThrottlePlan {
    const config: MinerConfig = { ...ctx.config };
    if (patch.threads !== undefined) config.threads = patch.threads;
    if (patch.cpuMaxThreadsHint !== undefined) config.cpuMaxThreadsHint = patch.cpuMaxThreadsHint;
    if (patch.cpuPriority !== undefined) config.cpuPriority = patch.cpuPriority;
    const { threads, cpuMaxThreadsHint, cpuPriority } = config;
    return { mode: 'restart', config, patch: { threads, cpuMaxThreadsHint, cpuPriority }, files: [] };
  },
};
