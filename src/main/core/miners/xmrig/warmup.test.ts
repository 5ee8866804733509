// The warm-up parser against stdout captured from a real XMRig 6.26.0 (copies in test/data): benchmark
// mode, pool mode, coloured output and a live thread change.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MinerWarmup } from '../../../../shared/model';
import { nextWarmup, startWarmup, warmupSignalOf } from './warmup';

const fixtureLines = (name: string): string[] =>
  readFileSync(new URL(`../../../../../test/data/xmrig-6.26.0/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);

/** Replays a log from spawn and lists each change: [line index, phase or 'hashing']. */
function replay(lines: readonly string[]): [number, string][] {
  let state: MinerWarmup | null = startWarmup(0);
  const changes: [number, string][] = [];
  lines.forEach((line, i) => {
    const next = nextWarmup(state, line, i + 1);
    if (next !== state) changes.push([i, next?.phase ?? 'hashing']);
    state = next;
  });
  return changes;
}

const indexOf = (lines: readonly string[], text: string): number => lines.findIndex((l) => l.includes(text));

describe('XMRig warm-up from the real log', () => {
  it('walks dataset → threads → first sample → hashing in benchmark mode (runB)', () => {
    const lines = fixtureLines('runB_stdout.log');
    expect(replay(lines)).toEqual([
      [indexOf(lines, 'init dataset'), 'dataset'],
      [indexOf(lines, 'dataset ready'), 'threads'],
      [indexOf(lines, 'READY threads'), 'first-sample'],
      // The first speed line says "n/a": still waiting; the second carries the first 10 s average.
      [indexOf(lines, 'speed 10s/60s/15m 34.36'), 'hashing'],
    ]);
  });

  it('ignores pool, job, pause and config lines while mining on a pool (runD)', () => {
    const lines = fixtureLines('runD_stdout_pool.log');
    expect(replay(lines)).toEqual([
      [indexOf(lines, 'init dataset'), 'dataset'],
      [indexOf(lines, 'dataset ready'), 'threads'],
      [indexOf(lines, 'READY threads'), 'first-sample'],
      [indexOf(lines, 'speed 10s/60s/15m 13.79'), 'hashing'],
    ]);
  });

  it('reads the same phases through ANSI colours', () => {
    const lines = fixtureLines('colored_stdout_sample.ansi.log');
    expect(replay(lines).map(([, phase]) => phase)).toEqual([
      'dataset',
      'threads',
      'first-sample',
      'hashing',
    ]);
  });

  it('stamps each phase with the time of the line that began it', () => {
    let state: MinerWarmup | null = startWarmup(1000);
    expect(state).toEqual({ phase: 'starting', since: 1000 });
    state = nextWarmup(state, '[2026-11-26 14:00:03.551]  randomx  init dataset algo rx/0', 1200);
    expect(state).toEqual({ phase: 'dataset', since: 1200 });
    state = nextWarmup(state, '[2026-11-26 14:00:17.031]  randomx  dataset ready (13479 ms)', 14_700);
    expect(state).toEqual({ phase: 'threads', since: 14_700 });
  });

  it('never goes back: a live thread change logs READY again while waiting for the first average', () => {
    const lines = fixtureLines('watch_threads_rx_array.log');
    const changes = replay(lines);
    expect(changes.map(([, phase]) => phase)).toEqual(['dataset', 'threads', 'first-sample']);
    expect(changes.at(-1)?.[0]).toBe(indexOf(lines, 'READY threads 1/1'));
  });

  it('ignores READY threads and n/a speed lines once hashing, but a new dataset starts a new warm-up', () => {
    const hashing = nextWarmup(
      { phase: 'first-sample', since: 0 },
      '[t]  miner    speed 10s/60s/15m 515.8 n/a n/a H/s max 518.0 H/s',
      5,
    );
    expect(hashing).toBeNull();
    expect(nextWarmup(null, '[t]  cpu      READY threads 2/2 (2) huge pages 0% 0/2', 6)).toBeNull();
    expect(nextWarmup(null, '[t]  miner    speed 10s/60s/15m n/a n/a n/a H/s max n/a H/s', 7)).toBeNull();
    expect(nextWarmup(null, '[t]  randomx  init dataset algo rx/0 (2 threads) seed 1234...', 8)).toEqual({
      phase: 'dataset',
      since: 8,
    });
  });

  it('returns the same object for lines that say nothing about warm-up', () => {
    const state = startWarmup(0);
    for (const line of [
      ' * HTTP API     127.0.0.1:18462 ',
      '[t] 127.0.0.1 GET /2/summary 401 295 0ms "curl/7.88.1"',
      '[t]  net      new job from 127.0.0.1:13333 diff 1063 algo rx/0',
      '[t]  miner    paused, press  r  to resume',
      '',
    ]) {
      expect(nextWarmup(state, line, 1)).toBe(state);
    }
    expect(warmupSignalOf('speed is fine')).toBeNull();
  });
});
