// Runs the real headless entry point (src/main/headless/cli.ts through tsx, no build needed) as a child
// process, optionally under a lower open-file limit, and hands back its URL, token and output.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRY = join(ROOT, 'src/main/headless/cli.ts');

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the printed "Open:" URL, or rejects with the output when the process exits first. */
  ready: Promise<URL>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface CliOptions {
  args?: string[];
  env?: Record<string, string>;
  /** RLIMIT_NOFILE for the server process (POSIX shells only). */
  maxOpenFiles?: number;
}

export async function runHeadlessCli(opts: CliOptions = {}): Promise<CliRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hashdeck-sec-cli-'));
  const argv = [
    process.execPath,
    '--import',
    'tsx',
    ENTRY,
    '--port',
    '0',
    '--data-dir',
    dataDir,
    ...(opts.args ?? []),
  ];
  const [command, args] =
    opts.maxOpenFiles === undefined
      ? [argv[0]!, argv.slice(1)]
      : ['/bin/sh', ['-c', `ulimit -n ${opts.maxOpenFiles} && exec "$@"`, 'sh', ...argv]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, HASHDECK_TOKEN: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = new Promise<URL>((resolveUrl, reject) => {
    const check = () => {
      const m = /Open: (https?:\/\/\S+)/.exec(out);
      if (m?.[1]) resolveUrl(new URL(m[1]));
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`headless exited with ${code}:\n${out}`)));
  });
  ready.catch(() => undefined); // callers that expect an exit never await it
  return {
    child,
    output: () => out,
    ready,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
