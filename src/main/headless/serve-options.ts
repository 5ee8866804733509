// The headless server's command line and environment, parsed and checked without side effects, so every
// refusal (short token, plain HTTP beyond loopback, a bad --allow-host) has a clear message and a test.
import { parseArgs } from 'node:util';
import type { InstallSourceOverrides } from '../service/install-source';
import { tokenProblem } from './auth';
import { INSTALL_FLAGS_USAGE, INSTALL_FLAG_OPTIONS, installOverrides } from './install-flags';
import { headlessOptionsProblem } from './server';

export class UsageError extends Error {}

export const SERVE_USAGE = `Usage: npm run headless -- [options]
  --port N            port to listen on (default 17380; 0 picks a free one)
  --host H            address to bind (default 127.0.0.1). Anything but loopback lets other machines
                      connect and needs --tls-cert/--tls-key (HTTPS) or --insecure-http
  --tls-cert FILE     PEM certificate (chain) to serve HTTPS with; needs --tls-key
  --tls-key FILE      PEM private key of that certificate
  --insecure-http     serve plain HTTP beyond loopback anyway: the token crosses the network readable
  --allow-host NAME   a host name browsers may use to reach this server (repeatable); loopback names
                      and a specific --host address are always allowed, a wildcard bind implies none
  --data-dir DIR      profiles, settings and miner work files (default: the platform config folder)
  --miners-dir DIR    where installed miners live (default: DATA-DIR/miners)
  --static DIR        the built renderer to serve (default: out/renderer)
  Where "Install XMRig" downloads from (local only; the API can never change it):
${INSTALL_FLAGS_USAGE}
  Token: random per run, or HASHDECK_TOKEN from the environment (at least 32 visible characters).`;

export interface ServeOptions {
  help: boolean;
  port: number;
  host: string;
  dataDir: string | undefined;
  minersDir: string | undefined;
  staticDir: string | undefined;
  tls: { certFile: string; keyFile: string } | null;
  insecureHttp: boolean;
  allowHosts: string[];
  /** From HASHDECK_TOKEN, or null for a random one. */
  token: string | null;
  /** --xmrig-* flags; the HASHDECK_XMRIG_* environment fills what they leave out. */
  install: InstallSourceOverrides;
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '17380' },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string' },
        'miners-dir': { type: 'string' },
        static: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'insecure-http': { type: 'boolean', default: false },
        'allow-host': { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
        ...INSTALL_FLAG_OPTIONS,
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535)
    throw new UsageError(`--port must be 0-65535, got "${values.port}"`);
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new UsageError('--tls-cert and --tls-key go together: give both files');
  const envToken = env.HASHDECK_TOKEN;
  const opts: ServeOptions = {
    help: values.help,
    port,
    host: values.host,
    dataDir: values['data-dir'],
    minersDir: values['miners-dir'],
    staticDir: values.static,
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : null,
    insecureHttp: values['insecure-http'],
    allowHosts: values['allow-host'],
    // An empty HASHDECK_TOKEN means "not set": a fresh random token.
    token: envToken ? envToken : null,
    install: installOverrides(values),
  };
  if (opts.help) return opts;
  const badToken = opts.token === null ? null : tokenProblem(opts.token);
  if (badToken) throw new UsageError(`HASHDECK_TOKEN: ${badToken}`);
  const problem = headlessOptionsProblem({
    host: opts.host,
    // The token was checked above; a random one always passes.
    token: opts.token ?? 'x'.repeat(64),
    tls: opts.tls ? { cert: '', key: '' } : null,
    insecureHttp: opts.insecureHttp,
    allowHosts: opts.allowHosts,
  });
  if (problem) throw new UsageError(problem);
  return opts;
}
