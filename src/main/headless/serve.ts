// The headless server command: the mining service without Electron, serving the UI and the HTTP API,
// printing a URL with the access token (like Jupyter). Ctrl+C stops every miner before exiting.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMiningService } from '../service/mining-service';
import { resolveInstallSource } from '../service/install-source';
import { defaultDataDir } from '../core/store/paths';
import { randomToken } from '../core/util/net';
import { hostHeaderName, isLoopback } from './auth';
import { parseServeArgs, SERVE_USAGE, UsageError, type ServeOptions } from './serve-options';
import { startHeadlessServer } from './server';

function findStaticDir(explicit: string | undefined): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = explicit ? [resolve(explicit)] : [join(here, '../renderer'), resolve('out/renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

async function readTls(tls: NonNullable<ServeOptions['tls']>): Promise<{ cert: Buffer; key: Buffer }> {
  const read = (flag: string, file: string) =>
    readFile(file).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${flag} ${file}: ${err.code ?? err.message}`);
    });
  return { cert: await read('--tls-cert', tls.certFile), key: await read('--tls-key', tls.keyFile) };
}

function exposureWarning(opts: ServeOptions, scheme: string): string {
  const transport =
    scheme === 'https:'
      ? 'over HTTPS'
      : 'over plain HTTP (--insecure-http): anyone on the network path can read the token and session cookies';
  return (
    `warning: listening on ${opts.host} ${transport}. Other machines can reach this server. ` +
    'The access token is as good as a shell on this machine: whoever holds it controls the miners HashDeck ' +
    'runs as your user. Keep it secret.'
  );
}

/** Starts the server; resolves once it listens (the process then lives until a signal). */
export async function serve(argv: string[]): Promise<void> {
  const opts = parseServeArgs(argv, process.env);
  if (opts.help) {
    console.log(SERVE_USAGE);
    return;
  }
  const tls = opts.tls ? await readTls(opts.tls) : null;
  const dataDir = resolve(opts.dataDir ?? defaultDataDir());
  const token = opts.token ?? randomToken();
  const staticDir = findStaticDir(opts.staticDir);

  // Checked before anything listens: a bad --xmrig-* flag or key file is a start-up error.
  const source = await resolveInstallSource(opts.install, process.env);
  const service = await createMiningService({ dataDir, minersDir: opts.minersDir, install: { source } });
  for (const notice of service.startupNotices) console.warn(`warning: ${notice}`);
  const server = await startHeadlessServer({
    service,
    host: opts.host,
    port: opts.port,
    token,
    staticDir,
    tls,
    insecureHttp: opts.insecureHttp,
    allowHosts: opts.allowHosts,
    // A restart with the same token (HASHDECK_TOKEN) keeps open browsers signed in.
    sessionFile: join(dataDir, 'headless-sessions.json'),
  }).catch(async (err: NodeJS.ErrnoException) => {
    await service.shutdown();
    if (err.code === 'EADDRINUSE')
      throw new UsageError(`Port ${opts.port} on ${opts.host} is already in use; pick another with --port`);
    throw err;
  });
  service.manager.startCollector();

  const scheme = server.secure ? 'https:' : 'http:';
  if (!isLoopback(opts.host)) {
    console.warn(exposureWarning(opts, scheme));
    console.warn(
      `Host names accepted: ${[...new Set([...server.allowedHosts].map((h) => h.replace(/:\d+$/, '')))].join(', ')}`,
    );
  }
  if (!staticDir)
    console.warn('warning: the UI is not built (run `npm run build`); the HTTP API works without it.');
  const query = `?token=${encodeURIComponent(token)}`;
  console.log(`HashDeck headless is running. Data folder: ${dataDir}`);
  console.log(`Open: ${server.url}${query}`);
  for (const name of opts.allowHosts)
    console.log(`  or: ${scheme}//${hostHeaderName(name)}:${server.port}/${query}`);
  console.log(`API:  curl -H 'Authorization: Bearer ${token}' -X POST ${server.url}api/getSnapshot`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping every miner...`);
    await service.shutdown();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Whatever ends the process, no miner outlives it (and every session dies with it: they live in memory).
  process.on('exit', () => service.manager.killAllSync());
}
