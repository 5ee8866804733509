// Builds a real MiningService in a temp data folder with the simulated miner warmed up quickly,
// so service and transport tests exercise the real engine without binaries.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMiningService, type MiningService } from '../../src/main/service/mining-service';
import { adapters } from '../../src/main/core/miners/index';
import { createSimulatedAdapter } from '../../src/main/core/miners/simulated/adapter';

export interface TestService {
  service: MiningService;
  dataDir: string;
  dispose(): Promise<void>;
}

export async function makeTestService(dataDir?: string): Promise<TestService> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'hashdeck-svc-')));
  const service = await createMiningService({
    dataDir: dir,
    manager: {
      adapters: { ...adapters, simulated: createSimulatedAdapter({ warmupMs: 50, tickMs: 50 }) },
      stopTimeoutMs: 1000,
    },
  });
  return {
    service,
    dataDir: dir,
    async dispose() {
      await service.shutdown();
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
