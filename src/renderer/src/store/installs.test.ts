// @vitest-environment jsdom
// The installs slice and its wiring: reports of one install merged so an older one never wins, the
// list's running install adopted by a window opened late, bounded memory, the update answer to show,
// and what a missing binary offers (from an error's details or from an errored miner).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MinerError } from '../../../shared/errors';
import { createFakeClient } from '../test/fakeClient';
import {
  makeBinary,
  makeInstallStatus,
  makeInstalled,
  makeInstalledVersion,
  makeMiner,
  makeUpdateCheck,
} from '../test/fixtures';
import { binaryProblemOfError, binaryProblemOfMiner } from './binaryProblem';
import { MAX_TRACKED_INSTALLS, latestUpdateCheck, supersedes, useInstallsStore } from './installsStore';
import { connectStore, resetStores } from './sync';
import { useUiStore } from './uiStore';

afterEach(resetStores);

describe('supersedes', () => {
  const running = makeInstallStatus({ phase: 'downloading', bytes: 500 });

  it('lets a later phase or more bytes replace a running report', () => {
    expect(supersedes(makeInstallStatus({ phase: 'extracting' }), running)).toBe(true);
    expect(supersedes(makeInstallStatus({ phase: 'downloading', bytes: 600 }), running)).toBe(true);
  });

  it('never goes back a phase, back in bytes, or from an end back to running', () => {
    expect(supersedes(makeInstallStatus({ phase: 'resolving' }), running)).toBe(false);
    expect(supersedes(makeInstallStatus({ phase: 'downloading', bytes: 100 }), running)).toBe(false);
    const ended = makeInstallStatus({ state: 'succeeded', phase: 'done' });
    expect(supersedes(makeInstallStatus({ phase: 'activating' }), ended)).toBe(false);
    expect(supersedes(ended, running)).toBe(true);
  });
});

describe('installs slice', () => {
  it('keeps the newest report when the command’s answer arrives after the install’s events', () => {
    const store = useInstallsStore.getState();
    store.applyProgress(makeInstallStatus({ phase: 'downloading', bytes: 2048, total: 4096, percent: 50 }));
    store.applyProgress(makeInstallStatus({ phase: 'resolving' })); // installMiner's late answer
    const current = useInstallsStore.getState();
    expect(current.currentId).toBe('install-1');
    expect(current.byId['install-1']).toMatchObject({ phase: 'downloading', bytes: 2048 });
  });

  it('adopts the running install a listing names (a window opened mid-install)', () => {
    const active = makeInstallStatus({ installId: 'install-9', phase: 'extracting' });
    useInstallsStore.getState().setInstalled(makeInstalled({ active }));
    const s = useInstallsStore.getState();
    expect(s.currentId).toBe('install-9');
    expect(s.byId['install-9']).toEqual(active);
  });

  it('remembers a bounded number of installs and always the current one', () => {
    for (let i = 0; i < MAX_TRACKED_INSTALLS + 3; i += 1) {
      useInstallsStore
        .getState()
        .applyProgress(makeInstallStatus({ installId: `i${i}`, startedAt: i, state: 'failed' }));
    }
    const s = useInstallsStore.getState();
    expect(Object.keys(s.byId)).toHaveLength(MAX_TRACKED_INSTALLS);
    expect(s.currentId).toBe(`i${MAX_TRACKED_INSTALLS + 2}`);
    expect(s.byId.i0).toBeUndefined();
  });

  it('shows the newer update answer; on the same fetch the list’s, with the answer’s freshness', () => {
    const listed = makeUpdateCheck({ checkedAt: 10, fromCache: true, updateAvailable: false });
    const fresh = makeUpdateCheck({ checkedAt: 10, fromCache: false, updateAvailable: true });
    expect(latestUpdateCheck(listed, null)).toBe(listed);
    expect(latestUpdateCheck(null, fresh)).toBe(fresh);
    expect(latestUpdateCheck(listed, makeUpdateCheck({ checkedAt: 11 }))?.checkedAt).toBe(11);
    expect(latestUpdateCheck(listed, fresh)).toMatchObject({ updateAvailable: false, fromCache: false });
  });
});

describe('connectStore and installs', () => {
  it('lists the installs after the snapshot and follows installProgress and installs events', async () => {
    const client = createFakeClient();
    const active = makeInstallStatus({ phase: 'downloading', bytes: 10 });
    client.respond('listInstalled', () => makeInstalled({ active }));
    connectStore(client);
    await vi.waitFor(() => expect(useInstallsStore.getState().installed).not.toBeNull());
    expect(useUiStore.getState().status).toBe('ready');
    expect(useInstallsStore.getState().byId['install-1']).toEqual(active);

    client.emit('installProgress', makeInstallStatus({ state: 'succeeded', phase: 'done', binaryId: 'b1' }));
    expect(useInstallsStore.getState().byId['install-1']?.state).toBe('succeeded');
    const after = makeInstalled({ versions: [makeInstalledVersion()] });
    client.emit('installs', after);
    expect(useInstallsStore.getState().installed).toBe(after);
  });

  it('still loads when the server cannot list installs', async () => {
    const client = createFakeClient();
    client.respond('listInstalled', () => Promise.reject(new MinerError('UNSUPPORTED', 'no installs')));
    connectStore(client);
    await vi.waitFor(() => expect(useUiStore.getState().status).toBe('ready'));
    expect(useInstallsStore.getState().installed).toBeNull();
  });
});

describe('binary problems', () => {
  it('offers exactly the actions an error’s details name', () => {
    const xmrig = new MinerError('BINARY_MISSING', 'No trusted XMRig binary yet', {
      minerType: 'xmrig',
      actions: ['install', 'choose'],
    });
    expect(binaryProblemOfError(xmrig)).toEqual({
      minerType: 'xmrig',
      actions: ['install', 'choose'],
      quarantined: false,
      pinned: false,
    });
    const tt = new MinerError('BINARY_MISSING', 'No trusted TT-Miner', {
      minerType: 'ttminer',
      actions: ['choose'],
    });
    expect(binaryProblemOfError(tt)?.actions).toEqual(['choose']);
  });

  it('recognises a quarantined binary at spawn time, and ignores other errors', () => {
    const blocked = new MinerError('SPAWN_FAILED', 'may not be executed', {
      reason: 'quarantined',
      minerType: 'xmrig',
      actions: ['install', 'choose'],
    });
    expect(binaryProblemOfError(blocked)?.quarantined).toBe(true);
    expect(binaryProblemOfError(new MinerError('SPAWN_FAILED', 'ENOMEM'), 'xmrig')).toBeNull();
    expect(binaryProblemOfError(new MinerError('TIMEOUT', 'slow'), 'xmrig')).toBeNull();
  });

  it('sends a profile whose chosen binary is gone to the profile, with nothing to install', () => {
    const gone = new MinerError('NOT_FOUND', 'No trusted binary with id "x"', { binaryId: 'x' });
    expect(binaryProblemOfError(gone, 'xmrig')).toEqual({
      minerType: 'xmrig',
      actions: [],
      quarantined: false,
      pinned: true,
    });
  });

  it('judges an errored miner by what is trusted now', () => {
    const errored = makeMiner({
      minerType: 'xmrig',
      state: 'errored',
      reason: 'No trusted XMRig binary yet.',
    });
    expect(binaryProblemOfMiner(errored, [], undefined)?.actions).toEqual(['install', 'choose']);
    expect(binaryProblemOfMiner(errored, [makeBinary()], undefined)).toBeNull();
    expect(binaryProblemOfMiner({ ...errored, state: 'running' }, [], undefined)).toBeNull();
    const missing = makeInstalledVersion({ health: 'missing', isDefault: true });
    expect(binaryProblemOfMiner(errored, [makeBinary()], [missing])?.quarantined).toBe(true);
  });
});
