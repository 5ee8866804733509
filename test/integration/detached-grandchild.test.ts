// A miner whose child left its process group (setsid, as a daemonising miner does): stop must still kill
// it, which a signal to the leader or to its group alone would not; so must a crash or a synchronous kill.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { grandchildPid, isAlive, makeHarness, waitFor, xmrigRequest, type Harness } from './helpers';

let h: Harness | null = null;
let grandchildren: number[] = [];

/** Process group of a live pid (field 5 of /proc/<pid>/stat). */
function pgidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** Kills a grandchild a failed or gap test left behind, only if it still runs the fake's grandchild code. */
function killLeftover(pid: number): void {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('setInterval(() => {}, 1000); setTimeout(() => process.exit(0)')) {
      process.kill(pid, 'SIGKILL');
    }
  } catch {
    // already gone
  }
}

afterEach(async () => {
  await h?.dispose();
  h = null;
  for (const pid of grandchildren) killLeftover(pid);
  grandchildren = [];
});

/** Starts a fake XMRig with a setsid'd grandchild and returns both pids once the grandchild is up. */
async function startWithDetachedChild(env: Record<string, string>) {
  h = await makeHarness();
  const bin = await h.fakeBinary('xmrig-daemonising', 'xmrig', {
    FAKE_SPAWN_CHILD: '1',
    FAKE_CHILD_DETACHED: '1',
    ...env,
  });
  const started = await h.manager.start(xmrigRequest('d', bin));
  await waitFor(() => grandchildPid(h!.manager, 'd') !== null, 'the child pid line', 5000);
  const child = grandchildPid(h.manager, 'd')!;
  grandchildren.push(child);
  expect(isAlive(child)).toBe(true);
  // The premise: the grandchild really left the leader's group, so a group signal cannot reach it.
  expect(pgidOf(started.pid!)).toBe(started.pid);
  expect(pgidOf(child)).not.toBe(started.pid);
  return { leader: started.pid!, child };
}

describe.runIf(process.platform === 'linux')('a grandchild that left the process group', () => {
  it('is killed with the tree when a SIGTERM-ignoring miner is stopped', async () => {
    const { leader, child } = await startWithDetachedChild({ FAKE_IGNORE_SIGTERM: '1' });
    const stopped = await h!.manager.stop('d');
    expect(stopped.lastExit).toMatchObject({ signal: 'SIGKILL' });
    expect(isAlive(leader)).toBe(false);
    await waitFor(() => !isAlive(child), `grandchild ${child} to die`, 3000);
  });
});

// Once gaps (issue 7): the tree was walked only through the leader's children while the leader lived, and
// the group reap cannot reach a setsid'd child, so a leader that exited by itself left it running. Every
// spawn now carries a tag its descendants inherit (util/escapees.ts), which finds them wherever they went.
describe.runIf(process.platform === 'linux')('a setsid grandchild does not outlive its leader', () => {
  it('after a graceful stop (the leader exits on SIGTERM)', async () => {
    const { leader, child } = await startWithDetachedChild({});
    const stopped = await h!.manager.stop('d');
    expect(stopped.lastExit).toMatchObject({ code: 0 });
    expect(isAlive(leader)).toBe(false);
    await waitFor(() => !isAlive(child), `grandchild ${child} to die`, 3000);
  });

  it('after its leader crashed on its own', async () => {
    const { leader, child } = await startWithDetachedChild({ FAKE_CRASH_AFTER_MS: '1500' });
    await waitFor(() => h!.manager.get('d').state === 'crashed', 'the crash', 5000);
    expect(isAlive(leader)).toBe(false);
    await waitFor(() => !isAlive(child), `grandchild ${child} to die`, 3000);
  });

  it('after killAllSync, which cannot wait for a walk of the tree', async () => {
    const { leader, child } = await startWithDetachedChild({ FAKE_IGNORE_SIGTERM: '1' });
    h!.manager.killAllSync();
    await waitFor(() => !isAlive(leader), `leader ${leader} to die`, 3000);
    await waitFor(() => !isAlive(child), `grandchild ${child} to die`, 3000);
  });
});
