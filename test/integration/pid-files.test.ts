// Crash recovery with real processes: a session that records pid files and then dies without stopping
// its miners leaves enough behind for the next session's sweep to find and stop them (and their children).
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PID_FILE, sweepOrphans } from '../../src/main/core/orphans';
import {
  grandchildPid,
  isAlive,
  makeHarness,
  readJson,
  ttminerRequest,
  waitFor,
  xmrigRequest,
  type Harness,
} from './helpers';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

describe.runIf(process.platform === 'linux')('pid files with real miners', () => {
  it('lets the next session sweep the miners of a session that died', async () => {
    h = await makeHarness({ pidFiles: true });
    const xmrig = await h.fakeBinary('xmrig', 'xmrig', { FAKE_SPAWN_CHILD: '1' });
    const tt = await h.fakeBinary('tt', 'ttminer');
    const [x, t] = await Promise.all([
      h.manager.start(xmrigRequest('x', xmrig)),
      h.manager.start(ttminerRequest('t', tt)),
    ]);
    const xFile = join(h.workRoot, 'x', PID_FILE);
    const tFile = join(h.workRoot, 't', PID_FILE);
    await waitFor(() => existsSync(xFile) && existsSync(tFile), 'both pid files', 5000);
    // The fakes are executable scripts run directly: the record names the command spawned, and the
    // executable the kernel runs for it (node, through the shebang) to tell a reused pid apart.
    expect(await readJson(xFile)).toMatchObject({
      version: 2,
      pid: x.pid,
      command: expect.stringMatching(/[\\/]xmrig\.mjs$/),
      script: null,
    });
    expect(await readJson(tFile)).toMatchObject({
      version: 2,
      pid: t.pid,
      command: expect.stringMatching(/[\\/]tt\.mjs$/),
      script: null,
    });
    expect((await readJson(xFile)) as { exe: string }).toMatchObject({ exe: expect.stringMatching(/node/) });
    await waitFor(() => grandchildPid(h!.manager, 'x') !== null, 'the grandchild of x', 5000);
    const child = grandchildPid(h.manager, 'x')!;

    // The session "dies": nobody calls stop. A new session sweeps the same folder.
    const swept = await sweepOrphans(h.workRoot);
    expect(swept.map((r) => r.pid).sort()).toEqual([x.pid, t.pid].sort());
    await waitFor(() => !isAlive(x.pid!) && !isAlive(t.pid!) && !isAlive(child), 'the swept trees', 5000);
    expect(existsSync(xFile) || existsSync(tFile)).toBe(false);
  });

  it('removes the record when a miner is stopped, so a later sweep finds nothing', async () => {
    h = await makeHarness({ pidFiles: true });
    const xmrig = await h.fakeBinary('xmrig', 'xmrig');
    await h.manager.start(xmrigRequest('x', xmrig));
    const file = join(h.workRoot, 'x', PID_FILE);
    await waitFor(() => existsSync(file), 'the pid file', 5000);
    await h.manager.stop('x');
    await waitFor(() => !existsSync(file), 'the pid file to go', 5000);
    expect(await sweepOrphans(h.workRoot)).toEqual([]);
  });
});
