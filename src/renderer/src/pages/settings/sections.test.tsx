// @vitest-environment jsdom
// The Settings page's CPU budget and pause-rule sections: each saved whole and on its own, validated by
// the contract's schemas (server field errors land on the same fields), rules that cannot work here
// shown disabled with why, the weekly schedule edited window by window, programs as text lines.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PAUSE_RULES, type SettingsView } from '../../../../shared/contract';
import { MinerError } from '../../../../shared/errors';
import { ClientProvider } from '../../client/ClientContext';
import { useSettingsStore } from '../../store/settingsStore';
import { resetStores } from '../../store/sync';
import { createFakeClient, type FakeClient } from '../../test/fakeClient';
import { makeSettings } from '../../test/fixtures';
import { SettingsPage } from '../SettingsPage';

afterEach(() => {
  cleanup();
  resetStores();
});

const HEADLESS_SUPPORT: NonNullable<SettingsView['pauseRuleSupport']> = {
  userActive: {
    available: false,
    reason: 'Idle time is unavailable here (headless mode has no desktop session)',
  },
  onBattery: { available: false, reason: 'The power source cannot be read on this computer' },
  schedule: { available: true, reason: null },
  processes: { available: true, reason: null },
  gpuTemperature: { available: true, reason: null },
};

function renderPage(overrides: Partial<SettingsView> = {}): FakeClient {
  const settings = makeSettings({
    cpuBudget: { enabled: false, machinePercent: 50 },
    pauseRules: DEFAULT_PAUSE_RULES,
    pauseRuleSupport: HEADLESS_SUPPORT,
    ...overrides,
  });
  const client = createFakeClient({ settings });
  useSettingsStore.getState().set(settings);
  render(
    <ClientProvider client={client}>
      <SettingsPage />
    </ClientProvider>,
  );
  return client;
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe('CPU budget section', () => {
  it('refuses a budget under 5 %, then saves only the budget, whole', async () => {
    const client = renderPage();
    expect(input('cpuBudget-enabled').checked).toBe(false);
    fireEvent.click(input('cpuBudget-enabled'));
    fireEvent.change(input('cpuBudget-machinePercent'), { target: { value: '2' } });
    fireEvent.click(screen.getByTestId('cpuBudget-save'));
    expect(screen.getByTestId('error-machinePercent').textContent).toBe(
      'CPU budget must be between 5 and 100 %',
    );
    expect(input('cpuBudget-machinePercent').getAttribute('aria-invalid')).toBe('true');
    expect(client.callsOf('saveSettings')).toHaveLength(0);

    fireEvent.change(input('cpuBudget-machinePercent'), { target: { value: '40' } });
    fireEvent.click(screen.getByTestId('cpuBudget-save'));
    expect((await screen.findByTestId('cpuBudget-saved')).textContent).toBe(
      'Saved: miners use at most 40 % of this computer.',
    );
    expect(client.callsOf('saveSettings')).toEqual([{ cpuBudget: { enabled: true, machinePercent: 40 } }]);
    expect(useSettingsStore.getState().settings?.cpuBudget).toEqual({ enabled: true, machinePercent: 40 });
  });

  it('puts a server field error on its field', async () => {
    const client = renderPage();
    client.respond('saveSettings', () => {
      throw new MinerError('INVALID_INPUT', 'bad', [
        { path: 'cpuBudget.machinePercent', message: 'CPU budget must be a whole number' },
      ]);
    });
    fireEvent.click(screen.getByTestId('cpuBudget-save'));
    expect((await screen.findByTestId('error-machinePercent')).textContent).toBe(
      'CPU budget must be a whole number',
    );
  });
});

describe('Pause rules section', () => {
  it('shows the rules that cannot work here disabled, with why, and the others usable', () => {
    renderPage();
    expect(screen.getByTestId('rule-userActive').dataset.available).toBe('false');
    expect(screen.getByTestId('rule-userActive-unavailable').textContent).toBe(
      'Not available here: Idle time is unavailable here (headless mode has no desktop session).',
    );
    expect(input('rule-userActive-enabled').disabled).toBe(true);
    expect(input('rule-onBattery-enabled').disabled).toBe(true);
    expect(input('rule-schedule-enabled').disabled).toBe(false);
    expect(input('rule-processes-enabled').disabled).toBe(false);
    expect(screen.queryByTestId('rule-schedule-unavailable')).toBeNull();
  });

  it('lets a rule that cannot work here be switched off, never on', () => {
    renderPage({ pauseRules: { ...DEFAULT_PAUSE_RULES, onBattery: { enabled: true } } });
    const box = input('rule-onBattery-enabled');
    expect(box.checked).toBe(true);
    expect(box.disabled).toBe(false);
    fireEvent.click(box);
    expect(box.checked).toBe(false);
    expect(box.disabled).toBe(true);
  });

  it('edits the weekly schedule window by window and saves every rule whole', async () => {
    const client = renderPage();
    fireEvent.click(input('rule-schedule-enabled'));
    expect(screen.getByTestId('rule-schedule-empty')).toBeTruthy();
    fireEvent.click(screen.getByTestId('rule-schedule-add'));
    fireEvent.click(screen.getByTestId('rule-schedule-add'));
    const first = screen.getByTestId('schedule-window-0');
    // every control is labelled for a screen reader
    expect(within(first).getByLabelText('Saturday')).toBeTruthy();
    expect(within(first).getByLabelText('From')).toBeTruthy();
    for (const day of [0, 6]) fireEvent.click(screen.getByTestId(`schedule-window-0-day-${day}`));
    fireEvent.change(screen.getByTestId('schedule-window-0-start'), { target: { value: '09:00' } });
    fireEvent.change(screen.getByTestId('schedule-window-0-end'), { target: { value: '17:30' } });
    fireEvent.click(screen.getByTestId('schedule-window-1-remove'));
    fireEvent.click(input('rule-processes-enabled'));
    fireEvent.change(screen.getByTestId('rule-processes-names'), {
      target: { value: 'Game.exe\n\n  zoom  \n' },
    });
    fireEvent.click(screen.getByTestId('pauseRules-save'));
    await screen.findByTestId('pauseRules-saved');
    expect(client.callsOf('saveSettings')).toEqual([
      {
        pauseRules: {
          ...DEFAULT_PAUSE_RULES,
          schedule: { enabled: true, windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:30' }] },
          processes: { enabled: true, names: ['Game.exe', 'zoom'] },
        },
      },
    ]);
  });

  it('says which window has no day and which program line is wrong, and saves nothing', () => {
    const client = renderPage();
    fireEvent.click(screen.getByTestId('rule-schedule-add'));
    for (let day = 0; day < 7; day++) fireEvent.click(screen.getByTestId(`schedule-window-0-day-${day}`));
    fireEvent.change(screen.getByTestId('rule-processes-names'), {
      target: { value: 'steam\n/usr/bin/game' },
    });
    fireEvent.change(input('rule-gpuTemperature-maxCelsius'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('pauseRules-save'));
    expect(screen.getByTestId('schedule-window-0-error-days').textContent).toBe('Pick at least one day');
    expect(screen.getByTestId('error-processes.names').textContent).toBe(
      'Line 2: Give the program name only, without a folder',
    );
    expect(screen.getByTestId('error-gpuTemperature.maxCelsius').textContent).toBe('Enter a whole number');
    expect(client.callsOf('saveSettings')).toHaveLength(0);
  });

  it('keeps the rule settings when only the budget is saved', async () => {
    const client = renderPage({
      pauseRules: { ...DEFAULT_PAUSE_RULES, processes: { enabled: true, names: ['steam'] } },
    });
    expect((screen.getByTestId('rule-processes-names') as HTMLTextAreaElement).value).toBe('steam');
    fireEvent.click(screen.getByTestId('cpuBudget-save'));
    await vi.waitFor(() => expect(client.callsOf('saveSettings')).toHaveLength(1));
    expect(client.callsOf('saveSettings')[0]).not.toHaveProperty('pauseRules');
  });
});
