// `npm run headless`: the same service without Electron, serving the UI and the HTTP API on
// loopback, printing a URL with a random access token (like Jupyter). Ctrl+C stops every miner first.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMiningService } from '../service/mining-service';
import { defaultDataDir } from '../core/store/paths';
import { randomToken } from '../core/util/net';
import { isLoopback } from './auth';
import { startHeadlessServer } from './server';
import { runTrustCommand } from './trust-cli';

const USAGE = `Usage: npm run headless -- [--port N] [--host 127.0.0.1] [--data-dir DIR] [--miners-dir DIR] [--static DIR]
  --port N        port to listen on (default 17380; 0 picks a free one)
  --host H        address to bind (default 127.0.0.1; anything else is reachable from other machines)
  --data-dir DIR  profiles, settings and miner work files (default: the platform config folder)
  --static DIR    the built renderer to serve (default: out/renderer)
  Token: random per run, or HASHDECK_TOKEN from the environment.`;

function findStaticDir(explicit: string | undefined): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = explicit ? [resolve(explicit)] : [join(here, '../renderer'), resolve('out/renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

async function main(): Promise<void> {
  // `trust ...` manages the binaries HashDeck may run; it never starts the server.
  if (process.argv[2] === 'trust') {
    process.exitCode = await runTrustCommand(process.argv.slice(3));
    return;
  }
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '17380' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'miners-dir': { type: 'string' },
      static: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got "${values.port}"`);
  const host = values.host;
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const token = process.env.HASHDECK_TOKEN || randomToken();
  const staticDir = findStaticDir(values.static);

  const service = await createMiningService({ dataDir, minersDir: values['miners-dir'] });
  for (const notice of service.startupNotices) console.warn(`warning: ${notice}`);
  const server = await startHeadlessServer({ service, host, port, token, staticDir }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        throw new Error(`Port ${port} on ${host} is already in use; pick another with --port`);
      throw err;
    },
  );
  service.manager.startCollector();

  if (!isLoopback(host)) {
    console.warn(
      `warning: listening on ${host}: other machines can reach this server (the token is still required).`,
    );
  }
  if (!staticDir)
    console.warn('warning: the UI is not built (run `npm run build`); the HTTP API works without it.');
  console.log(`HashDeck headless is running. Data folder: ${dataDir}`);
  console.log(`Open: ${server.url}?token=${token}`);
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
  // Whatever ends the process, no miner outlives it.
  process.on('exit', () => service.manager.killAllSync());
}

main().catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
