// The simulated miner adapter: runs a SimulatedEngine in-process behind the same MinerProcess and
// stats interfaces as a real miner, so the manager, UI and tests need no binary or network.
import type { MinerConfig, ThrottlePatch } from '../../../../shared/schemas';
import { MinerError } from '../../../../shared/errors';
import type { ExitInfo, MinerStats } from '../../../../shared/model';
import type { MinerProcess } from '../../process';
import type { ApiEndpoint, LaunchContext, LaunchPlan, MinerAdapter, ThrottlePlan } from '../adapter';
import { SimulatedEngine, systemClock } from './engine';
import type { SimClock } from './engine';

/** Engines of running simulated miners by API key; an entry is removed when its process exits. */
const engines = new Map<string, SimulatedEngine>();

export function simulatedKey(ctx: Pick<LaunchContext, 'id' | 'generation'>): string {
  return `${ctx.id}#${ctx.generation}`;
}

/** For tests and diagnostics: the engine behind a key, if it is running. */
export function getSimulatedEngine(key: string): SimulatedEngine | undefined {
  return engines.get(key);
}

/** Options instead of environment variables, so tests can shorten the warm-up or inject a clock. */
export interface SimulatedAdapterOptions {
  warmupMs?: number;
  tickMs?: number;
  cpuCount?: number;
  clock?: SimClock;
}

function engineFor(api: ApiEndpoint, signal?: AbortSignal): SimulatedEngine {
  if (api.kind !== 'inproc') {
    throw new MinerError('INTERNAL', `The simulated miner expects an in-process endpoint, got "${api.kind}"`);
  }
  if (signal?.aborted) throw new MinerError('TIMEOUT', 'Simulated miner stats request was cancelled');
  const engine = engines.get(api.key);
  if (!engine) throw new MinerError('MINER_API', 'simulated miner is not running');
  return engine;
}

function merge(config: MinerConfig, patch: ThrottlePatch): MinerConfig {
  const out: MinerConfig = { ...config };
  if (patch.threads !== undefined) out.threads = patch.threads;
  if (patch.cpuMaxThreadsHint !== undefined) out.cpuMaxThreadsHint = patch.cpuMaxThreadsHint;
  if (patch.cpuPriority !== undefined) out.cpuPriority = patch.cpuPriority;
  return out;
}

export function createSimulatedAdapter(options: SimulatedAdapterOptions = {}): MinerAdapter {
  const clock = options.clock ?? systemClock;
  return {
    type: 'simulated',
    needsBinary: false,
    binaryNames: [],
    consoleKeys: ['h', 'p', 'r', 's', 'c'],
    supportsPause: true,
    apiCheck: 'none',

    buildLaunch(ctx: LaunchContext): LaunchPlan {
      return { command: '', args: [], files: [], api: { kind: 'inproc', key: simulatedKey(ctx) } };
    },

    startInProcess(ctx: LaunchContext): MinerProcess {
      const key = simulatedKey(ctx);
      if (engines.has(key))
        throw new MinerError('ALREADY_RUNNING', `Simulated miner ${key} is already running`);
      const engine = new SimulatedEngine({
        seed: key,
        threads: ctx.config.threads,
        cpuMaxThreadsHint: ctx.config.cpuMaxThreadsHint,
        algo: ctx.config.algo ?? null,
        pool: ctx.config.pool || null,
        warmupMs: options.warmupMs,
        tickMs: options.tickMs,
        cpuCount: options.cpuCount,
        clock,
      });
      engines.set(key, engine);

      let resolveExit: (info: ExitInfo) => void = () => undefined;
      const exited = new Promise<ExitInfo>((resolve) => {
        resolveExit = resolve;
      });
      let done = false;
      // Safe to call again: a stopped engine ignores stop, a settled exit ignores resolve, and the key may
      // by then belong to a successor started under the same id and generation, which must keep running.
      const finish = (code: number | null, signal: string | null, graceful: boolean) => {
        done = true;
        engine.stop(graceful);
        if (engines.get(key) === engine) engines.delete(key);
        resolveExit({ code, signal, at: clock.now() });
      };

      engine.start();
      return {
        pid: null,
        exited,
        onLine(listener) {
          engine.onLine((text) => listener('stdout', text));
        },
        async write(data: string) {
          if (done)
            throw new MinerError('INVALID_STATE', 'The simulated miner has exited; its console is closed');
          for (const ch of data) engine.command(ch);
        },
        // Like XMRig on SIGTERM: log, stop the workers, exit 0.
        terminate() {
          finish(0, null, true);
        },
        async killTree() {
          finish(null, 'SIGKILL', false);
        },
      };
    },

    async fetchStats(api: ApiEndpoint, signal: AbortSignal): Promise<MinerStats> {
      return engineFor(api, signal).stats();
    },

    async pause(api: ApiEndpoint, signal: AbortSignal): Promise<void> {
      engineFor(api, signal).pause();
    },

    async resume(api: ApiEndpoint, signal: AbortSignal): Promise<void> {
      engineFor(api, signal).resume();
    },

    // Hint and threads both apply live: the engine rescales at once, like XMRig's watched-config reload.
    planThrottle(ctx: LaunchContext, patch: ThrottlePatch): ThrottlePlan {
      const config = merge(ctx.config, patch);
      const { threads, cpuMaxThreadsHint, cpuPriority } = config;
      return { mode: 'live', config, patch: { threads, cpuMaxThreadsHint, cpuPriority }, files: [] };
    },

    /** No file for an in-process engine to watch, so the manager hands the live plan over here. */
    applyThrottle(api: ApiEndpoint, config: MinerConfig): void {
      engineFor(api).setThrottle({ threads: config.threads, cpuMaxThreadsHint: config.cpuMaxThreadsHint });
    },
  };
}

export const simulatedAdapter: MinerAdapter = createSimulatedAdapter();
