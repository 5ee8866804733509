// @vitest-environment jsdom
// "Binary not found" wherever it shows offers the actions that exist, as buttons: on a miner's row and
// card (judged from what is trusted now), in the start panel and the profile form (from the error's
// details.actions): Install XMRig, "Choose binary…" in the desktop app, the trust command in a browser.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MinerError } from '../../../../shared/errors';
import { ClientProvider } from '../../client/ClientContext';
import { emptyProfileValues } from '../../forms/profileForm';
import { MinersPage } from '../../pages/MinersPage';
import { useBinariesStore } from '../../store/binariesStore';
import { useInstallsStore } from '../../store/installsStore';
import { useMinersStore } from '../../store/minersStore';
import { useProfilesStore } from '../../store/profilesStore';
import { resetStores } from '../../store/sync';
import { useUiStore } from '../../store/uiStore';
import { createFakeClient, type FakeClient } from '../../test/fakeClient';
import {
  makeBinary,
  makeInstallStatus,
  makeInstalled,
  makeInstalledVersion,
  makeMiner,
  makeProfile,
} from '../../test/fixtures';
import { ProfileForm } from '../ProfileForm';

afterEach(() => {
  cleanup();
  resetStores();
});

/** The Miners page, once its installed panel has its list (so no answer lands later in the test). */
async function renderMiners(client: FakeClient) {
  useMinersStore.getState().setAll(client.state.miners);
  useProfilesStore.getState().setAll(client.state.profiles);
  useBinariesStore.getState().setAll(client.state.binaries);
  render(
    <ClientProvider client={client}>
      <MinersPage />
    </ClientProvider>,
  );
  await vi.waitFor(() => expect(useInstallsStore.getState().installed).not.toBeNull());
}

const errored = (minerType: 'xmrig' | 'ttminer', reason: string) =>
  makeMiner({ id: 'm1', minerType, state: 'errored', pid: null, reason });

describe('a miner that cannot find its binary', () => {
  it('offers Install XMRig and, in a browser, the trust command', async () => {
    const client = createFakeClient({ miners: [errored('xmrig', 'No trusted XMRig binary yet.')] });
    client.respond('installMiner', () => makeInstallStatus());
    await renderMiners(client);
    const actions = screen.getByTestId('miner-binary-m1');
    expect(within(actions).getByTestId('miner-binary-m1-trust').textContent).toContain(
      'npm run headless -- trust add /path/to/xmrig',
    );
    expect(within(actions).queryByTestId('miner-binary-m1-choose')).toBeNull();
    fireEvent.click(within(actions).getByTestId('miner-binary-m1-install'));
    await vi.waitFor(() => expect(client.callsOf('installMiner')).toEqual([{ minerType: 'xmrig' }]));
    expect(await screen.findByTestId('miner-binary-m1-install-progress')).toBeTruthy();
  });

  it('offers "Choose binary…" in the desktop app, and only that for TT-Miner', async () => {
    useUiStore.getState().setHost('desktop');
    const client = createFakeClient({ miners: [errored('ttminer', 'No trusted TT-Miner binary yet.')] });
    await renderMiners(client);
    const actions = screen.getByTestId('miner-binary-m1');
    expect(within(actions).queryByTestId('miner-binary-m1-install')).toBeNull();
    expect(within(actions).queryByTestId('miner-binary-m1-trust')).toBeNull();
    fireEvent.click(within(actions).getByTestId('miner-binary-m1-choose'));
    await vi.waitFor(() => expect(client.callsOf('pickBinary')).toEqual([{ minerType: 'ttminer' }]));
  });

  it('goes away once a binary is trusted, and adds the advice when the installed one vanished', async () => {
    const client = createFakeClient({ miners: [errored('xmrig', 'XMRig could not start.')] });
    await renderMiners(client);
    expect(screen.getByTestId('miner-binary-m1')).toBeTruthy();
    act(() => useBinariesStore.getState().setAll([makeBinary()]));
    expect(screen.queryByTestId('miner-binary-m1')).toBeNull();
    act(() =>
      useInstallsStore
        .getState()
        .setInstalled(makeInstalled({ versions: [makeInstalledVersion({ health: 'missing' })] })),
    );
    expect(screen.getByTestId('miner-binary-m1-advice').textContent).toMatch(
      /Security software often quarantines .* HashDeck never\s+changes security settings/,
    );
  });

  it('leaves other errors alone', async () => {
    const client = createFakeClient({
      miners: [errored('xmrig', 'Port in use')],
      binaries: [makeBinary()],
    });
    await renderMiners(client);
    expect(screen.getByTestId('miner-reason-m1')).toBeTruthy();
    expect(screen.queryByTestId('miner-binary-m1')).toBeNull();
  });
});

describe('the start panel', () => {
  it('offers the actions a BINARY_MISSING error names', async () => {
    const client = createFakeClient({
      profiles: [makeProfile({ id: 'p1', minerType: 'ttminer', name: 'GPU' })],
    });
    client.respond('startMiner', () =>
      Promise.reject(
        new MinerError('BINARY_MISSING', 'No trusted TT-Miner binary yet.', {
          minerType: 'ttminer',
          actions: ['choose'],
        }),
      ),
    );
    await renderMiners(client);
    fireEvent.click(screen.getByTestId('start-button'));
    const actions = await screen.findByTestId('start-binary');
    expect(screen.getByTestId('start-error').textContent).toBe('No trusted TT-Miner binary yet.');
    expect(within(actions).queryByTestId('start-binary-install')).toBeNull();
    expect(within(actions).getByTestId('start-binary-trust').textContent).toContain('/path/to/TT-Miner');
  });

  it('says only the first sentence and leaves the buttons to the errored row the start left', async () => {
    const client = createFakeClient({
      profiles: [makeProfile({ id: 'p1', minerType: 'xmrig', name: 'Rig' })],
    });
    const message =
      'No trusted XMRig binary yet. In the desktop app: "Install XMRig" (downloads and verifies it) or "Choose binary…".';
    client.respond('startMiner', () => {
      // Like the main process: the instance is created, fails, and its state arrives before the answer.
      const miner = makeMiner({
        id: 'rig',
        profileId: 'p1',
        minerType: 'xmrig',
        state: 'errored',
        reason: message,
      });
      act(() => useMinersStore.getState().upsert(miner));
      return Promise.reject(
        new MinerError('BINARY_MISSING', message, { minerType: 'xmrig', actions: ['install', 'choose'] }),
      );
    });
    await renderMiners(client);
    fireEvent.click(screen.getByTestId('start-button'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('start-error').textContent).toBe(
        'No trusted XMRig binary yet. See the miner below for how to get one.',
      ),
    );
    expect(screen.queryByTestId('start-binary')).toBeNull();
    expect(screen.getByTestId('miner-reason-rig').textContent).toBe('No trusted XMRig binary yet.');
    expect(screen.getAllByText('Install XMRig (verified)')).toHaveLength(2); // the row's, and the Miners installed panel's
    expect(screen.getByTestId('miner-binary-rig-install')).toBeTruthy();
  });

  it('shows the antivirus advice for a quarantined binary when the message lacks it', async () => {
    const client = createFakeClient({ profiles: [makeProfile({ id: 'p1', minerType: 'xmrig' })] });
    client.respond('startMiner', () =>
      Promise.reject(
        new MinerError('SPAWN_FAILED', 'The XMRig binary may not be executed (EACCES).', {
          reason: 'quarantined',
          minerType: 'xmrig',
          actions: ['install', 'choose'],
        }),
      ),
    );
    await renderMiners(client);
    fireEvent.click(screen.getByTestId('start-button'));
    expect((await screen.findByTestId('start-binary-advice')).textContent).toContain('exclusion');
    expect(screen.getByTestId('start-binary-install')).toBeTruthy();
  });
});

describe('the profile form', () => {
  it('with no trusted XMRig, offers the install and the trust command under the binary field', () => {
    render(
      <ClientProvider client={createFakeClient()}>
        <ProfileForm initial={emptyProfileValues('xmrig')} onSaved={vi.fn()} onCancel={vi.fn()} />
      </ClientProvider>,
    );
    expect(
      (screen.getByTestId('profile-binaryId') as HTMLSelectElement).selectedOptions[0]?.textContent,
    ).toBe('No trusted XMRig binary yet');
    expect(screen.getByTestId('profile-binary-actions-install').textContent).toBe('Install XMRig (verified)');
    expect(screen.getByTestId('profile-binary-actions-trust')).toBeTruthy();
  });

  it('names what the default runs once one is installed', () => {
    useBinariesStore
      .getState()
      .setAll([makeBinary({ id: 'b2', version: '6.27.0', path: '/m/6.27.0/xmrig' }), makeBinary()]);
    render(
      <ClientProvider client={createFakeClient()}>
        <ProfileForm initial={emptyProfileValues('xmrig')} onSaved={vi.fn()} onCancel={vi.fn()} />
      </ClientProvider>,
    );
    expect(
      (screen.getByTestId('profile-binaryId') as HTMLSelectElement).selectedOptions[0]?.textContent,
    ).toBe('Default: XMRig 6.27.0 · /m/6.27.0/xmrig (installed, verified), follows updates');
    expect(screen.queryByTestId('profile-binary-actions')).toBeNull();
  });
});
