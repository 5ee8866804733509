// TT-Miner's Claymore-style getstat1 reply: the illustrative reply from PROTOCOL.md, kH/s scaling for
// non-TT Claymore replies, warm-up zeros and malformed replies.
import { describe, it, expect } from 'vitest';
import { MinerError } from '../../../../shared/errors';
import { parseGetStat } from './parse';

// Verbatim from fixtures/tt-miner/PROTOCOL.md.
const ILLUSTRATIVE =
  '{"id":0,"jsonrpc":"2.0","result":["TT-Miner/2023.1.0","42","28500000;17;0","14250000;14250000","0;0;0","off;off","61;45;63;48","pool.example:4444","0;0;0;0","180;175"]}';

describe('parseGetStat', () => {
  it('reads the illustrative TT-Miner reply in H/s', () => {
    const s = parseGetStat(ILLUSTRATIVE, 99);
    expect(s.at).toBe(99);
    expect(s.hashrate).toEqual([28_500_000, null, null]);
    expect(s.warmingUp).toBe(false);
    expect(s.uptime).toBe(42 * 60);
    expect(s.shares).toEqual({ good: 17, total: 17, rejected: 0 });
    expect(s.pool).toBe('pool.example:4444');
    expect(s.threads).toEqual([14_250_000, 14_250_000]);
    expect(s.gpus).toEqual([
      { index: 0, hashrate: 14_250_000, temperature: 61, fan: 45, power: 180 },
      { index: 1, hashrate: 14_250_000, temperature: 63, fan: 48, power: 175 },
    ]);
    expect(s.paused).toBe(false);
    expect(s.cpu).toBeNull();
  });

  it('scales Claymore-format replies from kH/s', () => {
    const claymore = {
      id: 0,
      result: [
        '15.0 - ETH',
        '10',
        '60000;5;1',
        '30000;30000',
        'off',
        'off',
        '70;50;71;52',
        'eth.pool:4444',
        '0;0;0;0',
      ],
    };
    const s = parseGetStat(claymore);
    expect(s.hashrate).toEqual([60_000_000, null, null]);
    expect(s.gpus.map((g) => g.hashrate)).toEqual([30_000_000, 30_000_000]);
    expect(s.gpus.map((g) => g.power)).toEqual([null, null]);
    expect(s.shares).toEqual({ good: 5, total: 6, rejected: 1 });
  });

  it('treats a zero total as warming up with no data', () => {
    const s = parseGetStat({ result: ['TT-Miner/2023.1.0', '0', '0;0;0', '0;0', '', '', '', '', '', ''] });
    expect(s.warmingUp).toBe(true);
    expect(s.hashrate).toEqual([null, null, null]);
    expect(s.threads).toEqual([null, null]);
    expect(s.gpus[0]).toEqual({ index: 0, hashrate: null, temperature: null, fan: null, power: null });
  });

  it.each([
    ['invalid JSON', '{"result":', /valid JSON/],
    ['no result', '{"id":0,"error":"bad password"}', /no result: bad password/],
    ['a non-string result', '{"result":[1,2,3]}', /unexpected shape/],
    ['a too short result', '{"result":["TT-Miner"]}', /unexpected shape/],
  ])('rejects %s with MINER_API', (_label, body, message) => {
    try {
      parseGetStat(body);
      throw new Error('expected a MinerError');
    } catch (err) {
      expect(err).toBeInstanceOf(MinerError);
      expect((err as MinerError).code).toBe('MINER_API');
      expect((err as MinerError).message).toMatch(message);
    }
  });
});

describe('parseGetStat drops impossible numbers with a warning (issue 9, item 5)', () => {
  const reply = (total: string, gpus: string, temps = '61;45;63;48') =>
    JSON.stringify({
      id: 0,
      result: [
        'TT-Miner/2023.1.0',
        '42',
        total,
        gpus,
        '0;0;0',
        'off;off',
        temps,
        'pool:1',
        '0;0;0;0',
        '180;175',
      ],
    });

  it('2^64 H/s and 1e308 H/s never reach the sample; a real GPU beside them stays', () => {
    const s = parseGetStat(reply(`${2 ** 64};17;0`, '1e308;14250000'));
    expect(s.hashrate[0]).toBeNull();
    expect(s.gpus.map((g) => g.hashrate)).toEqual([null, 14_250_000]);
    expect(s.warnings).toEqual([
      '10 s hashrate 1.84e+19 H/s dropped: more than a ttminer rig can do (1 TH/s)',
      'thread 0 hashrate 1.00e+308 H/s dropped: more than a ttminer rig can do (1 TH/s)',
      'GPU 0 hashrate 1.00e+308 H/s dropped: more than a ttminer rig can do (1 TH/s)',
    ]);
  });

  it('1e15 shares, a negative rate and a 900 °C sensor are dropped', () => {
    const s = parseGetStat(reply('-5;1000000000000000;0', '14250000;14250000', '900;45;63;48'));
    expect(s.hashrate[0]).toBeNull();
    expect(s.shares).toEqual({ good: 0, total: 0, rejected: 0 });
    expect(s.gpus[0]!.temperature).toBeNull();
    expect(s.gpus[1]!.temperature).toBe(63);
    expect(s.warnings).toHaveLength(3);
    expect(s.warnings!.join('\n')).toMatch(/negative[\s\S]*GPU 0 temperature 900[\s\S]*share counts dropped/);
  });

  it('the illustrative reply has no warnings', () => {
    expect(parseGetStat(ILLUSTRATIVE).warnings).toBeUndefined();
  });
});
