// @vitest-environment jsdom
// The "Miners installed" panel: each version's folder, shortened and copyable SHA-256, tested label,
// health (a vanished binary gets the antivirus advice) and users; update checks (fresh or saved,
// offline, rate-limited) and "Install update" with its progress inline; uninstall refused while in use;
// and the binaries the user chose, with "Stop trusting".
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InstalledMiners } from '../../../../shared/contract';
import { MinerError } from '../../../../shared/errors';
import { ClientProvider } from '../../client/ClientContext';
import { useBinariesStore } from '../../store/binariesStore';
import { useInstallsStore } from '../../store/installsStore';
import { useMinersStore } from '../../store/minersStore';
import { resetStores } from '../../store/sync';
import { useUiStore } from '../../store/uiStore';
import { createFakeClient, type FakeClient } from '../../test/fakeClient';
import {
  SHA,
  makeBinary,
  makeInstallStatus,
  makeInstalled,
  makeInstalledVersion,
  makeMiner,
  makeUpdateCheck,
} from '../../test/fixtures';
import { InstalledPanel } from './InstalledPanel';

afterEach(() => {
  cleanup();
  resetStores();
  vi.unstubAllGlobals();
});

/** `installed`: what the store holds and what the panel's own listing (when it opens) answers. */
function renderPanel(client: FakeClient, installed: InstalledMiners | null) {
  if (installed) {
    useInstallsStore.getState().setInstalled(installed);
    client.respond('listInstalled', () => installed);
  }
  useBinariesStore.getState().setAll(client.state.binaries);
  render(
    <ClientProvider client={client}>
      <InstalledPanel />
    </ClientProvider>,
  );
}

describe('Miners installed', () => {
  it('shows where each version is, its verified hash (short, copyable), tested label and users', async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const v = makeInstalledVersion({
      usedBy: { pinnedProfiles: [], followingProfiles: [{ id: 'p1', name: 'My XMRig' }], runningMiners: [] },
    });
    renderPanel(createFakeClient(), makeInstalled({ versions: [v] }));
    const item = screen.getByTestId('installed-6.26.0');
    expect(item.textContent).toContain('/data/miners/xmrig/6.26.0');
    expect(screen.getByTestId('installed-6.26.0-status').textContent).toBe('tested with HashDeck');
    expect(screen.getByTestId('installed-6.26.0-sha').textContent).toBe(
      `${SHA.slice(0, 12)}…${SHA.slice(-6)}`,
    );
    expect(item.textContent).toContain('verified against XMRig’s signed checksums');
    expect(screen.getByTestId('installed-6.26.0-usage').textContent).toBe(
      'Profile “My XMRig” follows the newest install.',
    );
    fireEvent.click(screen.getByTestId('installed-6.26.0-copy-sha'));
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledWith(SHA));
    await vi.waitFor(() =>
      expect(screen.getByTestId('installed-6.26.0-copy-sha').textContent).toBe('Copied'),
    );
    // Following profiles do not block an uninstall: they move on to the next version.
    expect((screen.getByTestId('installed-6.26.0-uninstall') as HTMLButtonElement).disabled).toBe(false);
  });

  it('labels a newer version as not yet tested', () => {
    const newer = makeInstalledVersion({ version: '6.27.0', status: 'newer-untested', isDefault: true });
    renderPanel(
      createFakeClient(),
      makeInstalled({ versions: [newer, makeInstalledVersion({ isDefault: false })] }),
    );
    expect(screen.getByTestId('installed-6.27.0-status').textContent).toBe(
      'newer, not yet tested with HashDeck',
    );
  });

  it('disables Uninstall while a profile chose the version or a miner runs it, and says why', () => {
    const v = makeInstalledVersion({
      usedBy: {
        pinnedProfiles: [{ id: 'p2', name: 'Pinned' }],
        followingProfiles: [],
        runningMiners: [{ id: 'm1', name: 'Rig' }],
      },
    });
    renderPanel(createFakeClient(), makeInstalled({ versions: [v] }));
    const button = screen.getByTestId('installed-6.26.0-uninstall') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const reason = screen.getByTestId('installed-6.26.0-blocker');
    expect(reason.textContent).toBe('In use: stop “Rig” first; choose another binary in profile “Pinned”.');
    expect(button.getAttribute('aria-describedby')).toBe(reason.id);
  });

  it('uninstalls after a confirmation, and shows the server’s refusal when it comes to that', async () => {
    const client = createFakeClient();
    client.respond('uninstallMiner', () =>
      Promise.reject(
        new MinerError(
          'INVALID_STATE',
          'XMRig 6.26.0 is in use by running miner "Rig" (stop it first); it was not uninstalled.',
          {
            reason: 'in-use',
          },
        ),
      ),
    );
    renderPanel(client, makeInstalled({ versions: [makeInstalledVersion()] }));
    fireEvent.click(screen.getByTestId('installed-6.26.0-uninstall'));
    fireEvent.click(screen.getByTestId('installed-6.26.0-uninstall-confirm'));
    expect((await screen.findByTestId('installed-6.26.0-error')).textContent).toMatch(
      /in use by running miner "Rig"/,
    );
    expect(client.callsOf('uninstallMiner')).toEqual([{ minerType: 'xmrig', version: '6.26.0' }]);

    client.respond('uninstallMiner', () => makeInstalled());
    fireEvent.click(screen.getByTestId('installed-6.26.0-uninstall'));
    fireEvent.click(screen.getByTestId('installed-6.26.0-uninstall-confirm'));
    expect(await screen.findByTestId('installed-none')).toBeTruthy();
  });

  it('a version whose binary vanished shows the antivirus advice and offers to install it again', async () => {
    const client = createFakeClient();
    client.respond('installMiner', ({ version }) => makeInstallStatus({ requested: version ?? null }));
    renderPanel(client, makeInstalled({ versions: [makeInstalledVersion({ health: 'missing' })] }));
    const missing = screen.getByTestId('installed-6.26.0-missing');
    expect(missing.textContent).toContain('The XMRig binary is gone from /data/miners/xmrig/6.26.0');
    expect(missing.textContent).toContain('Security software often quarantines or blocks crypto miners');
    expect(missing.textContent).toContain('HashDeck never changes security settings');
    fireEvent.click(screen.getByTestId('installed-6.26.0-reinstall'));
    await vi.waitFor(() =>
      expect(client.callsOf('installMiner')).toEqual([{ minerType: 'xmrig', version: '6.26.0' }]),
    );
  });

  it('with nothing installed, offers the install and shows its progress inline', async () => {
    const client = createFakeClient();
    client.respond('installMiner', () => makeInstallStatus());
    renderPanel(client, makeInstalled());
    fireEvent.click(screen.getByTestId('installed-install'));
    await vi.waitFor(() => expect(screen.getByTestId('installed-progress')).toBeTruthy());
    // The store is what installProgress events feed (connectStore's part is in installs.test.ts).
    act(() =>
      useInstallsStore
        .getState()
        .applyProgress(makeInstallStatus({ phase: 'downloading', bytes: 10, total: 20, percent: 50 })),
    );
    expect(screen.getByTestId('installed-progress-numbers').textContent).toBe('10 B of 20 B · 50 %');
    expect((screen.getByTestId('installed-install') as HTMLButtonElement).disabled).toBe(true);
  });

  it('asks for the list again when a miner starts (who uses a version changed)', async () => {
    const client = createFakeClient();
    renderPanel(client, makeInstalled({ versions: [makeInstalledVersion()] }));
    await vi.waitFor(() => expect(client.callsOf('listInstalled')).toHaveLength(1));
    const using = makeInstalledVersion({
      usedBy: { pinnedProfiles: [], followingProfiles: [], runningMiners: [{ id: 'm1', name: 'Rig' }] },
    });
    client.respond('listInstalled', () => makeInstalled({ versions: [using] }));
    act(() =>
      useMinersStore
        .getState()
        .upsert(makeMiner({ id: 'm1', minerType: 'xmrig', binaryId: 'xmrig-11111111' })),
    );
    await vi.waitFor(() =>
      expect(screen.getByTestId('installed-6.26.0-blocker').textContent).toBe('In use: stop “Rig” first.'),
    );
    expect(client.callsOf('listInstalled')).toHaveLength(2);
  });

  it('asks for the list itself when it opens before the list arrived (a late window mid-install)', async () => {
    const client = createFakeClient();
    client.respond('listInstalled', () =>
      makeInstalled({ active: makeInstallStatus({ phase: 'verifying-archive' }) }),
    );
    renderPanel(client, null);
    expect((await screen.findByTestId('installed-progress')).dataset.phase).toBe('verifying-archive');
  });
});

describe('update checks', () => {
  it('shows an available update from a fresh check and installs that version', async () => {
    const client = createFakeClient();
    client.respond('checkMinerUpdate', () => makeUpdateCheck());
    client.respond('installMiner', () => makeInstallStatus({ requested: '6.26.0' }));
    renderPanel(
      client,
      makeInstalled({ versions: [makeInstalledVersion({ version: '6.25.0', status: 'older-untested' })] }),
    );
    expect(screen.getByTestId('update-check-button').textContent).toBe('Check for updates');
    fireEvent.click(screen.getByTestId('update-check-button'));
    const status = await screen.findByTestId('update-status');
    expect(client.callsOf('checkMinerUpdate')).toEqual([{ minerType: 'xmrig' }]);
    expect(status.textContent).toMatch(
      /^Update available: XMRig 6\.26\.0, tested with HashDeck \(you have 6\.25\.0\)/,
    );
    expect(screen.getByTestId('update-untested').textContent).toContain(
      'XMRig 6.27.0 is out: newer, not yet tested with HashDeck',
    );
    expect(screen.getByTestId('update-checked-at').textContent).toMatch(/^Checked with GitHub at /);
    fireEvent.click(screen.getByTestId('update-install'));
    await vi.waitFor(() =>
      expect(client.callsOf('installMiner')).toEqual([{ minerType: 'xmrig', version: '6.26.0' }]),
    );
    expect(await screen.findByTestId('installed-progress')).toBeTruthy();
  });

  it('says when the answer is the one saved within the hour, and "Check again now" asks GitHub', async () => {
    const client = createFakeClient();
    client.respond('checkMinerUpdate', () =>
      makeUpdateCheck({ checkedAt: 9000, updateAvailable: false, current: '6.26.0', newerUntested: null }),
    );
    const saved = makeUpdateCheck({
      fromCache: true,
      updateAvailable: false,
      current: '6.26.0',
      newerUntested: null,
    });
    renderPanel(client, makeInstalled({ versions: [makeInstalledVersion()], update: saved }));
    expect(screen.getByTestId('update-status').textContent).toBe(
      'Up to date: XMRig 6.26.0 is the newest version tested with HashDeck.',
    );
    expect(screen.getByTestId('update-checked-at').textContent).toMatch(
      /^Saved answer from .*at most once an hour/,
    );
    fireEvent.click(screen.getByTestId('update-check-button'));
    await vi.waitFor(() =>
      expect(client.callsOf('checkMinerUpdate')).toEqual([{ minerType: 'xmrig', force: true }]),
    );
    await vi.waitFor(() =>
      expect(screen.getByTestId('update-checked-at').textContent).toMatch(/^Checked with GitHub at /),
    );
  });

  it.each([
    ['offline', { reason: 'offline' }, /could not reach GitHub to check for XMRig updates/],
    [
      'rate-limited',
      { reason: 'rate-limited', resetAt: Date.now() + 30 * 60_000 },
      /Try again after .* \(in 30 min\)/,
    ],
  ])('a failed check (%s) says so and what to do', async (_name, details, text) => {
    const client = createFakeClient();
    client.respond('checkMinerUpdate', () =>
      Promise.reject(new MinerError('NETWORK', 'api.github.com failed', details)),
    );
    renderPanel(client, makeInstalled({ versions: [makeInstalledVersion()] }));
    fireEvent.click(screen.getByTestId('update-check-button'));
    const failure = await screen.findByTestId('update-check-failure');
    expect(failure.textContent).toMatch(text);
    expect(failure.textContent).toContain('api.github.com failed');
  });
});

describe('binaries the user chose', () => {
  it('lists them with the profiles that chose them, and stops trusting one after a confirmation', async () => {
    const mine = makeBinary({
      id: 'tt-1',
      minerType: 'ttminer',
      source: 'user',
      path: '/opt/TT-Miner',
      version: '2023.1',
    });
    const client = createFakeClient({ binaries: [makeBinary(), mine] });
    renderPanel(client, makeInstalled());
    const list = screen.getByTestId('user-binaries');
    expect(within(list).queryByText(/\/data\/miners/)).toBeNull(); // installed ones are listed above
    expect(screen.getByTestId('user-binary-tt-1').textContent).toContain('/opt/TT-Miner');
    expect(screen.getByTestId('user-binaries-trust').textContent).toContain('npm run headless -- trust add');
    fireEvent.click(screen.getByTestId('user-binary-tt-1-remove'));
    fireEvent.click(screen.getByTestId('user-binary-tt-1-remove-confirm'));
    await vi.waitFor(() => expect(screen.queryByTestId('user-binary-tt-1')).toBeNull());
    expect(client.callsOf('removeTrustedBinary')).toEqual([{ id: 'tt-1' }]);
  });

  it('offers "Choose binary…" in the desktop app instead of the command', () => {
    useUiStore.getState().setHost('desktop');
    renderPanel(createFakeClient(), makeInstalled());
    expect(screen.getByTestId('user-binaries-choose-xmrig').textContent).toBe('Choose an XMRig binary…');
    expect(screen.getByTestId('user-binaries-choose-ttminer')).toBeTruthy();
    expect(screen.queryByTestId('user-binaries-trust')).toBeNull();
  });
});
