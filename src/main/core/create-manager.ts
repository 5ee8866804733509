// Wires the real world into the manager: the three adapters, execa supervision, loopback I/O,
// binary discovery and version reading. Tests build managers with fakes instead.
import { MinerManager, type ManagerOptions } from './manager';
import { adapters } from './miners/index';
import { nodeIo } from './miners/io';
import { spawnMiner } from './supervisor';
import { resolveBinary } from './install/discovery';
import { readVersion } from './install/version';
import { UsageSampler } from './throttle/usage/sampler';
import { platformReader } from './throttle/usage/tree-reader';

export interface CreateManagerOptions extends Partial<ManagerOptions> {
  workRoot: string;
  minersDir: string;
}

export function createManager(options: CreateManagerOptions): MinerManager {
  const { minersDir, ...rest } = options;
  return new MinerManager({
    adapters,
    spawn: spawnMiner,
    io: nodeIo,
    resolveBinary: (type, explicitPath) => resolveBinary({ type, explicitPath, minersDir }),
    readVersion: (path) => readVersion(path, { timeoutMs: 5000 }),
    usage: new UsageSampler({ reader: platformReader() }),
    ...rest,
  });
}
