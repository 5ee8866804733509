// @vitest-environment jsdom
// First run on a machine with no trusted XMRig: a "Get XMRig" step offers "Install XMRig (verified)"
// with its progress (phase, bytes of total, percent, speed, Cancel), failures as sentences with what to
// do, then the profile step with the installed binary preselected; or a binary the user trusts (the
// desktop dialog, the `trust add` command in a browser).
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InstallStatus } from '../../../shared/contract';
import { MinerError } from '../../../shared/errors';
import { resetStores } from '../store/sync';
import { useUiStore } from '../store/uiStore';
import { createFakeClient, type FakeClient } from '../test/fakeClient';
import { makeBinary, makeInstallStatus, makeInstalled, makeInstalledVersion } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

const WALLET =
  '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD';
const MB = 1024 * 1024;

afterEach(() => {
  cleanup();
  resetStores();
});

const next = () => fireEvent.click(screen.getByTestId('firstrun-next'));
const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

/** A client whose installMiner answers like the main process: at once, state running. */
function installingClient(): FakeClient {
  const client = createFakeClient();
  client.respond('installMiner', () => makeInstallStatus({ version: null }));
  client.respond('cancelInstall', () => ({ cancelled: true }));
  return client;
}

async function toBinaryStep(): Promise<void> {
  fireEvent.click(await screen.findByTestId('firstrun-setup'));
  expect(screen.getByTestId('firstrun-progress').textContent).toBe('Step 1 of 4');
  next();
  expect(screen.getByTestId('firstrun-form').dataset.step).toBe('binary');
}

const progress = (client: FakeClient, patch: Partial<InstallStatus>) =>
  act(() => client.emit('installProgress', makeInstallStatus(patch)));

/** What the main process sends when an install succeeded: the last progress, the new binary, the list. */
function succeed(client: FakeClient) {
  const binary = makeBinary();
  act(() => {
    client.emit(
      'installProgress',
      makeInstallStatus({ state: 'succeeded', phase: 'done', binaryId: binary.id }),
    );
    client.emit(
      'installs',
      makeInstalled({ versions: [makeInstalledVersion()], defaultBinaryId: binary.id }),
    );
    client.emit('binaries', [binary]);
  });
}

describe('First run without a trusted XMRig', () => {
  it('offers the verified install and, in a browser, the trust command instead of a dialog', async () => {
    renderApp(createFakeClient());
    await toBinaryStep();
    expect(screen.getByRole('heading', { name: 'Get XMRig' })).toBeTruthy();
    expect(screen.getByTestId('firstrun-install').textContent).toBe('Install XMRig (verified)');
    expect(screen.getByTestId('firstrun-trust').textContent).toContain(
      'npm run headless -- trust add /path/to/xmrig',
    );
    expect(screen.queryByTestId('firstrun-choose')).toBeNull();
    expect(screen.getByTestId('firstrun-next').textContent).toBe('Skip for now');
    expect(screen.getByTestId('firstrun-get-binary').textContent).not.toContain('<version>');
  });

  it('installs with a progress bar, then continues to the profile with the installed XMRig preselected', async () => {
    const client = installingClient();
    renderApp(client);
    await toBinaryStep();
    fireEvent.click(screen.getByTestId('firstrun-install'));
    await vi.waitFor(() => expect(client.callsOf('installMiner')).toEqual([{ minerType: 'xmrig' }]));

    progress(client, { phase: 'downloading', bytes: 2 * MB, total: 4 * MB, percent: 50, bytesPerSecond: MB });
    const box = screen.getByTestId('firstrun-install-progress');
    expect(within(box).getByTestId('firstrun-install-progress-phase').textContent).toMatch(
      /^Installing XMRig 6\.26\.0: Downloading… \(step 3 of 7\)$/,
    );
    expect((screen.getByTestId('firstrun-install-progress-bar') as HTMLProgressElement).value).toBe(50);
    expect(screen.getByTestId('firstrun-install-progress-numbers').textContent).toBe(
      '2.0 MB of 4.0 MB · 50 % · 1.0 MB/s',
    );
    progress(client, { phase: 'checking-binary', bytes: 4 * MB, total: 4 * MB, percent: 100 });
    expect(screen.getByTestId('firstrun-install-progress-phase').textContent).toContain(
      'Checking that the miner runs',
    );

    succeed(client);
    expect(screen.getByTestId('firstrun-form').dataset.step).toBe('pool');
    expect(screen.getByTestId('firstrun-binary-note').textContent).toBe(
      'XMRig 6.26.0 is installed and verified.',
    );
    const select = screen.getByTestId('firstrun-binaryId') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect(select.selectedOptions[0]?.textContent).toMatch(
      /^Default: XMRig 6\.26\.0 · .*installed, verified.*follows updates$/,
    );

    type('firstrun-pool', 'pool.example.com:3333');
    type('firstrun-wallet', WALLET);
    next();
    next();
    await screen.findByTestId('firstrun-saved');
    // It follows the newest install, so an update later moves it along (and never blocks an uninstall).
    expect((client.callsOf('saveProfile')[0] as { config: object }).config).not.toHaveProperty('binaryId');
  });

  it('cancels: the install stops, says nothing was installed, and can be started again', async () => {
    const client = installingClient();
    renderApp(client);
    await toBinaryStep();
    fireEvent.click(screen.getByTestId('firstrun-install'));
    await vi.waitFor(() => expect(client.callsOf('installMiner')).toHaveLength(1));
    progress(client, { phase: 'downloading', bytes: MB, total: 4 * MB, percent: 25 });
    fireEvent.click(screen.getByTestId('firstrun-install-progress-cancel'));
    await vi.waitFor(() => expect(client.callsOf('cancelInstall')).toEqual([{ minerType: 'xmrig' }]));
    expect(screen.getByTestId('firstrun-install-progress-cancel').textContent).toBe('Cancelling…');
    progress(client, {
      state: 'cancelled',
      phase: 'downloading',
      bytes: MB,
      error: {
        code: 'CANCELLED',
        message: 'The XMRig install was cancelled',
        details: { reason: 'cancelled' },
      },
    });
    expect(screen.getByTestId('firstrun-install-failure').textContent).toContain(
      'Install cancelled; nothing was installed.',
    );
    expect(screen.getByTestId('firstrun-install').textContent).toBe('Install XMRig (verified)');
    expect(screen.getByTestId('firstrun-form').dataset.step).toBe('binary');
  });

  it.each([
    ['offline', { reason: 'offline' }, /could not reach GitHub.*internet connection/],
    ['rate-limited', { reason: 'rate-limited', resetAt: null }, /GitHub is limiting.*Try again in an hour/],
    ['bad-signature', { reason: 'bad-signature' }, /Verification failed: .*deleted it and installed nothing/],
    ['quarantined', { reason: 'quarantined' }, /Security software blocked or removed XMRig/],
  ])(
    'a failure (%s) reads as sentences with what to do, and offers to try again',
    async (_name, details, text) => {
      const client = installingClient();
      renderApp(client);
      await toBinaryStep();
      fireEvent.click(screen.getByTestId('firstrun-install'));
      await vi.waitFor(() => expect(client.callsOf('installMiner')).toHaveLength(1));
      const message = 'Cannot reach api.github.com (ENOTFOUND). Add an exclusion for /data/miners.';
      progress(client, { state: 'failed', error: { code: 'NETWORK', message, details } });
      const failure = screen.getByTestId('firstrun-install-failure');
      expect(failure.getAttribute('role')).toBe('alert');
      expect(failure.textContent).toMatch(text);
      expect(screen.getByTestId('firstrun-install-failure-detail').textContent).toBe(message);
      fireEvent.click(screen.getByTestId('firstrun-install'));
      await vi.waitFor(() => expect(client.callsOf('installMiner')).toHaveLength(2));
    },
  );

  it('follows an install that is already running (another window) instead of starting a second', async () => {
    const client = createFakeClient();
    const running = makeInstallStatus({ installId: 'other', phase: 'extracting' });
    client.respond('installMiner', () =>
      Promise.reject(
        new MinerError('ALREADY_RUNNING', 'XMRig is being installed already', {
          reason: 'busy',
          install: running,
        }),
      ),
    );
    renderApp(client);
    await toBinaryStep();
    fireEvent.click(screen.getByTestId('firstrun-install'));
    expect((await screen.findByTestId('firstrun-install-progress')).dataset.phase).toBe('extracting');
    expect(screen.queryByTestId('firstrun-install-failure')).toBeNull();
  });

  it('in the desktop app, a binary chosen in the dialog becomes the profile’s binary', async () => {
    useUiStore.getState().setHost('desktop');
    const client = createFakeClient();
    const mine = makeBinary({ id: 'xmrig-mine', source: 'user', path: '/opt/xmrig', version: '6.25.0' });
    client.respond('pickBinary', () => {
      client.emit('binaries', [mine]);
      return mine;
    });
    renderApp(client);
    await toBinaryStep();
    expect(screen.queryByTestId('firstrun-trust')).toBeNull();
    fireEvent.click(screen.getByTestId('firstrun-choose'));
    await vi.waitFor(() => expect(screen.getByTestId('firstrun-form').dataset.step).toBe('pool'));
    expect(client.callsOf('pickBinary')).toEqual([{ minerType: 'xmrig' }]);
    expect((screen.getByTestId('firstrun-binaryId') as HTMLSelectElement).value).toBe('xmrig-mine');
    type('firstrun-pool', 'pool.example.com:3333');
    type('firstrun-wallet', WALLET);
    next();
    next();
    await screen.findByTestId('firstrun-saved');
    expect(client.callsOf('saveProfile')[0]).toMatchObject({ config: { binaryId: 'xmrig-mine' } });
  });

  it('a start that finds no binary offers the actions its error names', async () => {
    const client = createFakeClient();
    client.respond('startMiner', () =>
      Promise.reject(
        new MinerError('BINARY_MISSING', 'No trusted XMRig binary yet.', {
          minerType: 'xmrig',
          actions: ['install', 'choose'],
        }),
      ),
    );
    renderApp(client);
    await toBinaryStep();
    next(); // skip for now
    type('firstrun-pool', 'pool.example.com:3333');
    type('firstrun-wallet', WALLET);
    next();
    next();
    fireEvent.click(await screen.findByTestId('firstrun-start'));
    const actions = await screen.findByTestId('firstrun-start-binary');
    expect(within(actions).getByTestId('firstrun-start-binary-install').textContent).toBe(
      'Install XMRig (verified)',
    );
    expect(within(actions).getByTestId('firstrun-start-binary-trust').textContent).toContain('trust add');
  });
});
