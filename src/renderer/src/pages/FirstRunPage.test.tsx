// @vitest-environment jsdom
// First run: the simulated demo saves a "Demo" profile and starts it; setup validates pool and wallet.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetStores } from '../store/sync';
import { createFakeClient } from '../test/fakeClient';
import { renderApp } from '../test/renderApp';

afterEach(() => {
  cleanup();
  resetStores();
});

describe('First run', () => {
  it('starts the simulated demo and lands on the dashboard', async () => {
    const client = createFakeClient();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('firstrun-demo'));
    await screen.findByTestId('page-dashboard');
    expect(client.callsOf('saveProfile')).toEqual([{ name: 'Demo', minerType: 'simulated', config: {} }]);
    expect(client.callsOf('startMiner')).toEqual([{ profileId: 'p1' }]);
  });

  it('validates pool and wallet before saving a real miner', async () => {
    const client = createFakeClient();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('firstrun-setup'));
    fireEvent.change(screen.getByTestId('firstrun-pool'), { target: { value: 'bad pool' } });
    fireEvent.click(screen.getByTestId('firstrun-save'));
    expect(screen.getByTestId('firstrun-error-config.pool').textContent).toContain('Pool URL must look like');
    expect(screen.getByTestId('firstrun-error-config.wallet').textContent).toBe('Wallet address is required');
    fireEvent.change(screen.getByTestId('firstrun-pool'), { target: { value: 'pool.example.com:3333' } });
    fireEvent.change(screen.getByTestId('firstrun-wallet'), { target: { value: '4Abc' } });
    fireEvent.click(screen.getByTestId('firstrun-save'));
    await screen.findByTestId('page-miners');
    expect(client.callsOf('saveProfile')[0]).toMatchObject({ minerType: 'xmrig' });
    await vi.waitFor(() => expect(screen.getByTestId('start-profile-select')).toBeTruthy());
  });
});
