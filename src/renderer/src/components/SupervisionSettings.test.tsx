// @vitest-environment jsdom
// The watchdog / history / start-up section of the settings: seconds and minutes in, milliseconds out,
// the schema's limits shown on the field, the whole watchdog object saved, and "Start with the
// computer" disabled with the reason where the app cannot set it (a browser on the headless server).
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientProvider } from '../client/ClientContext';
import { useSettingsStore } from '../store/settingsStore';
import { resetStores } from '../store/sync';
import { createFakeClient } from '../test/fakeClient';
import { makeSettings } from '../test/fixtures';
import { SupervisionSettings } from './SupervisionSettings';

afterEach(() => {
  cleanup();
  resetStores();
});

describe('SupervisionSettings', () => {
  it('saves the watchdog in milliseconds, the retention and the resume choice', async () => {
    const client = createFakeClient();
    const settings = makeSettings({ startWithComputerSupport: { available: true, reason: null } });
    useSettingsStore.getState().set(settings);
    render(
      <ClientProvider client={client}>
        <SupervisionSettings settings={settings} />
      </ClientProvider>,
    );
    expect((screen.getByTestId('supervision-backoffInitialMs') as HTMLInputElement).value).toBe('2');
    fireEvent.change(screen.getByTestId('supervision-backoffInitialMs'), { target: { value: '5' } });
    fireEvent.change(screen.getByTestId('supervision-crashLoopWindowMs'), { target: { value: '30' } });
    fireEvent.change(screen.getByTestId('supervision-retentionDays'), { target: { value: '90' } });
    fireEvent.click(screen.getByTestId('supervision-resumeMiners'));
    fireEvent.click(screen.getByTestId('supervision-startWithComputer'));
    fireEvent.click(screen.getByTestId('supervision-save'));
    await screen.findByTestId('supervision-saved');
    expect(client.callsOf('saveSettings')[0]).toEqual({
      watchdog: { ...settings.watchdog, backoffInitialMs: 5000, crashLoopWindowMs: 30 * 60_000 },
      history: { retentionDays: 90 },
      resumeMiners: true,
      startWithComputer: true,
    });
    expect(useSettingsStore.getState().settings?.history.retentionDays).toBe(90);
  });

  it('shows the limit on the field and saves nothing out of range', () => {
    const client = createFakeClient();
    const settings = makeSettings();
    render(
      <ClientProvider client={client}>
        <SupervisionSettings settings={settings} />
      </ClientProvider>,
    );
    fireEvent.change(screen.getByTestId('supervision-hangTimeoutMs'), { target: { value: '1' } });
    fireEvent.click(screen.getByTestId('supervision-save'));
    expect(screen.getByTestId('error-watchdog.hangTimeoutMs').textContent).toBe(
      'The API hang timeout must be at least 10 s',
    );
    expect(client.callsOf('saveSettings')).toHaveLength(0);
  });

  it('cannot set "Start with the computer" where the app has no login item, and says where to look', async () => {
    const client = createFakeClient();
    const reason = 'see "Start at boot (headless)" in the README (a systemd user unit)';
    const settings = makeSettings({ startWithComputerSupport: { available: false, reason } });
    render(
      <ClientProvider client={client}>
        <SupervisionSettings settings={settings} />
      </ClientProvider>,
    );
    const box = screen.getByTestId('supervision-startWithComputer') as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect(screen.getByTestId('supervision-form').textContent).toContain('systemd user unit');
    fireEvent.click(screen.getByTestId('supervision-save'));
    await screen.findByTestId('supervision-saved');
    expect(client.callsOf('saveSettings')[0]).not.toHaveProperty('startWithComputer');
  });
});
