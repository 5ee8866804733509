// Accepted extra XMRig options land in config.json under the keys XMRig 6.26.0 writes (runB_1_config.json),
// survive the live rewrite used for throttling, and refused ones stop the build instead of being dropped.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { minerConfigObject } from '../../../../shared/schemas';
import type { MinerConfigInput } from '../../../../shared/schemas';
import type { LaunchContext } from '../adapter';
import { xmrigAdapter } from './adapter';
import { buildXmrigConfig } from './config';

function ctx(config: MinerConfigInput = {}): LaunchContext {
  return {
    id: 'm1',
    generation: 1,
    config: minerConfigObject.parse({ pool: 'pool.example.com:3333', wallet: '4Abc', ...config }),
    workDir: path.join('/tmp', 'w'),
    binaryPath: '/opt/xmrig/xmrig',
    apiPort: 18461,
    apiToken: 'tok',
  };
}

const FP = 'ab'.repeat(32);

describe('extra XMRig options in config.json', () => {
  it('adds nothing when there are none', () => {
    const json = buildXmrigConfig(ctx());
    for (const key of ['randomx', 'dns', 'dmi', 'retries', 'retry-pause', 'verbose']) {
      expect(json, key).not.toHaveProperty(key);
    }
    expect(json.pools[0]).not.toHaveProperty('rig-id');
  });

  it('writes the randomx section', () => {
    const json = buildXmrigConfig(
      ctx({
        cliArgs:
          '--randomx-mode=light --randomx-init=2 --randomx-no-numa --1gb-pages --no-rdmsr --cache-qos --wrmsr=3',
      }),
    );
    expect(json.randomx).toEqual({
      mode: 'light',
      init: 2,
      numa: false,
      '1gb-pages': true,
      rdmsr: false,
      cache_qos: true,
      wrmsr: 3,
    });
    expect(buildXmrigConfig(ctx({ cliArgs: '--wrmsr' })).randomx).toEqual({ wrmsr: true });
    expect(buildXmrigConfig(ctx({ cliArgs: '--wrmsr=-1' })).randomx).toEqual({ wrmsr: false });
  });

  it('keeps the boundary values apart the way XMRig writes them (runB_1_config.json)', () => {
    // wrmsr=0 is preset 0 (the tweak on), only -1 turns it off; XMRig writes an unset pool as false.
    expect(buildXmrigConfig(ctx({ cliArgs: '--wrmsr=0' })).randomx).toEqual({ wrmsr: 0 });
    const off = buildXmrigConfig(ctx({ cliArgs: '--cpu-memory-pool=0 --asm=auto' })).cpu;
    expect(off['memory-pool']).toBe(false);
    expect(off.asm).toBe(true);
    expect(buildXmrigConfig(ctx({ cliArgs: '--cpu-memory-pool=1' })).cpu['memory-pool']).toBe(1);
  });

  it("writes CPU options next to the profile's own CPU fields", () => {
    const cpu = buildXmrigConfig(
      ctx({ cpuPriority: 1, cliArgs: '--no-yield --asm=ryzen --argon2-impl=AVX2 --cpu-memory-pool=64' }),
    ).cpu;
    expect(cpu).toMatchObject({
      priority: 1,
      yield: false,
      asm: 'ryzen',
      'argon2-impl': 'AVX2',
      'memory-pool': 64,
    });
    expect(buildXmrigConfig(ctx({ cliArgs: '--asm=none --cpu-memory-pool=-1' })).cpu).toMatchObject({
      asm: false,
      'memory-pool': true,
    });
  });

  it('pins the explicit threads to the CPUs of the --cpu-affinity mask, round robin, as XMRig does', () => {
    const cpu = buildXmrigConfig(ctx({ threads: 3, cliArgs: '--cpu-affinity=0x5' })).cpu;
    // 0x5 = CPUs 0 and 2; three threads cycle through them.
    expect(cpu['*']).toEqual([0, 2, 0]);
    expect(cpu.rx).toEqual([0, 2, 0]);
    // A later throttle to automatic threads drops the mask with the profile instead of failing the restart.
    expect(buildXmrigConfig(ctx({ threads: 0, cliArgs: '--cpu-affinity=0x5' })).cpu).not.toHaveProperty('*');
  });

  it("writes pool options into the profile's pool, and the global ones at the top", () => {
    const json = buildXmrigConfig(
      ctx({
        cliArgs: `--nicehash --rig-id=rig1 --tls-fingerprint=${FP} -r 3 -R 7 --print-time=5 --health-print-time=0 --no-dmi --verbose --dns-ipv6 --dns-ttl=60`,
      }),
    );
    expect(json.pools[0]).toMatchObject({
      url: 'pool.example.com:3333',
      nicehash: true,
      'rig-id': 'rig1',
      'tls-fingerprint': FP,
    });
    expect(json).toMatchObject({
      retries: 3,
      'retry-pause': 7,
      'print-time': 5,
      'health-print-time': 0,
      dmi: false,
      verbose: 1,
      dns: { ip_version: 6, ttl: 60 },
    });
  });

  it('keeps the options in the live rewrite a throttle makes', () => {
    const plan = xmrigAdapter.planThrottle(ctx({ cliArgs: '--randomx-mode=light' }), { cpuPriority: 2 });
    expect(plan.mode).toBe('live');
    const json = JSON.parse(plan.files[0]?.content ?? '{}') as Record<string, unknown>;
    expect(json).toMatchObject({ randomx: { mode: 'light' }, cpu: { priority: 2 } });
  });

  it('refuses to build a config from refused arguments', () => {
    expect(() => buildXmrigConfig(ctx({ cliArgs: '--verbose --conf=/x' }))).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        details: [{ path: 'config.cliArgs', message: expect.stringContaining('"--conf" is --config') }],
      }),
    );
  });
});
