// @vitest-environment jsdom
// Settings page: inline validation from the contract schema, then save through the client.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientProvider } from '../client/ClientContext';
import { useSettingsStore } from '../store/settingsStore';
import { resetStores } from '../store/sync';
import { createFakeClient } from '../test/fakeClient';
import { makeSettings } from '../test/fixtures';
import { SettingsPage } from './SettingsPage';

afterEach(() => {
  cleanup();
  resetStores();
});

describe('SettingsPage', () => {
  it('shows an inline error for a too-short stats interval, then saves a valid one', async () => {
    const client = createFakeClient();
    useSettingsStore.getState().set(makeSettings({ dataDir: '/data/hashdeck' }));
    render(
      <ClientProvider client={client}>
        <SettingsPage />
      </ClientProvider>,
    );
    expect((screen.getByTestId('settings-dataDir') as HTMLInputElement).value).toBe('/data/hashdeck');
    fireEvent.change(screen.getByTestId('settings-statsInterval'), { target: { value: '100' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect(screen.getByTestId('error-statsIntervalMs').textContent).toBe(
      'Stats interval must be at least 250 ms',
    );
    expect(client.callsOf('saveSettings')).toHaveLength(0);
    fireEvent.change(screen.getByTestId('settings-statsInterval'), { target: { value: '2000' } });
    fireEvent.change(screen.getByTestId('settings-theme'), { target: { value: 'dark' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await screen.findByTestId('settings-saved');
    expect(client.callsOf('saveSettings')[0]).toMatchObject({ statsIntervalMs: 2000, theme: 'dark' });
    expect(useSettingsStore.getState().settings?.theme).toBe('dark');
  });
});
