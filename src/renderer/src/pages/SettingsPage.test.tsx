// @vitest-environment jsdom
// Settings page: inline validation from the contract schema, then save through the client.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientProvider } from '../client/ClientContext';
import { useSettingsStore } from '../store/settingsStore';
import { useUiStore } from '../store/uiStore';
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

  it('hides the tray and window settings in a browser and saves without them', async () => {
    const client = createFakeClient();
    useSettingsStore.getState().set(makeSettings());
    render(
      <ClientProvider client={client}>
        <SettingsPage />
      </ClientProvider>,
    );
    expect(screen.queryByTestId('settings-closeToTray')).toBeNull();
    expect(screen.queryByTestId('settings-startMinimized')).toBeNull();
    expect(screen.getByTestId('page-settings').textContent).not.toMatch(/tray/i);
    fireEvent.click(screen.getByTestId('settings-save'));
    await screen.findByTestId('settings-saved');
    expect(client.callsOf('saveSettings')).toEqual([{ statsIntervalMs: 1000, theme: 'system' }]);
  });

  it('shows them in the desktop app', () => {
    useUiStore.getState().setHost('desktop');
    useSettingsStore.getState().set(makeSettings());
    render(
      <ClientProvider client={createFakeClient()}>
        <SettingsPage />
      </ClientProvider>,
    );
    expect(screen.getByTestId('settings-closeToTray')).toBeTruthy();
    expect(screen.getByTestId('settings-startMinimized')).toBeTruthy();
  });
});
