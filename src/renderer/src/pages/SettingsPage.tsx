// Settings: stats interval, tray and start-up behaviour (desktop only), theme; the data folder is shown
// read-only. Validated with the contract's saveSettings schema; server errors land on the same fields.
import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../shared/contract';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { SaveFooter } from '../components/SaveFooter';
import { SupervisionSettings } from '../components/SupervisionSettings';
import { useSettingsForm } from '../forms/useSettingsForm';
import { useSettingsStore } from '../store/settingsStore';
import { useUiStore } from '../store/uiStore';
import { CpuBudgetSection } from './settings/CpuBudgetSection';
import { PauseRulesSection } from './settings/PauseRulesSection';

type Theme = SettingsView['theme'];
const THEMES: readonly { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];
const FIELDS = ['statsIntervalMs', 'closeToTray', 'startMinimized', 'theme'];

function SettingsForm({ settings }: { settings: SettingsView }) {
  // A browser tab has no tray and no window to minimise: those settings belong to the desktop app.
  const desktop = useUiStore((s) => s.host === 'desktop');
  const [interval, setIntervalMs] = useState(String(settings.statsIntervalMs));
  const [closeToTray, setCloseToTray] = useState(settings.closeToTray);
  const [startMinimized, setStartMinimized] = useState(settings.startMinimized);
  const [theme, setTheme] = useState<Theme>(settings.theme);
  const form = useSettingsForm(FIELDS);
  const { errors } = form;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input = {
      statsIntervalMs: interval.trim() === '' ? Number.NaN : Number(interval),
      theme,
      ...(desktop ? { closeToTray, startMinimized } : {}),
    };
    await form.submit(input, (map) =>
      Number.isNaN(input.statsIntervalMs)
        ? { ...map, statsIntervalMs: 'Stats interval must be a number' }
        : map,
    );
  };

  return (
    <form
      className="card settings-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="settings-form"
    >
      <TextField
        id="settings-statsInterval"
        label="Stats interval (ms)"
        path="statsIntervalMs"
        type="number"
        min={250}
        max={60_000}
        step={250}
        value={interval}
        error={errors.statsIntervalMs}
        onChange={(v) => {
          setIntervalMs(v);
          form.touched();
        }}
        hint="How often miner stats are collected (250 ms – 60 s)"
      />
      {desktop && (
        <>
          <CheckboxField
            id="settings-closeToTray"
            label="Close to tray"
            path="closeToTray"
            error={errors.closeToTray}
            checked={closeToTray}
            onChange={setCloseToTray}
            hint="Closing the window keeps HashDeck and its miners running in the system tray"
          />
          <CheckboxField
            id="settings-startMinimized"
            label="Start minimized"
            path="startMinimized"
            error={errors.startMinimized}
            checked={startMinimized}
            onChange={setStartMinimized}
          />
        </>
      )}
      <SelectField<Theme>
        id="settings-theme"
        label="Theme"
        path="theme"
        error={errors.theme}
        value={theme}
        options={THEMES}
        onChange={setTheme}
      />
      <div className="field">
        <label htmlFor="settings-dataDir">Data folder</label>
        <input id="settings-dataDir" value={settings.dataDir} readOnly data-testid="settings-dataDir" />
      </div>
      <SaveFooter testId="settings" state={form} label="Save settings" savedNote="Settings saved." />
    </form>
  );
}

export function SettingsPage() {
  const settings = useSettingsStore((s) => s.settings);
  return (
    <div className="page" data-testid="page-settings">
      <h1 className="page-title">Settings</h1>
      {settings ? <SettingsForm settings={settings} /> : <p className="muted">Loading settings…</p>}
      {settings && <CpuBudgetSection settings={settings} />}
      {settings && <PauseRulesSection settings={settings} />}
      {settings && <SupervisionSettings settings={settings} />}
    </div>
  );
}
