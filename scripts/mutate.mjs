#!/usr/bin/env node
// `npm run mutate [-- stryker args]`: runs Stryker at low CPU priority (the machine is shared), times it,
// then prints the per-folder scores and writes them to bench/results/mutation.json.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSummary } from './mutation-summary.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const stryker = resolve(ROOT, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const niceness = process.env.MUTATE_NICE ?? '15';
const useNice = process.platform !== 'win32' && existsSync('/usr/bin/nice') && niceness !== '0';
const [command, commandArgs] = useNice
  ? ['/usr/bin/nice', ['-n', niceness, process.execPath, stryker, 'run', ...args]]
  : [process.execPath, [stryker, 'run', ...args]];

const started = Date.now();
const child = spawn(command, commandArgs, { cwd: ROOT, stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', async (code, signal) => {
  const durationMs = Date.now() - started;
  if (code !== 0) {
    console.error(`mutate: stryker ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
    process.exitCode = code ?? 1;
    return;
  }
  try {
    await writeSummary({ durationMs, args });
  } catch (err) {
    console.error(`mutate: no summary: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
});
