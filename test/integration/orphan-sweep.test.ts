// Issue 9 items 1-2 end to end: an app process running a real manager with pid files is SIGKILLed while
// two fake XMRigs (each forked a child into its own process group) run. One leader is then killed as
// well, so only its child lives on. The next start's sweep must leave no process of either group alive
// and remove the pid files and the API tokens. (One app for both cases: starting it is the slow part.)
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CONFIG_FILE,
  PID_FILE,
  groupMembers,
  processIdentity,
  sweepWorkDirs,
} from '../../src/main/core/orphans';
import { BASE_ENV, FAKE_XMRIG, isAlive, waitFor } from './helpers';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const APP = join(ROOT, 'test/integration/orphan-app.ts');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

type Miners = Record<string, { pid: number; child: number }>;

/** Kills a pid only while it is still the process we saw (same start time): pids get reused. */
async function killIfSame(pid: number, startTime: string | undefined): Promise<void> {
  const now = await processIdentity(pid);
  if (now && startTime && now.startTime === startTime) process.kill(pid, 'SIGKILL');
}

/** Starts the app with the named miners, waits for them, then SIGKILLs the app. */
async function runAndKillApp(names: string[]): Promise<{ workRoot: string; miners: Miners }> {
  const dir = await mkdtemp(join(tmpdir(), 'hashdeck-orphan-app-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const binary = join(dir, 'bin', 'xmrig-forking.mjs');
  await mkdir(dirname(binary), { recursive: true });
  const env = { ...BASE_ENV, FAKE_SPAWN_CHILD: '1', FAKE_CHILD_MAX_MS: '120000' };
  await writeFile(
    binary,
    [
      '#!/usr/bin/env node',
      "for (const k of Object.keys(process.env)) if (k.startsWith('FAKE_')) delete process.env[k];",
      `Object.assign(process.env, ${JSON.stringify(env)});`,
      `await import(${JSON.stringify(pathToFileURL(FAKE_XMRIG).href)});`,
    ].join('\n'),
    // Only executables run (no interpreter fallback), exactly like a trusted miner.
    { mode: 0o755 },
  );
  const workRoot = join(dir, 'work');
  const app = spawn(
    process.execPath,
    ['--import', 'tsx', APP, workRoot, join(dir, 'miners'), binary, ...names],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanups.push(async () => {
    if (app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
  });
  let err = '';
  app.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const miners = await new Promise<Miners>((resolveLine, reject) => {
    let out = '';
    app.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolveLine(JSON.parse(line) as Miners);
    });
    app.once('exit', (code) =>
      reject(new Error(`the app exited (${code}) before starting its miners: ${err}`)),
    );
  });
  // Whatever happens in the test, nothing it started may outlive it.
  for (const { pid, child } of Object.values(miners)) {
    const [leaderId, childId] = await Promise.all([processIdentity(pid), processIdentity(child)]);
    expect(leaderId?.pgid).toBe(pid); // the miner leads its own group...
    expect(childId?.pgid).toBe(pid); // ...and its child is in it
    cleanups.push(async () => {
      await killIfSame(pid, leaderId?.startTime);
      await killIfSame(child, childId?.startTime);
    });
  }
  const appGone = new Promise((r) => app.once('exit', r));
  app.kill('SIGKILL'); // the app dies hard: no shutdown, no cleanup
  await appGone;
  return { workRoot, miners };
}

describe.runIf(process.platform === 'linux')('orphan sweep after the app was SIGKILLed', () => {
  it('stops both groups: a miner that outlived the app, and the child of a leader that died too', async () => {
    const { workRoot, miners } = await runAndKillApp(['alive', 'dead']);
    for (const id of ['alive', 'dead']) {
      expect(existsSync(join(workRoot, id, PID_FILE)), id).toBe(true);
      expect(existsSync(join(workRoot, id, CONFIG_FILE)), id).toBe(true);
    }
    const dead = miners.dead!;
    if (isAlive(dead.pid)) process.kill(dead.pid, 'SIGKILL'); // only the leader: its child stays in the group
    await waitFor(() => !isAlive(dead.pid), 'the leader of "dead" to die', 10_000);
    expect(isAlive(dead.child)).toBe(true);

    const outcomes = await sweepWorkDirs(workRoot);
    const byId = Object.fromEntries(outcomes.map((o) => [o.dir.split(/[\\/]/).pop(), o]));
    // "alive" may or may not have outlived its parent (stdout to a dead pipe): either way, all goes
    expect(['killed', 'killed-group']).toContain(byId.alive!.result);
    expect(byId.dead!.result).toBe('killed-group');
    for (const { pid, child } of Object.values(miners)) {
      await waitFor(() => !isAlive(pid) && !isAlive(child), `group ${pid} to be gone`, 10_000);
      expect(await groupMembers(pid)).toEqual([]);
    }
    expect(outcomes.every((o) => o.survivors.length === 0)).toBe(true);
    for (const id of ['alive', 'dead']) {
      expect(existsSync(join(workRoot, id, PID_FILE)) || existsSync(join(workRoot, id, CONFIG_FILE))).toBe(
        false,
      );
    }
  }, 120_000);
});
