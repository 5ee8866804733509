// The TT-Miner adapter: flag arrays (never a shell string), the TCP getstat1 exchange and restart-only
// throttling.
import { describe, it, expect, vi } from 'vitest';
import { minerConfigObject } from '../../../../shared/schemas';
import type { MinerConfigInput } from '../../../../shared/schemas';
import type { AdapterIo, LaunchContext } from '../adapter';
import { ttminerAdapter } from './adapter';

function ctx(config: MinerConfigInput = {}, binaryPath = '/opt/tt/TT-Miner'): LaunchContext {
  return {
    id: 'g1',
    generation: 2,
    config: minerConfigObject.parse({
      pool: 'stratum+tcp://rvn.pool.example:4444',
      wallet: 'RAbc.rig1',
      ...config,
    }),
    workDir: '/tmp/g1',
    binaryPath,
    apiPort: 4068,
    apiToken: 'unused',
  };
}

describe('ttminer buildLaunch', () => {
  it('builds the minimal flag array with the loopback API bind', () => {
    const plan = ttminerAdapter.buildLaunch(ctx());
    expect(plan.command).toBe('/opt/tt/TT-Miner');
    expect(plan.args).toEqual([
      '-P',
      'stratum+tcp://rvn.pool.example:4444',
      '-u',
      'RAbc.rig1',
      '-p',
      'x',
      '-b',
      '127.0.0.1:4068',
    ]);
    expect(plan.api).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 4068, password: null });
    expect(plan.files).toEqual([]);
  });

  it('adds algo, devices, intensity and the extra args in order', () => {
    const plan = ttminerAdapter.buildLaunch(
      ctx({ algo: 'kawpow', devices: '0,1', intensity: 20, cliArgs: '-nocolor  -notimestamp -nocolor' }),
    );
    expect(plan.args).toEqual([
      '-P',
      'stratum+tcp://rvn.pool.example:4444',
      '-u',
      'RAbc.rig1',
      '-p',
      'x',
      '-a',
      'kawpow',
      '-b',
      '127.0.0.1:4068',
      '-d',
      '0,1',
      '-i',
      '20',
      '-nocolor',
      '-notimestamp',
    ]);
  });

  it.each([
    [
      '-b 0.0.0.0:4068',
      '"-b" is not allowed: the app sets it from the profile\'s API (loopback, chosen by the app)',
    ],
    [
      '--nocolor',
      '"--nocolor" is not an argument the app allows for TT-Miner (only the exact spellings -nocolor, -notimestamp)',
    ],
    [
      '-nocol',
      '"-nocol" is not an argument the app allows for TT-Miner (only the exact spellings -nocolor, -notimestamp)',
    ],
    ['–nocolor', '"–nocolor" contains "–" (U+2013), not a plain hyphen: use a plain ASCII hyphen "-"'],
  ])('never launches with unchecked extra args (%s), even if validation was skipped', (cliArgs, message) => {
    // minerConfigObject alone does not judge cliArgs (the type is not known there): the adapter must.
    expect(() => ttminerAdapter.buildLaunch(ctx({ cliArgs }))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message }),
    );
  });

  it('runs a script binary itself, never through an interpreter', () => {
    const plan = ttminerAdapter.buildLaunch(ctx({}, '/x/fake-ttminer.mjs'));
    expect(plan.command).toBe('/x/fake-ttminer.mjs');
    expect(plan.args.slice(0, 2)).toEqual(['-P', 'stratum+tcp://rvn.pool.example:4444']);
  });
});

describe('ttminer fetchStats', () => {
  it('sends one getstat1 line over TCP with a 1 MiB cap and parses the reply', async () => {
    const tcpRequest = vi.fn(() =>
      Promise.resolve(
        '{"id":0,"result":["TT-Miner/2023.1.0","1","1000;0;0","1000","","","60;40","p:1","",""]}',
      ),
    );
    const io: AdapterIo = { http: vi.fn(), tcpRequest };
    const signal = AbortSignal.timeout(5000);
    const stats = await ttminerAdapter.fetchStats(
      { kind: 'tcp', host: '127.0.0.1', port: 4068, password: null },
      signal,
      io,
    );
    expect(stats.hashrate).toEqual([1000, null, null]);
    expect(tcpRequest).toHaveBeenCalledWith(
      '127.0.0.1',
      4068,
      '{"id":0,"jsonrpc":"2.0","method":"miner_getstat1"}\n',
      signal,
      1024 * 1024,
    );
  });
});

describe('ttminer planThrottle', () => {
  it('always needs a restart (no live config) and returns the merged config', () => {
    const plan = ttminerAdapter.planThrottle(ctx(), { cpuMaxThreadsHint: 50 });
    expect(plan.mode).toBe('restart');
    expect(plan.config.cpuMaxThreadsHint).toBe(50);
    expect(ttminerAdapter.supportsPause).toBe(false);
    expect(ttminerAdapter.pause).toBeUndefined();
  });
});
