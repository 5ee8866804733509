// The generated XMRig config: loopback API with the per-start token, watched file without autosave,
// pool fields, coin vs algo, CPU knobs and the explicit-threads profile.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { minerConfigObject, poolUrlSchema } from '../../../../shared/schemas';
import type { MinerConfigInput } from '../../../../shared/schemas';
import type { LaunchContext } from '../adapter';
import { buildXmrigConfig, xmrigConfigFile } from './config';

function ctx(config: MinerConfigInput = {}): LaunchContext {
  return {
    id: 'm1',
    generation: 3,
    config: minerConfigObject.parse({
      pool: 'stratum+tcp://pool.example.com:3333',
      wallet: '4Abc',
      ...config,
    }),
    workDir: path.join('/tmp', 'work', 'm1'),
    binaryPath: '/opt/xmrig/xmrig',
    apiPort: 18461,
    apiToken: 'tok-123',
  };
}

describe('buildXmrigConfig', () => {
  it('binds a non-restricted API to loopback with the fresh token', () => {
    expect(buildXmrigConfig(ctx()).http).toEqual({
      enabled: true,
      host: '127.0.0.1',
      port: 18461,
      'access-token': 'tok-123',
      restricted: false,
    });
  });

  it('watches its file without autosave and never backgrounds or colours', () => {
    const c = buildXmrigConfig(ctx());
    expect(c.watch).toBe(true);
    expect(c.autosave).toBe(false);
    expect(c.background).toBe(false);
    expect(c.colors).toBe(false);
    expect(c['print-time']).toBe(10);
    expect(c['log-file']).toBeNull();
  });

  it('sets both donation levels from donateLevel', () => {
    const c = buildXmrigConfig(ctx({ donateLevel: 5 }));
    expect(c['donate-level']).toBe(5);
    expect(c['donate-over-proxy']).toBe(5);
  });

  it('writes the pool with wallet, password, tls and keepalive', () => {
    expect(buildXmrigConfig(ctx({ password: 'rig1', tls: true, keepalive: false })).pools).toEqual([
      {
        url: 'stratum+tcp://pool.example.com:3333',
        user: '4Abc',
        pass: 'rig1',
        tls: true,
        keepalive: false,
        coin: null,
        algo: null,
        enabled: true,
      },
    ]);
  });

  it('prefers coin over algo, else algo, else neither', () => {
    expect(buildXmrigConfig(ctx({ coin: 'monero', algo: 'rx/0' })).pools[0]).toMatchObject({
      coin: 'monero',
      algo: null,
    });
    expect(buildXmrigConfig(ctx({ algo: 'rx/0' })).pools[0]).toMatchObject({ coin: null, algo: 'rx/0' });
    expect(buildXmrigConfig(ctx()).pools[0]).toMatchObject({ coin: null, algo: null });
  });

  it('rewrites schemes XMRig does not know to host:port + tls', () => {
    expect(buildXmrigConfig(ctx({ pool: 'ssl://pool.example.com:443' })).pools[0]).toMatchObject({
      url: 'pool.example.com:443',
      tls: true,
    });
    expect(buildXmrigConfig(ctx({ pool: 'stratum+ssl://pool.example.com:443' })).pools[0]).toMatchObject({
      url: 'stratum+ssl://pool.example.com:443',
      tls: true,
    });
    expect(buildXmrigConfig(ctx({ pool: 'pool.example.com:3333' })).pools[0]?.url).toBe(
      'pool.example.com:3333',
    );
  });

  it.each([
    ['stratum+tcp', 'stratum+tcp://pool.example.com:3333', false],
    ['stratum+ssl', 'stratum+ssl://pool.example.com:3333', true],
    ['stratum+tls', 'pool.example.com:3333', true],
    ['stratum1+tcp', 'pool.example.com:3333', false],
    ['stratum2+tcp', 'pool.example.com:3333', false],
    ['stratum1+ssl', 'pool.example.com:3333', true],
    ['stratum2+ssl', 'pool.example.com:3333', true],
    ['ssl', 'pool.example.com:3333', true],
    ['tcp', 'pool.example.com:3333', false],
  ])('turns every scheme a profile may carry (%s://) into a url XMRig 6 reads', (scheme, url, tls) => {
    const pool = `${scheme}://pool.example.com:3333`;
    expect(poolUrlSchema.safeParse(pool).success).toBe(true);
    expect(buildXmrigConfig(ctx({ pool })).pools[0]).toMatchObject({ url, tls });
    // an explicit TLS flag is kept whatever the scheme says
    expect(buildXmrigConfig(ctx({ pool, tls: true })).pools[0]?.tls).toBe(true);
  });

  it('hands a pool it cannot read to XMRig unchanged rather than half-rewritten', () => {
    // Profiles are validated before launch; this is the adapter not making a bad value worse.
    const pool = 'pool.example.com:3333/ssl://other.example.com:443';
    expect(poolUrlSchema.safeParse(pool).success).toBe(false);
    expect(buildXmrigConfig(ctx({ pool })).pools[0]).toMatchObject({ url: pool, tls: false });
  });

  it('passes the CPU knobs and leaves thread choice to the hint when threads is 0', () => {
    const cpu = buildXmrigConfig(
      ctx({ cpuMaxThreadsHint: 50, cpuPriority: 0, cpuYield: false, hugePages: false }),
    ).cpu;
    expect(cpu).toEqual({
      enabled: true,
      'huge-pages': false,
      priority: 0,
      yield: false,
      'max-threads-hint': 50,
    });
    expect(buildXmrigConfig(ctx()).cpu.priority).toBeNull();
  });

  it('expresses threads > 0 as the cpu.rx array the real binary reloads live ([-1] = one thread, any core)', () => {
    // the shape of watch_threads_rx_array_config.json
    const real = JSON.parse(
      readFileSync(
        new URL('../../../../../test/data/xmrig-6.26.0/watch_threads_rx_array_config.json', import.meta.url),
        'utf8',
      ),
    ) as { cpu: { rx: number[] } };
    expect(buildXmrigConfig(ctx({ threads: 1 })).cpu.rx).toEqual(real.cpu.rx);
    const cpu = buildXmrigConfig(ctx({ threads: 2 })).cpu;
    expect(cpu.rx).toEqual([-1, -1]);
    // any other algorithm the pool may switch to gets the same count
    expect(cpu['*']).toEqual([-1, -1]);
    expect(buildXmrigConfig(ctx({ threads: 3, algo: 'cn/r' })).cpu).toMatchObject({
      cn: [-1, -1, -1],
      '*': [-1, -1, -1],
    });
    expect(buildXmrigConfig(ctx({ threads: 0 })).cpu).not.toHaveProperty('rx');
  });
});

describe('xmrigConfigFile', () => {
  it('targets <workDir>/config.json with parseable JSON', () => {
    const file = xmrigConfigFile(ctx());
    expect(file.path).toBe(path.join('/tmp', 'work', 'm1', 'config.json'));
    expect(JSON.parse(file.content)).toEqual(buildXmrigConfig(ctx()));
  });
});
