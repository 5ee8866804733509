// Spawns a miner as a real child process with execa (spawning only: the watchdog supervises): argument
// arrays only (never a shell), stdin piped for console keys, stdout/stderr split into capped lines, the
// exit recorded once the whole process group is gone, the tree killed on request.
import { mkdir } from 'node:fs/promises';
import { execa } from 'execa';
import { MinerError } from '../../shared/errors';
import type { ExitInfo } from '../../shared/model';
import type { LineStream, MinerProcess, SpawnRequest, Spawner } from './process';
import { LineSplitter } from './util/lines';
import { minerEnvironment } from './util/miner-env';
import { findTagged, liveGroupMembers, newSpawnTag, TAG_VARIABLE } from './util/escapees';
import { killTree, reapGroup, terminateTree } from './util/kill-tree';

const isWindows = process.platform === 'win32';

const REAP_DEADLINE_MS = 2000;

async function waitGone(check: () => Promise<number[]>, deadlineMs: number): Promise<number[]> {
  const end = Date.now() + deadlineMs;
  let left = await check();
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    left = await check();
  }
  return left;
}

/**
 * After the leader exited: kill what is left in its group, then whatever carries its spawn tag outside
 * the group (a daemonised miner), and wait until none of them lives. Returns the pids found outside.
 */
async function reapEverything(pid: number, tag: string): Promise<number[]> {
  if (isWindows) return [];
  reapGroup(pid);
  await waitGone(() => liveGroupMembers(pid), REAP_DEADLINE_MS);
  const strays = await findTagged(tag);
  for (const stray of strays) {
    try {
      process.kill(stray, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  if (strays.length > 0)
    await waitGone(async () => (await findTagged(tag)).filter((p) => strays.includes(p)), REAP_DEADLINE_MS);
  return strays;
}

export const spawnMiner: Spawner = async (req: SpawnRequest): Promise<MinerProcess> => {
  // Adapters without files to write (TT-Miner) get no work dir otherwise, and a missing cwd fails as ENOENT.
  await mkdir(req.cwd, { recursive: true, mode: 0o700 });
  const tag = newSpawnTag();
  const child = execa(req.command, req.args, {
    cwd: req.cwd,
    // Only an allow-list of the app's environment: never HASHDECK_TOKEN or other secrets of ours.
    // The tag lets us find descendants that leave the process group (see util/escapees.ts).
    env: { ...minerEnvironment(process.env, req.env), [TAG_VARIABLE]: tag },
    extendEnv: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    encoding: 'utf8',
    windowsHide: true,
    // A process-group leader on POSIX, so the whole tree can be signalled at once.
    detached: !isWindows,
    // We kill the tree ourselves on stop and shutdown; execa's exit hook only knows the direct child.
    cleanup: !isWindows ? false : true,
    // Stryker disable next-line BooleanLiteral: equivalent, it only applies to child.kill(), which is never called (see kill-tree.ts)
    forceKillAfterDelay: false,
  });

  const spawnFailed = (code: string | undefined, message: string) =>
    new MinerError(
      'SPAWN_FAILED',
      code === 'ENOENT'
        ? `Cannot start ${req.command}: file not found`
        : code === 'EACCES'
          ? `Cannot start ${req.command}: permission denied (is it executable?)`
          : `Cannot start ${req.command}: ${message}`,
      { command: req.command, args: req.args, errno: code ?? null },
    );
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (err: NodeJS.ErrnoException) => reject(spawnFailed(err.code, err.message)));
    // Node throws some spawn failures synchronously (ENOTDIR, EINVAL...): execa then emits neither event
    // and only settles its result, so without this the start would wait forever.
    // Once 'spawn' resolved this promise, the reject of a later (normal) exit is a no-op.
    void child.then((result) => reject(spawnFailed(result.code, String(result.message))));
  });
  // The exit promise also swallows the spawn error above once we have reported it.
  const pid = child.pid ?? null;

  let listener: (stream: LineStream, text: string) => void = () => {};
  const splitters = {
    stdout: new LineSplitter((l) => listener('stdout', l)),
    stderr: new LineSplitter((l) => listener('stderr', l)),
  };
  child.stdout.on('data', (chunk: string) => splitters.stdout.write(chunk));
  child.stderr.on('data', (chunk: string) => splitters.stderr.write(chunk));
  // A miner that exits while we write to it must not crash us with EPIPE.
  child.stdin.on('error', () => {});

  const exited: Promise<ExitInfo> = child.then(
    async (result) => {
      splitters.stdout.end();
      splitters.stderr.end();
      const exit: ExitInfo = {
        code: typeof result.exitCode === 'number' ? result.exitCode : null,
        signal: result.signal ?? null,
        at: Date.now(),
      };
      // Stryker disable next-line ConditionalExpression: equivalent, a spawned child (the 'spawn' event) always has a pid
      if (pid !== null) {
        const strays = await reapEverything(pid, tag);
        if (strays.length > 0) exit.strays = strays;
      }
      return exit;
    },
    // Stryker disable next-line ArrowFunction,ObjectLiteral: equivalent, with reject: false execa's result never rejects
    () => ({ code: null, signal: null, at: Date.now() }),
  );

  return {
    pid,
    exited,
    onLine(fn) {
      listener = fn;
    },
    write(data, timeoutMs = 2000) {
      const stdin = child.stdin;
      // A destroyed or ended pipe is not writable.
      if (!stdin || !stdin.writable) {
        return Promise.reject(new MinerError('INVALID_STATE', 'The miner is not accepting console input'));
      }
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new MinerError('TIMEOUT', `Console write did not complete within ${timeoutMs} ms`)),
          timeoutMs,
        );
        stdin.write(data, (err) => {
          clearTimeout(timer);
          if (err) reject(new MinerError('INVALID_STATE', `Console write failed: ${err.message}`));
          else resolve();
        });
      });
    },
    terminate() {
      // Stryker disable next-line ConditionalExpression: equivalent, a spawned child (the 'spawn' event) always has a pid
      if (pid !== null) terminateTree(pid);
    },
    async killTree() {
      // Stryker disable next-line ConditionalExpression: equivalent, a spawned child (the 'spawn' event) always has a pid
      if (pid !== null) await killTree(pid);
    },
  };
};
