// Issue 9 items 1-2 end to end: an app process running a real manager with pid files is SIGKILLed while
// its fake XMRig (which forked a child into its process group) runs; the next start's sweep must leave no
// process of that group alive, whether the leader still runs or died first, and remove the API token.
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

/** Kills a pid only while it is still the process we saw (same start time): pids get reused. */
async function killIfSame(pid: number, startTime: string | undefined): Promise<void> {
  const now = await processIdentity(pid);
  if (now && startTime && now.startTime === startTime) process.kill(pid, 'SIGKILL');
}

async function runApp(): Promise<{
  dir: string;
  workRoot: string;
  pid: number;
  child: number;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'hashdeck-orphan-app-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const binary = join(dir, 'bin', 'xmrig-forking.mjs');
  await mkdir(dirname(binary), { recursive: true });
  const env = { ...BASE_ENV, FAKE_SPAWN_CHILD: '1', FAKE_CHILD_MAX_MS: '60000' };
  await writeFile(
    binary,
    [
      "for (const k of Object.keys(process.env)) if (k.startsWith('FAKE_')) delete process.env[k];",
      `Object.assign(process.env, ${JSON.stringify(env)});`,
      `await import(${JSON.stringify(pathToFileURL(FAKE_XMRIG).href)});`,
    ].join('\n'),
  );
  const workRoot = join(dir, 'work');
  const app = spawn(process.execPath, ['--import', 'tsx', APP, workRoot, join(dir, 'miners'), binary], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  app.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const started = await new Promise<{ pid: number; child: number }>((resolveLine, reject) => {
    let out = '';
    app.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolveLine(JSON.parse(line) as { pid: number; child: number });
    });
    app.once('exit', (code) =>
      reject(new Error(`the app exited (${code}) before starting its miner: ${err}`)),
    );
  });
  // Whatever happens in the test, nothing it started may outlive it.
  const [leaderId, childId] = await Promise.all([
    processIdentity(started.pid),
    processIdentity(started.child),
  ]);
  cleanups.push(async () => {
    if (app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    await killIfSame(started.pid, leaderId?.startTime);
    await killIfSame(started.child, childId?.startTime);
  });
  expect(leaderId?.pgid).toBe(started.pid); // the miner leads its own group...
  expect(childId?.pgid).toBe(started.pid); // ...and its child is in it
  const appGone = new Promise((r) => app.once('exit', r));
  app.kill('SIGKILL'); // the app dies hard: no shutdown, no cleanup
  await appGone;
  return { dir, workRoot, pid: started.pid, child: started.child };
}

describe.runIf(process.platform === 'linux')(
  'orphan sweep after the app was SIGKILLed',
  { timeout: 30_000 },
  () => {
    it('stops the forking miner and its child, and removes the pid file and the token', async () => {
      const { workRoot, pid, child } = await runApp();
      const minerDir = join(workRoot, 'orphan');
      expect(existsSync(join(minerDir, PID_FILE))).toBe(true);
      expect(existsSync(join(minerDir, CONFIG_FILE))).toBe(true);
      expect(isAlive(child)).toBe(true);

      const outcomes = await sweepWorkDirs(workRoot);
      expect(outcomes).toHaveLength(1);
      // the leader may or may not have outlived its parent (stdout to a dead pipe); either way, all goes
      expect(['killed', 'killed-group']).toContain(outcomes[0]!.result);
      expect(outcomes[0]!.survivors).toEqual([]);
      await waitFor(() => !isAlive(pid) && !isAlive(child), 'the miner and its child to die', 3000);
      expect(await groupMembers(pid)).toEqual([]);
      expect(existsSync(join(minerDir, PID_FILE)) || existsSync(join(minerDir, CONFIG_FILE))).toBe(false);
    });

    it('stops the child that lives on in the group after the miner leader died', async () => {
      const { workRoot, pid, child } = await runApp();
      if (isAlive(pid)) process.kill(pid, 'SIGKILL'); // the leader dies too; only its child is left
      await waitFor(() => !isAlive(pid), 'the leader to die', 3000);
      expect(isAlive(child)).toBe(true);

      const outcomes = await sweepWorkDirs(workRoot);
      expect(outcomes.map((o) => [o.result, o.survivors])).toEqual([['killed-group', []]]);
      await waitFor(() => !isAlive(child), 'the child to die', 3000);
      expect(await groupMembers(pid)).toEqual([]);
    });
  },
);
