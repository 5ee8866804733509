// Wires the real world into the manager: the three adapters, execa supervision, loopback I/O and
// version reading. Which binary runs is the caller's trust decision (resolveBinary, see trust/).
import { MinerManager, type ManagerOptions } from './manager';
import { adapters } from './miners/index';
import { nodeIo } from './miners/io';
import { spawnMiner } from './supervisor';
import { readVersion } from './install/version';
import { UsageSampler } from './throttle/usage/sampler';
import { platformReader } from './throttle/usage/tree-reader';

export interface CreateManagerOptions extends Partial<ManagerOptions> {
  workRoot: string;
  resolveBinary: ManagerOptions['resolveBinary'];
}

export function createManager(options: CreateManagerOptions): MinerManager {
  return new MinerManager({
    adapters,
    spawn: spawnMiner,
    io: nodeIo,
    readVersion: (path) => readVersion(path, { timeoutMs: 5000 }),
    usage: new UsageSampler({ reader: platformReader() }),
    ...options,
  });
}
