// The miner's environment: only what programs need to run (and the GPU driver knobs) passes; the app's
// own secrets never do, and the adapter's variables win over inherited ones.
import { describe, expect, it } from 'vitest';
import { isAllowedMinerVariable, minerEnvironment } from './miner-env';

describe('minerEnvironment', () => {
  it('passes the run-time basics of every platform, by exact name', () => {
    const names = [
      'PATH',
      'Path',
      'HOME',
      'USERPROFILE',
      'SystemRoot',
      'SYSTEMROOT',
      'windir',
      'TEMP',
      'TMP',
      'TMPDIR',
      'LANG',
      'LANGUAGE',
      'TZ',
      'LD_LIBRARY_PATH',
      'DYLD_LIBRARY_PATH',
    ];
    for (const name of names) expect(isAllowedMinerVariable(name), name).toBe(true);
    // Exact names only: a longer name or another case is not the same variable.
    for (const name of ['PATHEXT', 'HOMEDRIVE', 'path', 'XPATH', 'TEMPLATE', 'LANG_X'])
      expect(isAllowedMinerVariable(name), name).toBe(false);
  });

  it('passes the locale and the NVIDIA / OpenCL driver families by prefix, at the start only', () => {
    for (const name of [
      'LC_ALL',
      'CUDA_VISIBLE_DEVICES',
      'NVIDIA_DRIVER_CAPABILITIES',
      'GPU_MAX_HEAP_SIZE',
      '__GL_THREADED_OPTIMIZATIONS',
    ])
      expect(isAllowedMinerVariable(name), name).toBe(true);
    for (const name of ['MY_CUDA_PATH', 'XLC_ALL', 'LC', 'CUDA', 'GPU', '_GL_X', 'gpu_x'])
      expect(isAllowedMinerVariable(name), name).toBe(false);
  });

  it('keeps secrets and everything else out, drops unset values, and lets the adapter add its own', () => {
    const env = minerEnvironment(
      { PATH: '/usr/bin', HASHDECK_TOKEN: 'secret', AWS_SECRET_ACCESS_KEY: 'k', LC_ALL: 'C', TZ: undefined },
      { GPU_FORCE_64BIT_PTR: '1', PATH: '/opt/miner' },
    );
    // toStrictEqual: an unset variable must not even be present as a key (undefined).
    expect(env).toStrictEqual({ PATH: '/opt/miner', LC_ALL: 'C', GPU_FORCE_64BIT_PTR: '1' });
  });

  it('an adapter variable passes even when it is not on the list', () => {
    expect(minerEnvironment({ HOME: '/h' }, { XMRIG_X: 'y' })).toEqual({ HOME: '/h', XMRIG_X: 'y' });
    expect(minerEnvironment({ HOME: '/h' })).toEqual({ HOME: '/h' });
  });

  it('reads the process environment by default, minus its secrets', () => {
    const env = minerEnvironment();
    expect(env.PATH).toBe(process.env.PATH);
    for (const name of Object.keys(env)) expect(isAllowedMinerVariable(name), name).toBe(true);
  });
});
