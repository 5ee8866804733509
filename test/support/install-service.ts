// A real MiningService whose installer points at a loopback fake XMRig release signed by a test key (the
// released "xmrig" runs the fake XMRig, tuned to warm up fast), plus waits for the service's events.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, EventPayloads } from '../../src/shared/contract';
import {
  createMiningService,
  type MiningService,
  type MiningServiceOptions,
} from '../../src/main/service/mining-service';
import { FakeReleaseServer, buildRelease } from '../install/support/fake-release';
import { testKey } from '../install/support/harness';
import type { TestKey } from '../install/support/keys';

/** Tuning for the released fake: a short warm-up and windows that fill within a second. */
export const FAST_FAKE_ENV: Record<string, string> = {
  FAKE_WARMUP_MS: '200',
  FAKE_XMRIG_WINDOW_SCALE: '0.05',
  FAKE_XMRIG_CORES: '2',
  FAKE_XMRIG_PRINT_MS: '500',
};

export interface InstallService {
  service: MiningService;
  dataDir: string;
  server: FakeReleaseServer;
  key: TestKey;
  /** Every event the service emitted, in order. */
  events: { name: EventName; payload: unknown }[];
  /** Publishes a signed release of `version` on the loopback server. */
  release(version: string, opts?: { bannerVersion?: string }): Promise<void>;
  /** Resolves with the first event (already seen after `since`, or coming) that matches. */
  waitFor<E extends EventName>(
    name: E,
    match: (payload: EventPayloads[E]) => boolean,
    opts?: { since?: number; timeoutMs?: number },
  ): Promise<EventPayloads[E]>;
  dispose(): Promise<void>;
}

export async function makeInstallService(
  opts: { install?: MiningServiceOptions['install']; dataDir?: string } = {},
): Promise<InstallService> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'hashdeck-install-svc-')));
  const key = await testKey();
  const server = await new FakeReleaseServer().start();
  const service = await createMiningService({
    dataDir,
    manager: { stopTimeoutMs: 1500, startGraceMs: 300, statsIntervalMs: 250, statsTimeoutMs: 1000 },
    install: {
      source: {
        releasesUrl: server.releasesUrl,
        downloadBaseUrl: null,
        key: { armored: key.armoredPublic, fingerprint: key.fingerprint },
      },
      platform: 'linux',
      arch: 'x64',
      limits: { answerTimeoutMs: 5000, idleTimeoutMs: 5000, versionTimeoutMs: 10_000 },
      ...opts.install,
    },
  }).catch(async (err: unknown) => {
    await server.stop();
    if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  service.manager.startCollector();
  const events: InstallService['events'] = [];
  const waiters = new Set<() => void>();
  const names: EventName[] = ['installProgress', 'installs', 'binaries', 'notice', 'minerState', 'stats'];
  for (const name of names) {
    service.on(name, (payload) => {
      events.push({ name, payload });
      for (const w of [...waiters]) w();
    });
  }
  return {
    service,
    dataDir,
    server,
    key,
    events,
    release: async (version, o = {}) =>
      server.add(await buildRelease({ key, version, fakeEnv: FAST_FAKE_ENV, ...o })),
    waitFor: (name, match, o = {}) =>
      new Promise((resolve, reject) => {
        let from = o.since ?? 0;
        const check = () => {
          for (; from < events.length; from++) {
            const e = events[from]!;
            if (e.name === name && match(e.payload as EventPayloads[typeof name])) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(e.payload as EventPayloads[typeof name]);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching "${name}" event within ${o.timeoutMs ?? 15_000} ms`));
        }, o.timeoutMs ?? 15_000);
        waiters.add(check);
        check();
      }),
    async dispose() {
      await service.shutdown();
      await server.stop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
