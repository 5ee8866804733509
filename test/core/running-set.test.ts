// The set of miners to resume after a quit or a crash: missing file -> nothing to resume, a saved set is
// read back by the next launch, an unchanged set is not rewritten, and a corrupt file resumes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNNING_SET_FILE, RunningSet, type RunningEntry } from '../../src/main/core/store/running-set';
import { minerConfigObject } from '../../src/shared/schemas';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hashdeck-running-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (name: string, threads = 2): RunningEntry => ({
  name,
  minerType: 'simulated',
  profileId: null,
  config: minerConfigObject.parse({ threads }),
});

async function onDisk(): Promise<{ version: number; savedAt: number; miners: RunningEntry[] }> {
  return JSON.parse(await readFile(join(dir, RUNNING_SET_FILE), 'utf8')) as {
    version: number;
    savedAt: number;
    miners: RunningEntry[];
  };
}

describe('RunningSet', () => {
  it('lives in running-miners.json of the data folder; without it nothing is resumed, silently', async () => {
    const set = new RunningSet(dir);
    expect(set.path).toBe(join(dir, 'running-miners.json'));
    expect(await set.load()).toEqual({ miners: [], notice: null });
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes the set with its version and time, and the next launch reads exactly it back', async () => {
    const set = new RunningSet(dir);
    await set.load();
    const miners = [entry('CPU'), { ...entry('GPU', 0), profileId: 'p-0123456789ab' }];
    await set.save(miners, 1234);
    expect(await onDisk()).toEqual({ version: 1, savedAt: 1234, miners });
    expect(await new RunningSet(dir).load()).toEqual({ miners, notice: null });
  });

  it('does not rewrite an unchanged set, neither the one just saved nor the one loaded', async () => {
    const first = new RunningSet(dir);
    await first.save([entry('CPU')], 100);
    await first.save([entry('CPU')], 200);
    expect((await onDisk()).savedAt).toBe(100);

    const next = new RunningSet(dir);
    await next.load();
    await next.save([entry('CPU')], 300);
    expect((await onDisk()).savedAt).toBe(100);
    await next.save([entry('CPU', 4)], 400);
    expect(await onDisk()).toMatchObject({ savedAt: 400, miners: [{ config: { threads: 4 } }] });
    await next.save([], 500);
    expect(await onDisk()).toEqual({ version: 1, savedAt: 500, miners: [] });
  });

  it('an empty set right after start is not written: nothing changed', async () => {
    const set = new RunningSet(dir);
    await set.load();
    await set.save([], 1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('tries again after a failed write, and keeps the newest of concurrent saves', async () => {
    const set = new RunningSet(dir);
    await set.load();
    await mkdir(set.path); // a folder in the way: the write fails
    await expect(set.save([entry('CPU')], 1)).rejects.toThrow();
    await rm(set.path, { recursive: true });
    await set.save([entry('CPU')], 2);
    expect((await onDisk()).savedAt).toBe(2);

    await Promise.all([set.save([entry('A')], 3), set.save([entry('B')], 4), set.save([entry('C')], 5)]);
    expect(await onDisk()).toMatchObject({ savedAt: 5, miners: [{ name: 'C' }] });
  });

  it('resumes nothing from a corrupt file, says so and keeps the file aside', async () => {
    await writeFile(join(dir, RUNNING_SET_FILE), '{"version": 1, "savedAt": 1, "miners": [{"name": ""}]}');
    const set = new RunningSet(dir);
    const r = await set.load();
    expect(r.miners).toEqual([]);
    expect(r.notice).toContain(join(dir, RUNNING_SET_FILE));
    expect((await readdir(dir)).some((n) => n.startsWith(`${RUNNING_SET_FILE}.corrupt-`))).toBe(true);
  });
});
