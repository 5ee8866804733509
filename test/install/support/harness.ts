// One installer test's world: a temp miners folder, a fake trust store recording calls, a loopback release
// server and an installer pointed at it with the test key pinned. Cleans everything up after the test.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { XmrigInstaller, type XmrigInstallerOptions } from '../../../src/main/core/install/installer';
import type { InstallProgress, InstallTrust, TrustedInstall } from '../../../src/main/core/install/types';
import { FakeReleaseServer, buildRelease, type FakeReleaseOptions } from './fake-release';
import { makeTestKey, type TestKey } from './keys';

export class FakeTrust implements InstallTrust {
  readonly registered: TrustedInstall[] = [];
  readonly forgotten: string[] = [];
  fail: Error | null = null;

  async registerTrusted(entry: TrustedInstall): Promise<void> {
    if (this.fail) throw this.fail;
    this.registered.push(entry);
  }

  async forgetTrusted(p: string): Promise<void> {
    this.forgotten.push(p);
  }
}

let keyPromise: Promise<TestKey> | null = null;
let otherKeyPromise: Promise<TestKey> | null = null;
/** Generated once per test file: key generation is the slowest part of a fake release. */
export const testKey = () => (keyPromise ??= makeTestKey());
export const otherKey = () => (otherKeyPromise ??= makeTestKey('Somebody else'));

/** What every test installer shares: the loopback release, the test key pinned, Linux x64, short timeouts. */
export function loopbackInstall(server: FakeReleaseServer, key: TestKey) {
  return {
    source: {
      releasesUrl: server.releasesUrl,
      downloadBaseUrl: null,
      key: { armored: key.armoredPublic, fingerprint: key.fingerprint },
    },
    platform: 'linux' as const,
    arch: 'x64',
    limits: { answerTimeoutMs: 5000, idleTimeoutMs: 5000, versionTimeoutMs: 10_000 },
  };
}

export interface World {
  root: string;
  minersDir: string;
  server: FakeReleaseServer;
  trust: FakeTrust;
  key: TestKey;
  progress: InstallProgress[];
  installer: (opts?: Partial<XmrigInstallerOptions>) => XmrigInstaller;
  release: (opts: Omit<FakeReleaseOptions, 'key'> & { key?: TestKey }) => Promise<void>;
  /** Everything in the miners folder (recursive, relative paths); [] when it is empty or absent. */
  minersContent: () => Promise<string[]>;
  dispose: () => Promise<void>;
}

export async function makeWorld(): Promise<World> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'hashdeck-install-'));
  const minersDir = path.join(root, 'miners');
  const server = await new FakeReleaseServer().start();
  const key = await testKey();
  const trust = new FakeTrust();
  const progress: InstallProgress[] = [];
  return {
    root,
    minersDir,
    server,
    trust,
    key,
    progress,
    installer: (opts = {}) => {
      const installer = new XmrigInstaller({ minersDir, trust, ...loopbackInstall(server, key), ...opts });
      installer.on('progress', (p) => progress.push(p));
      return installer;
    },
    release: async (opts) => server.add(await buildRelease({ key, ...opts })),
    minersContent: async () => {
      try {
        return (await readdir(minersDir, { recursive: true })).map(String).sort();
      } catch {
        return [];
      }
    },
    dispose: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; details?: unknown }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string; details?: unknown };
  }
  throw new Error('expected a rejection');
}

/**
 * Waits (polling on timers, so every pending microtask has run) until `cond` holds; fails at once when
 * `watch` settles first (the operation ended without reaching that state), or after 5 s.
 */
export async function until(cond: () => boolean, watch?: Promise<unknown>): Promise<void> {
  let settled = false;
  watch?.then(
    () => (settled = true),
    () => (settled = true),
  );
  const started = Date.now();
  while (!cond() && !settled && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 2));
  expect(cond()).toBe(true);
}
