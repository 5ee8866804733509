// The headless command line: every refusal is a clear usage error before anything starts, and a first
// word dispatches to a subcommand module.
import { describe, expect, it, vi } from 'vitest';
import { parseServeArgs, UsageError } from '../../src/main/headless/serve-options';
import { runCli, usage } from '../../src/main/headless/run-cli';

const LONG = 'x'.repeat(40);
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseServeArgs(argv, env);

describe('parseServeArgs', () => {
  it('defaults to loopback, a random token and no TLS', () => {
    expect(parse([])).toMatchObject({
      host: '127.0.0.1',
      port: 17380,
      token: null,
      tls: null,
      insecureHttp: false,
      allowHosts: [],
    });
    expect(parse([], { HASHDECK_TOKEN: '' }).token).toBeNull(); // empty means unset
    expect(parse([], { HASHDECK_TOKEN: LONG }).token).toBe(LONG);
  });

  it('refuses a HASHDECK_TOKEN shorter than 32 characters, naming the variable', () => {
    expect(() => parse([], { HASHDECK_TOKEN: 'x'.repeat(31) })).toThrow(
      new UsageError('HASHDECK_TOKEN: the access token must be at least 32 characters long (got 31)'),
    );
  });

  it('refuses plain HTTP beyond loopback and says how to serve HTTPS or accept the risk', () => {
    expect(() => parse(['--host', '0.0.0.0'])).toThrow(
      /--tls-cert FILE --tls-key FILE, or accept the risk with --insecure-http/,
    );
    expect(() => parse(['--host', '192.168.1.5'])).toThrow(UsageError);
    expect(parse(['--host', '0.0.0.0', '--insecure-http']).insecureHttp).toBe(true);
    expect(parse(['--host', '::', '--tls-cert', 'c.pem', '--tls-key', 'k.pem']).tls).toEqual({
      certFile: 'c.pem',
      keyFile: 'k.pem',
    });
    expect(parse(['--host', 'localhost']).host).toBe('localhost');
  });

  it('wants both TLS files and not --insecure-http with them', () => {
    expect(() => parse(['--tls-cert', 'c.pem'])).toThrow(/go together/);
    expect(() => parse(['--tls-key', 'k.pem'])).toThrow(/go together/);
    expect(() => parse(['--tls-cert', 'c', '--tls-key', 'k', '--insecure-http'])).toThrow(/contradict/);
  });

  it('collects repeated --allow-host names and refuses what is not a name', () => {
    expect(parse(['--allow-host', 'rig.lan', '--allow-host', '192.168.1.5']).allowHosts).toEqual([
      'rig.lan',
      '192.168.1.5',
    ]);
    expect(() => parse(['--allow-host', 'http://rig.lan'])).toThrow(/not a host name/);
    expect(() => parse(['--allow-host', '0.0.0.0'])).toThrow(/wildcard/);
  });

  it('refuses bad ports and unknown options', () => {
    expect(() => parse(['--port', '65536'])).toThrow(/--port must be 0-65535/);
    expect(() => parse(['--port', '12ab'])).toThrow(/--port/);
    expect(() => parse(['--prot', '1'])).toThrow(UsageError);
  });
});

describe('runCli', () => {
  it('dispatches a first word to its subcommand with the remaining arguments', async () => {
    const run = vi.fn((argv: string[]) => Promise.resolve(argv.length));
    const code = await runCli(['trust', 'add', '/opt/xmrig'], {
      trust: { summary: 'trusted binaries', run },
    });
    expect(run).toHaveBeenCalledWith(['add', '/opt/xmrig']);
    expect(code).toBe(2);
  });

  it('refuses an unknown word and lists the commands', async () => {
    const subs = { trust: { summary: 'trusted binaries', run: () => Promise.resolve(0) } };
    await expect(runCli(['frobnicate'], subs)).rejects.toThrow(
      /unknown command "frobnicate"[\s\S]*trust {2,}trusted binaries/,
    );
    await expect(runCli(['toString'], {})).rejects.toThrow(/unknown command "toString"/);
    expect(usage(subs)).toContain('Commands:');
  });
});
