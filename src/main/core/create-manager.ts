// Wires the real world into the manager: the three adapters, execa supervision, loopback I/O and
// version reading. Which binary runs is the caller's trust decision (resolveBinary, see trust/).
import { MinerManager, type ManagerOptions } from './manager';
import { adapters } from './miners/index';
import { createSimulatedAdapter } from './miners/simulated/adapter';
import { nodeIo } from './miners/io';
import { spawnMiner } from './spawn-miner';
import { readVersion } from './install/version';
import { UsageSampler } from './throttle/usage/sampler';
import { platformReader } from './throttle/usage/tree-reader';

export interface CreateManagerOptions extends Partial<ManagerOptions> {
  workRoot: string;
  resolveBinary: ManagerOptions['resolveBinary'];
}

export function createManager(options: CreateManagerOptions): MinerManager {
  return new MinerManager({
    // The simulated miner keeps the engine's time, so a fake clock drives it too.
    adapters: options.clock
      ? { ...adapters, simulated: createSimulatedAdapter({ clock: options.clock }) }
      : adapters,
    spawn: spawnMiner,
    io: nodeIo,
    // `--version` is bounded by readVersion's own 5 s default.
    readVersion,
    usage: new UsageSampler({ reader: platformReader() }),
    ...options,
  });
}
