// A crash mid-install leaves only a work folder, which the next run deletes (unless its process still
// lives); a binary that vanishes or may not run after a verified extract is reported as likely quarantined.
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnVersionProbe, type VersionProbe } from '../../src/main/core/install/binary-check';
import { installFailureOf } from '../../src/main/core/install/errors';
import { makeWorld, rejection, type World } from './support/harness';

let w: World;

beforeEach(async () => {
  w = await makeWorld();
  await w.release({ version: '6.26.0' });
});

afterEach(async () => {
  await w.dispose();
});

/** A pid we owned and that has exited (never somebody else's live process). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

async function leftover(pid: number, kind = 'install'): Promise<string> {
  const dir = path.join(w.minersDir, `.hashdeck-${kind}-${pid}-0badc0de`);
  await mkdir(path.join(dir, 'x', 'xmrig-6.26.0'), { recursive: true });
  await writeFile(path.join(dir, 'archive.tar.gz'), 'half a download');
  return dir;
}

describe('leftovers of a crashed install', () => {
  it('while an install runs, everything it wrote is inside its one work folder', async () => {
    let during: string[] = [];
    const probe: VersionProbe = async (binary, opts) => {
      during = (await readdir(w.minersDir)).sort();
      return spawnVersionProbe(binary, opts);
    };
    await w.installer({ probe }).install();
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(new RegExp(`^\\.hashdeck-install-${process.pid}-[0-9a-f]{8}$`));
  });

  it('are deleted by the next run (cleanup at start-up, and by install itself)', async () => {
    const first = await leftover(await deadPid());
    const second = await leftover(await deadPid(), 'remove');
    const installer = w.installer();
    expect((await installer.cleanup()).sort()).toEqual([first, second].sort());
    expect(await w.minersContent()).toEqual([]);

    await leftover(await deadPid());
    await installer.install();
    expect((await readdir(w.minersDir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('are kept while the process that made them still runs (another HashDeck on the same folder)', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const dir = await leftover(child.pid!);
      expect(await w.installer().cleanup()).toEqual([]);
      expect(await readdir(w.minersDir)).toEqual([path.basename(dir)]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('antivirus reality', () => {
  const advice =
    /Security software often quarantines or blocks crypto miners.*HashDeck never changes security settings.*exclusion for .*xmrig[/\\]6\.26\.0/s;

  it('a binary that vanishes after the verified extract (ENOENT on spawn) is reported as likely quarantined', async () => {
    const probe: VersionProbe = async (binary, opts) => {
      await rm(binary); // what an on-access scanner does
      return spawnVersionProbe(binary, opts);
    };
    const err = await rejection(w.installer({ probe }).install());
    expect(installFailureOf(err)).toBe('quarantined');
    expect(err.code).toBe('SPAWN_FAILED');
    expect(err.message).toContain('vanished right after it was unpacked (ENOENT)');
    expect(err.message).toMatch(advice);
    expect(await w.minersContent()).toEqual([]);
    expect(w.trust.registered).toEqual([]);
  });

  it('a binary that may not be executed (EACCES) gets the same advice', async () => {
    const probe: VersionProbe = async (binary, opts) => {
      await chmod(binary, 0o644);
      return spawnVersionProbe(binary, opts);
    };
    const err = await rejection(w.installer({ probe }).install());
    expect(installFailureOf(err)).toBe('quarantined');
    expect(err.message).toContain('may not be executed (EACCES)');
    expect(err.message).toMatch(advice);
    expect(await w.minersContent()).toEqual([]);
  });

  it('on Windows the advice names Windows Security’s protection history and exclusions', async () => {
    const probe: VersionProbe = async (binary, opts) => {
      await rm(binary);
      return spawnVersionProbe(binary, opts);
    };
    const err = await rejection(w.installer({ platform: 'win32', arch: 'x64', probe }).install());
    expect(err.message).toContain('Windows Security → Virus & threat protection → Protection history');
    expect(err.message).toContain('Exclusions');
  });
});
