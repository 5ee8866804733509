// Pins the real XMRig path end to end (createManager + fake-xmrig): warm-up, stats, pause/resume, live
// throttle through the watched config, console keys, stop cleanup, and stop/start/restart generations.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isAlive,
  harnessPerTest,
  readJson,
  sleep,
  tickUntil,
  waitFor,
  waitForXmrigApi,
  xmrigRequest,
} from './helpers';

const harness = harnessPerTest();

describe('xmrig lifecycle with the real adapter and supervisor', () => {
  it('start -> warm-up (null, not 0) -> stats -> pause/resume -> live throttle -> console -> stop', async () => {
    const h = await harness();
    const { manager } = h;
    // a longer warm-up than the other tests so the first answered tick surely falls inside it
    const bin = await h.fakeBinary('xmrig-life', 'xmrig', { FAKE_WARMUP_MS: '2500' });

    const started = await manager.start(xmrigRequest('life', bin, { cpuMaxThreadsHint: 100 }));
    expect(started).toMatchObject({ id: 'life', state: 'running', generation: 1 });
    const pid = started.pid!;
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(true);

    // the config the miner runs from holds a fresh token and is the file XMRig watches
    const configPath = join(h.workRoot, 'life', 'config.json');
    const config = (await readJson(configPath)) as {
      http: { 'access-token': string; host: string; restricted: boolean };
      watch: boolean;
      autosave: boolean;
    };
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.http['access-token'].length).toBeGreaterThanOrEqual(16);
    expect(config.http.restricted).toBe(false);
    expect(config).toMatchObject({ watch: true, autosave: false });

    // during the dataset init XMRig reports total [0,0,0]: no data, so null and warmingUp, never 0 H/s
    const warming = await tickUntil(manager, 'life', (s) => s.stats !== null, 'the first stats', 2000, 50);
    expect(warming.stats!.warmingUp).toBe(true);
    expect(warming.stats!.hashrate).toEqual([null, null, null]);
    expect(warming.apiError).toBeNull();

    const hashing = await tickUntil(
      manager,
      'life',
      (s) => (s.stats?.hashrate[0] ?? 0) > 0,
      'a positive 10 s hashrate',
      8000,
    );
    expect(hashing.stats!.warmingUp).toBe(false);
    expect(hashing.stats!.paused).toBe(false);
    // FAKE_XMRIG_CORES=4, hint 100 -> 4 threads
    expect(hashing.stats!.threads).toHaveLength(4);
    expect(hashing.state).toBe('running');
    expect(manager.getHistory('life', 0, Date.now() + 1000).length).toBeGreaterThan(0);

    // pause through the JSON-RPC API: the manager says so at once, and the miner itself reports it
    const paused = await manager.pause('life');
    expect(paused.paused).toBe(true);
    await manager.tick();
    const afterPause = manager.get('life');
    expect(afterPause.stats!.paused).toBe(true);
    expect(afterPause.paused).toBe(true);
    expect(afterPause.stats!.warmingUp).toBe(false);
    await waitFor(
      () => manager.getLogs('life').some((l) => /miner\s+paused, press/.test(l.text)),
      'the fake to log its pause',
      3000,
    );

    const resumed = await manager.resume('life');
    expect(resumed.paused).toBe(false);
    await manager.tick();
    expect(manager.get('life').stats!.paused).toBe(false);
    expect(manager.get('life').paused).toBe(false);

    // live throttle: the hint is rewritten into the watched file, the fake reloads it and re-plans threads
    const result = await manager.throttle('life', { cpuMaxThreadsHint: 50 });
    expect(result.mode).toBe('live');
    expect(result.config.cpuMaxThreadsHint).toBe(50);
    const rewritten = (await readJson(configPath)) as { cpu: { 'max-threads-hint': number } };
    expect(rewritten.cpu['max-threads-hint']).toBe(50);
    const throttled = await tickUntil(
      manager,
      'life',
      (s) => s.stats?.threads.length === 2,
      'the reloaded config to run 2 threads',
      6000,
    );
    expect(throttled.pid).toBe(pid); // live: no restart
    expect(throttled.generation).toBe(1);
    expect(manager.getLogs('life').some((l) => l.text.includes('was changed, reloading configuration'))).toBe(
      true,
    );

    // console key h prints the hashrate table (the fake needs running workers: wait for the new ones)
    await tickUntil(manager, 'life', (s) => (s.stats?.hashrate[0] ?? 0) > 0, 'hashing after reload', 6000);
    const before = manager.getLogs('life').at(-1)?.seq ?? 0;
    await manager.sendConsole('life', 'h');
    await waitFor(
      () =>
        manager
          .getLogs('life', before)
          .some((l) => l.stream === 'stdout' && l.text.includes('| 10s H/s | 60s H/s | 15m H/s |')),
      'the hashrate table',
      3000,
    );
    expect(manager.getLogs('life', before).some((l) => l.stream === 'system' && l.text === '> h')).toBe(true);

    const stopped = await manager.stop('life');
    expect(stopped.state).toBe('stopped');
    expect(stopped.pid).toBeNull();
    expect(stopped.lastExit).toMatchObject({ code: 0, signal: null });
    expect(isAlive(pid)).toBe(false);
    // the file with the API token is gone with the process
    expect(existsSync(configPath)).toBe(false);
    expect(manager.getLogs('life').some((l) => l.text.includes('SIGTERM received, exiting'))).toBe(true);
  });

  it('await stop() then start() of the same name: new generation and pid, the old exit changes nothing', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-gen', 'xmrig');
    const first = await manager.start(xmrigRequest('gen', bin));
    await tickUntil(manager, 'gen', (s) => s.stats !== null, 'stats of generation 1', 5000, 50);

    await manager.stop('gen');
    const second = await manager.start(xmrigRequest('gen', bin));
    expect(second.generation).toBe(first.generation + 1);
    expect(second.pid).not.toBe(first.pid);
    expect(second.state).toBe('running');
    expect(isAlive(first.pid!)).toBe(false);
    expect(isAlive(second.pid!)).toBe(true);

    // several ticks later the new instance is still running and every sample is of the new generation
    const batches: number[] = [];
    manager.on('stats', (b) => batches.push(...b.miners.map((m) => m.generation)));
    await tickUntil(manager, 'gen', (s) => s.stats !== null, 'stats of generation 2', 5000, 50);
    for (let i = 0; i < 3; i++) {
      await manager.tick();
      await sleep(50);
    }
    const snap = manager.get('gen');
    expect(snap).toMatchObject({ state: 'running', generation: second.generation, pid: second.pid });
    expect(snap.reason).toBeNull();
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((g) => g === second.generation)).toBe(true);
    // log lines of the old process are tagged with the old generation, never the new one
    const oldLines = manager.getLogs('gen').filter((l) => l.generation === first.generation);
    expect(oldLines.some((l) => l.text.includes('SIGTERM received'))).toBe(true);
  });

  it('stop() and start() queued back to back (no await between) end with one running process', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-queue', 'xmrig');
    const first = await manager.start(xmrigRequest('queue', bin));

    const stopping = manager.stop('queue');
    const starting = manager.start(xmrigRequest('queue', bin));
    const [stopped, second] = await Promise.all([stopping, starting]);
    expect(stopped.state).toBe('stopped');
    expect(second).toMatchObject({ state: 'running', generation: first.generation + 1 });
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(first.pid!)).toBe(false);

    await tickUntil(manager, 'queue', (s) => s.stats !== null, 'stats of the new process', 5000, 50);
    await sleep(200);
    await manager.tick();
    expect(manager.get('queue')).toMatchObject({ state: 'running', pid: second.pid, reason: null });
  });

  it('restart() replaces the process: new pid and generation, running, stats of the new generation', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-restart', 'xmrig');
    const first = await manager.start(xmrigRequest('rs', bin));
    // its SIGTERM handler must be installed before the restart's SIGTERM, or the exit is by signal
    await waitForXmrigApi(manager, 'rs');
    const second = await manager.restart('rs');
    expect(second).toMatchObject({ state: 'running', generation: first.generation + 1 });
    expect(second.pid).not.toBe(first.pid);
    expect(isAlive(first.pid!)).toBe(false);
    expect(second.lastExit).toMatchObject({ code: 0 });

    const generations: number[] = [];
    manager.on('stats', (b) => generations.push(...b.miners.map((m) => m.generation)));
    await tickUntil(manager, 'rs', (s) => s.stats !== null, 'stats after restart', 5000, 50);
    for (let i = 0; i < 3; i++) {
      await manager.tick();
      await sleep(50);
    }
    expect(manager.get('rs')).toMatchObject({ state: 'running', pid: second.pid, generation: 2 });
    expect(generations.every((g) => g === second.generation)).toBe(true);
  });
});
