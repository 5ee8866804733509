// @vitest-environment jsdom
// First run: the simulated demo, and the guided path (miner → pool and wallet → how much CPU → saved)
// whose errors clear as they are fixed, whose focus lands on the first invalid field, and whose CPU
// choice defaults to leaving the computer usable.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetStores } from '../store/sync';
import { useUiStore } from '../store/uiStore';
import { createFakeClient } from '../test/fakeClient';
import { makeBinary } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

const WALLET =
  '48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD';

afterEach(() => {
  cleanup();
  resetStores();
});

/** A machine with a trusted XMRig and TT-Miner already: the guided path has no "get it" step. */
const equipped = () =>
  createFakeClient({
    binaries: [
      makeBinary(),
      makeBinary({ id: 'ttminer-2', minerType: 'ttminer', path: '/opt/TT-Miner', source: 'user' }),
    ],
  });

const next = () => fireEvent.click(screen.getByTestId('firstrun-next'));
const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('First run', () => {
  it('starts the simulated demo and lands on the dashboard', async () => {
    const client = createFakeClient();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('firstrun-demo'));
    await screen.findByTestId('page-dashboard');
    expect(client.callsOf('saveProfile')).toEqual([{ name: 'Demo', minerType: 'simulated', config: {} }]);
    expect(client.callsOf('startMiner')).toEqual([{ profileId: 'p1' }]);
  });

  it('guides through miner, pool and CPU, clearing each error as it is fixed', async () => {
    const client = equipped();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('firstrun-setup'));
    expect(screen.getByTestId('firstrun-progress').textContent).toBe('Step 1 of 3');
    expect((screen.getByTestId('firstrun-miner-xmrig') as HTMLInputElement).checked).toBe(true);
    next();
    expect(screen.getByTestId('firstrun-form').dataset.step).toBe('pool');

    type('firstrun-pool', 'bad pool');
    next();
    expect(screen.getByTestId('firstrun-error-config.pool').textContent).toContain('Pool URL must look like');
    expect(screen.getByTestId('firstrun-error-config.wallet').textContent).toBe('Wallet address is required');
    expect(document.activeElement).toBe(screen.getByTestId('firstrun-pool'));

    // Fixing the pool clears its error at once; the wallet's stays until it is fixed too.
    type('firstrun-pool', 'pool.example.com:3333');
    expect(screen.queryByTestId('firstrun-error-config.pool')).toBeNull();
    expect(screen.getByTestId('firstrun-error-config.wallet')).toBeTruthy();
    next();
    expect(document.activeElement).toBe(screen.getByTestId('firstrun-wallet'));
    type('firstrun-wallet', WALLET);
    expect(screen.queryByTestId('firstrun-error-config.wallet')).toBeNull();
    next();

    expect(screen.getByTestId('firstrun-form').dataset.step).toBe('cpu');
    expect((screen.getByTestId('firstrun-cpu-balanced') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText(/computer stays usable/)).toBeTruthy();
    next();

    const saved = await screen.findByTestId('firstrun-saved');
    expect(saved.textContent).toContain('Saved “My XMRig”');
    expect(client.callsOf('saveProfile')).toEqual([
      {
        name: 'My XMRig',
        minerType: 'xmrig',
        config: {
          pool: 'pool.example.com:3333',
          wallet: WALLET,
          threads: 0,
          cpuMaxThreadsHint: 50,
          cpuPriority: 1,
        },
      },
    ]);
    fireEvent.click(screen.getByTestId('firstrun-start'));
    await screen.findByTestId('page-dashboard');
    expect(client.callsOf('startMiner')).toEqual([{ profileId: 'p1' }]);
  });

  it('saves the chosen CPU share: Max uses every thread at the default priority', async () => {
    const client = equipped();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('firstrun-setup'));
    next();
    type('firstrun-pool', 'pool.example.com:3333');
    type('firstrun-wallet', WALLET);
    next();
    fireEvent.click(screen.getByTestId('firstrun-cpu-max'));
    next();
    await screen.findByTestId('firstrun-saved');
    expect(client.callsOf('saveProfile')[0]).toMatchObject({
      config: { threads: 0, cpuMaxThreadsHint: 100 },
    });
    expect((client.callsOf('saveProfile')[0] as { config: object }).config).not.toHaveProperty('cpuPriority');
  });

  it('names an out-of-range pool port', async () => {
    renderApp(equipped());
    fireEvent.click(await screen.findByTestId('firstrun-setup'));
    next();
    type('firstrun-pool', '127.0.0.1:99999');
    next();
    expect(screen.getByTestId('firstrun-error-config.pool').textContent).toBe(
      'Pool port 99999 is out of range (1–65535)',
    );
  });

  it('has no CPU step for TT-Miner (GPU)', async () => {
    const client = equipped();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('firstrun-setup'));
    fireEvent.click(screen.getByTestId('firstrun-miner-ttminer'));
    next();
    expect(screen.getByTestId('firstrun-progress').textContent).toBe('Step 2 of 2');
    type('firstrun-pool', 'pool.example.com:4444');
    type('firstrun-wallet', WALLET);
    next();
    await screen.findByTestId('firstrun-saved');
    expect(client.callsOf('saveProfile')[0]).toEqual({
      name: 'My TT-Miner',
      minerType: 'ttminer',
      config: { pool: 'pool.example.com:4444', wallet: WALLET },
    });
  });

  it('keeps the user on the saved screen with the reason when starting fails', async () => {
    const client = equipped();
    client.respond('startMiner', () => Promise.reject(new Error('XMRig binary not found')));
    renderApp(client);
    fireEvent.click(await screen.findByTestId('firstrun-setup'));
    next();
    type('firstrun-pool', 'pool.example.com:3333');
    type('firstrun-wallet', WALLET);
    next();
    next();
    fireEvent.click(await screen.findByTestId('firstrun-start'));
    expect((await screen.findByTestId('firstrun-start-error')).textContent).toBe(
      'Could not start: XMRig binary not found',
    );
    expect(screen.getByTestId('firstrun-saved')).toBeTruthy();
  });

  it('mentions the tray only in the desktop app', async () => {
    renderApp(createFakeClient());
    const page = await screen.findByTestId('firstrun');
    expect(page.textContent).not.toMatch(/tray/);
    cleanup();
    resetStores();
    useUiStore.getState().setHost('desktop');
    renderApp(createFakeClient());
    await vi.waitFor(() => expect(screen.getByTestId('firstrun').textContent).toMatch(/system tray/));
  });
});
