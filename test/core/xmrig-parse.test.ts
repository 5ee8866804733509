// XMRig summary/backends parsing at the edges: every field we read is validated (with the place named),
// "no data" values (0, null, 2^64 difficulty) become null, shares and thread rates from whichever source has them.
import { describe, expect, it } from 'vitest';
import { parseBackends, parseSummary } from '../../src/main/core/miners/xmrig/parse';

/** The smallest summary XMRig could send, plus overrides. */
function summary(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uptime: 10,
    hashrate: { total: [500, 490, 480] },
    results: { shares_good: 7, shares_total: 9 },
    ...over,
  };
}

const fail = (body: unknown, backends?: unknown) => {
  try {
    parseSummary(body, backends);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a parse error');
};

describe('parseSummary validation', () => {
  it('names the endpoint and the offending field', () => {
    expect(fail(summary({ results: { shares_good: 'x', shares_total: 1 } }))).toMatchObject({
      code: 'MINER_API',
      message: expect.stringMatching(
        /^XMRig \/2\/summary has an unexpected shape at results\.shares_good: .*number/i,
      ),
    });
    expect(fail(summary({ connection: { ping: 'fast' } })).message).toContain('at connection.ping');
    expect(fail(summary({ cpu: { brand: 1, threads: 4 } })).message).toContain('at cpu.brand');
    expect(fail(summary({ hashrate: { total: [1, 2] } })).message).toContain('at hashrate.total');
  });

  it('says so without a place when the whole reply has the wrong type', () => {
    expect(fail(5).message).toMatch(/^XMRig \/2\/summary has an unexpected shape: \S/);
    expect(fail('{"uptime": ').message).toBe('XMRig /2/summary did not return valid JSON (truncated reply?)');
  });

  it('validates the backends too, naming that endpoint', () => {
    expect(() => parseBackends([{ enabled: true }])).toThrow(
      /^XMRig \/2\/backends has an unexpected shape at 0\.type/,
    );
    expect(() => parseBackends([{ type: 'cpu', threads: [{ hashrate: ['x'] }] }])).toThrow(
      'at 0.threads.0.hashrate.0',
    );
    expect(() => parseBackends('nope')).toThrow('XMRig /2/backends did not return valid JSON');
  });
});

describe('parseSummary values', () => {
  it('keeps all three windows of a hashing miner', () => {
    expect(parseSummary(summary()).hashrate).toEqual([500, 490, 480]);
  });

  it('is warming up while every window is null or 0, and not paused when the field is absent', () => {
    for (const total of [
      [null, null, null],
      [0, 0, null],
    ]) {
      const s = parseSummary(summary({ hashrate: { total } }));
      expect([s.hashrate, s.warmingUp, s.paused]).toEqual([[null, null, null], true, false]);
    }
  });

  it('turns "not measured" zeros into null: highest, ping, average share time, difficulty', () => {
    const s = parseSummary(
      summary({
        hashrate: { total: [500, null, null], highest: 0 },
        results: { shares_good: 0, shares_total: 0, avg_time: 0, diff_current: 0 },
        connection: { pool: 'p:1', ping: 0 },
      }),
    );
    expect([s.highest, s.ping, s.avgShareTime, s.difficulty]).toEqual([null, null, null, null]);
    const t = parseSummary(
      summary({
        hashrate: { total: [500, null, null], highest: 612 },
        results: { shares_good: 1, shares_total: 1, avg_time: 30, diff_current: 120001 },
        connection: { pool: 'p:1', ping: 41 },
      }),
    );
    expect([t.highest, t.ping, t.avgShareTime, t.difficulty]).toEqual([612, 41, 30, 120001]);
  });

  it('drops a difficulty that is not exact (bench mode reports 2^64-1)', () => {
    const diff = (d: number) =>
      parseSummary(summary({ results: { shares_good: 0, shares_total: 0, diff_current: d } })).difficulty;
    expect(diff(2 ** 53)).toBeNull();
    expect(diff(1.8446744073709552e19)).toBeNull();
    expect(diff(2 ** 53 - 1)).toBe(2 ** 53 - 1);
  });

  it('falls back to the connection difficulty, and copes without a connection block', () => {
    expect(parseSummary(summary({ connection: { diff: 5000 } })).difficulty).toBe(5000);
    const s = parseSummary(summary());
    expect([s.difficulty, s.pool, s.ping]).toEqual([null, null, null]);
  });

  it('reports the hash counter, or null when XMRig sends none', () => {
    const results = { shares_good: 0, shares_total: 0 };
    expect(parseSummary(summary({ results: { ...results, hashes_total: 123456 } })).hashesTotal).toBe(123456);
    expect(parseSummary(summary({ results })).hashesTotal).toBeNull();
  });

  it('counts rejected shares from the connection, or as total minus good', () => {
    expect(parseSummary(summary()).shares).toEqual({ good: 7, total: 9, rejected: 2 });
    expect(parseSummary(summary({ connection: { rejected: 1 } })).shares).toEqual({
      good: 7,
      total: 9,
      rejected: 1,
    });
    // total never below good (XMRig counts them in different places)
    expect(parseSummary(summary({ results: { shares_good: 9, shares_total: 7 } })).shares.total).toBe(9);
  });
});

describe('parseSummary thread rates', () => {
  const cpu = (threads: unknown[], enabled?: boolean) => ({
    type: 'cpu',
    ...(enabled === undefined ? {} : { enabled }),
    threads,
  });

  it('takes them from the enabled CPU backend, whatever comes first', () => {
    const backends = [
      { type: 'opencl', enabled: true, threads: [{ hashrate: [999] }] },
      cpu([{ hashrate: [250, 240] }, { hashrate: [0] }, {}]),
    ];
    expect(parseSummary(summary(), backends).threads).toEqual([250, 0, null]);
  });

  it('falls back to the summary threads when the CPU backend is disabled or absent', () => {
    const s = summary({ hashrate: { total: [500, null, null], threads: [[260], [240, 1]] } });
    expect(parseSummary(s, [cpu([{ hashrate: [1] }], false)]).threads).toEqual([260, 240]);
    expect(parseSummary(s, []).threads).toEqual([260, 240]);
    expect(parseSummary(s).threads).toEqual([260, 240]);
  });

  it('shows a thread 0 as "no data" only while the whole miner is warming up', () => {
    const warming = summary({ hashrate: { total: [null, null, null] } });
    expect(parseSummary(warming, [cpu([{ hashrate: [0] }, { hashrate: [null] }])]).threads).toEqual([
      null,
      null,
    ]);
    expect(parseSummary(summary(), [cpu([{ hashrate: [0] }, { hashrate: [300] }])]).threads).toEqual([
      0, 300,
    ]);
  });
});
