// The XMRig parsers against replies captured from a real XMRig 6.26.0 (copied into test/data so the
// project does not depend on ../shared), plus hostile and malformed bodies.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { MinerError } from '../../../../shared/errors';
import { isTransientMinerError, parseBackends, parseConfigKnobs, parseSummary } from './parse';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../../test/data/xmrig-6.26.0/${name}`, import.meta.url), 'utf8');

function expectMinerApi(fn: () => unknown, message: RegExp) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MinerError);
    expect((err as MinerError).code).toBe('MINER_API');
    expect((err as MinerError).message).toMatch(message);
    return;
  }
  throw new Error('expected a MinerError');
}

describe('parseSummary on real XMRig 6.26.0 replies', () => {
  it('treats the [0,0,0] start-up total as warming up with no data (never 0 H/s)', () => {
    const s = parseSummary(fixture('runA_2_summary_init.json'), undefined, 1234);
    expect(s.at).toBe(1234);
    expect(s.hashrate).toEqual([null, null, null]);
    expect(s.warmingUp).toBe(true);
    expect(s.highest).toBeNull();
    expect(s.uptime).toBe(0);
  });

  it('keeps null windows of a running miner and reads the rest', () => {
    const s = parseSummary(fixture('runA_2_summary_running.json'), fixture('runA_2_backends.json'));
    expect(s.hashrate).toEqual([515.03, null, null]);
    expect(s.warmingUp).toBe(false);
    expect(s.highest).toBe(517.98);
    expect(s.threads).toEqual([515.03]);
    expect(s.shares).toEqual({ good: 0, total: 0, rejected: 0 });
    expect(s.pool).toBe('benchmark:3333');
    expect(s.uptime).toBe(34);
    expect(s.paused).toBe(false);
    expect(s.algo).toBe('rx/0');
    expect(s.cpu).toEqual({ brand: 'AMD EPYC', threads: 2 });
    expect(s.gpus).toEqual([]);
  });

  it('reports 2^64-1 difficulty (rounded by JSON.parse) as unknown, and 0 avg time / ping as unknown', () => {
    const s = parseSummary(fixture('runB_2_summary_running.json'), fixture('runB_2_backends.json'));
    expect(s.difficulty).toBeNull();
    expect(s.avgShareTime).toBeNull();
    expect(s.ping).toBeNull();
    expect(s.hashrate[0]).toBe(42.67);
    expect(s.threads).toEqual([42.25]);
  });

  it('accepts summaries without backends and backends without threads (after json_rpc stop)', () => {
    expect(parseSummary(fixture('runA_2_summary_final.json')).threads).toEqual([]);
    const s = parseSummary(fixture('runA_2_summary_final.json'), fixture('runB_2_backends_after_stop.json'));
    expect(s.hashrate).toEqual([429.69, null, null]);
    expect(s.threads).toEqual([]);
  });

  it('falls back to v1 per-thread rates when no backends are given', () => {
    const s = parseSummary(fixture('runA_1_summary_running.json'));
    expect(s.threads).toEqual([515.03]);
  });

  it('accepts already-parsed JSON and reads real difficulty, shares and ping', () => {
    const json = JSON.parse(fixture('runA_2_summary_running.json')) as Record<
      string,
      Record<string, unknown>
    >;
    json.results = { ...json.results, diff_current: 120001, shares_good: 9, shares_total: 10, avg_time: 31 };
    json.connection = { ...json.connection, ping: 42, rejected: 1 };
    json.paused = true as never;
    const s = parseSummary(json);
    expect(s.difficulty).toBe(120001);
    expect(s.shares).toEqual({ good: 9, total: 10, rejected: 1 });
    expect(s.avgShareTime).toBe(31);
    expect(s.ping).toBe(42);
    expect(s.paused).toBe(true);
  });

  it('does not call a paused miner with empty windows "warming up"', () => {
    const json = JSON.parse(fixture('runA_2_summary_init.json')) as Record<string, unknown>;
    const s = parseSummary({ ...json, paused: true });
    expect(s.hashrate).toEqual([null, null, null]);
    expect(s.warmingUp).toBe(false);
  });

  it('keeps a real 0 window when another window has data (paused after hashing)', () => {
    const json = JSON.parse(fixture('runA_2_summary_running.json')) as Record<string, unknown>;
    const s = parseSummary({ ...json, hashrate: { total: [0, 480.5, null], highest: 517.98 } });
    expect(s.hashrate).toEqual([0, 480.5, null]);
    expect(s.warmingUp).toBe(false);
  });
});

describe('parseSummary rejects bad bodies with MINER_API', () => {
  it('invalid JSON', () => expectMinerApi(() => parseSummary('{"uptime": 3,'), /did not return valid JSON/));
  it('an error body (401)', () =>
    expectMinerApi(() => parseSummary(fixture('runB_noauth.json')), /unexpected shape/));
  it('a wrong type on a field we read, naming it', () => {
    const json = JSON.parse(fixture('runA_2_summary_running.json')) as Record<string, unknown>;
    expectMinerApi(
      () => parseSummary({ ...json, hashrate: { total: ['fast', null, null] } }),
      /hashrate\.total\.0/,
    );
  });
  it('an array where an object belongs', () => expectMinerApi(() => parseSummary([]), /unexpected shape/));
});

describe('parseSummary degrades instead of losing a good summary (issue 9, items 4 and 5)', () => {
  const running = () => JSON.parse(fixture('runA_2_summary_running.json')) as Record<string, unknown>;

  it.each([
    ['an object where an array belongs', '{"type":"cpu"}'],
    ['truncated JSON', '[{"type":"cpu","enabled":true,"threads":[{"hash'],
    ['a wrong field type', '[{"type":"cpu","threads":[{"hashrate":["fast"]}]}]'],
  ])('a malformed /2/backends reply (%s) still gives a summary-only sample', (_what, backends) => {
    const s = parseSummary(fixture('runA_2_summary_running.json'), backends);
    expect(s.hashrate).toEqual([515.03, null, null]);
    expect(s.shares).toEqual({ good: 0, total: 0, rejected: 0 });
    expect(s.threads).toEqual([]);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings![0]).toMatch(/^per-thread rates unavailable: XMRig \/2\/backends/);
  });

  it('drops impossible hashrates (1e308, 2^64, Infinity, negative) with a warning each', () => {
    const s = parseSummary({
      ...running(),
      hashrate: { total: [1e308, 2 ** 64, -1], highest: Infinity },
    });
    expect(s.hashrate).toEqual([null, null, null]);
    expect(s.highest).toBeNull();
    expect(s.warnings).toEqual([
      '10 s hashrate 1.00e+308 H/s dropped: more than a xmrig rig can do (1 GH/s)',
      '60 s hashrate 1.84e+19 H/s dropped: more than a xmrig rig can do (1 GH/s)',
      '15 min hashrate -1 H/s dropped: negative',
      'highest hashrate Infinity H/s dropped: not a finite number',
    ]);
  });

  it('reads Infinity from 1e999 in the raw body without failing the sample', () => {
    const text = fixture('runA_2_summary_running.json').replace('"total": [515.03', '"total": [1e999');
    expect(text).toContain('1e999');
    const s = parseSummary(text);
    expect(s.hashrate[0]).toBeNull();
    expect(s.warnings?.[0]).toMatch(/not a finite number/);
  });

  it('drops 1e15 shares, keeps the rest of the sample', () => {
    const json = running();
    const s = parseSummary({
      ...json,
      results: { ...(json.results as object), shares_good: 1e15, shares_total: 1e15 },
    });
    expect(s.shares).toEqual({ good: 0, total: 0, rejected: 0 });
    expect(s.hashrate[0]).toBe(515.03);
    expect(s.warnings).toEqual([
      'share counts dropped (good 1.00e+15, total 1.00e+15, rejected 0): not a real count (limit 1.00e+12)',
    ]);
  });

  it('a clean sample carries no warnings and reports the hash counter', () => {
    const s = parseSummary(fixture('runA_2_summary_running.json'), fixture('runA_2_backends.json'));
    expect(s.warnings).toBeUndefined();
    expect(typeof s.hashesTotal).toBe('number');
  });
});

describe('parseBackends', () => {
  it('tolerates unknown fields', () => {
    const b = parseBackends(fixture('runA_2_backends.json'));
    expect(b[0]?.type).toBe('cpu');
    expect(b[0]?.threads?.[0]?.hashrate).toEqual([515.03, null, null]);
  });
});

describe('parseConfigKnobs (GET /1/config): the hint, unless a thread profile overrides it', () => {
  const realCpu = () => (JSON.parse(fixture('runB_1_config.json')) as { cpu: Record<string, unknown> }).cpu;

  it('reads the hint next to the settings of the real config once its "*" profile is gone', () => {
    const cpu = realCpu();
    expect(parseConfigKnobs({ cpu })).toEqual({ hint: null }); // the captured config has a "*" profile
    delete cpu['*'];
    expect(parseConfigKnobs(JSON.stringify({ cpu: { ...cpu, 'max-threads-hint': 75 } }))).toEqual({
      hint: 75,
    });
  });

  it('takes none of the cpu settings for a profile, whatever their value', () => {
    const settings = {
      enabled: true,
      'huge-pages': true,
      'huge-pages-jit': true,
      'hw-aes': true,
      priority: 5,
      'memory-pool': 4,
      yield: true,
      'max-threads-hint': 60,
      asm: 'intel',
      'argon2-impl': 'AVX2',
      'cn/0': true,
      'cn-lite/0': true,
      kawpow: true,
    };
    expect(parseConfigKnobs({ cpu: settings })).toEqual({ hint: 60 });
  });

  it('a profile under any algorithm name hides the hint; a family switched off (false) or unset (null) does not', () => {
    expect(parseConfigKnobs({ cpu: { 'max-threads-hint': 60, rx: [-1, -1] } })).toEqual({ hint: null });
    expect(parseConfigKnobs({ cpu: { 'max-threads-hint': 60, 'cn-heavy': false } })).toEqual({ hint: 60 });
    expect(parseConfigKnobs({ cpu: { 'max-threads-hint': 60, 'rx/wow': null } })).toEqual({ hint: 60 });
  });

  it('is null without a hint, and names /1/config and the field in errors', () => {
    expect(parseConfigKnobs({ cpu: { enabled: true } })).toEqual({ hint: null });
    expectMinerApi(() => parseConfigKnobs('{"cpu":'), /^XMRig \/1\/config did not return valid JSON/);
    expectMinerApi(() => parseConfigKnobs({}), /^XMRig \/1\/config has an unexpected shape at cpu:/);
    expectMinerApi(
      () => parseConfigKnobs({ cpu: { 'max-threads-hint': '50%' } }),
      /at cpu\.max-threads-hint:/,
    );
  });
});

describe('a truncated reply is a transient miss (XMRig 6.21.2-6.22.1 served cut JSON after start)', () => {
  const full = fixture('runA_2_summary_running.json');

  it('marks cut and empty bodies as transient, naming the endpoint', () => {
    for (const body of [full.slice(0, Math.floor(full.length / 2)), full.slice(0, -1), '']) {
      let caught: unknown;
      try {
        parseSummary(body);
      } catch (err) {
        caught = err;
      }
      expect(isTransientMinerError(caught)).toBe(true);
      expect((caught as MinerError).details).toEqual({
        transient: true,
        endpoint: '/2/summary',
        bytes: body.length,
      });
    }
  });

  it('drops a cut /2/backends reply and keeps the summary sample', () => {
    const backends = fixture('runA_2_backends.json');
    const s = parseSummary(full, backends.slice(0, 40));
    expect(s.hashrate).toEqual([515.03, null, null]);
  });

  it('keeps a well-formed reply of the wrong shape a real (non-transient) error', () => {
    let caught: unknown;
    try {
      parseSummary('{"uptime": "soon"}');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MinerError);
    expect(isTransientMinerError(caught)).toBe(false);
    expect(isTransientMinerError(new Error('x'))).toBe(false);
  });

  it('only a MINER_API error can be a miss: a timeout stays a timeout whatever its details say', () => {
    const details = { transient: true, endpoint: '/2/summary', bytes: 0 };
    expect(isTransientMinerError(new MinerError('MINER_API', 'cut', details))).toBe(true);
    expect(isTransientMinerError(new MinerError('TIMEOUT', 'slow', details))).toBe(false);
  });
});
