// Settings of what lasts and what watches: the watchdog (restart on crash with growing delays, give up
// after repeated failures, restart a hung miner), how long history is kept, and start-up (start with
// the computer, resume the miners that ran). Its own card and Save, validated with the contract schema.
import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../shared/contract';
import { useSettingsForm } from '../forms/useSettingsForm';
import { CheckboxField, TextField } from './fields';
import { SaveFooter } from './SaveFooter';

const S = 1000;
const MIN = 60 * S;

/** The numeric fields, in the unit the user types (seconds or minutes) and the schema's path. */
const NUMBERS = [
  {
    key: 'backoffInitialMs',
    label: 'First restart after (s)',
    unit: S,
    hint: 'Doubles after each further failure',
  },
  { key: 'backoffMaxMs', label: 'Longest wait between restarts (s)', unit: S, hint: undefined },
  { key: 'crashLoopCount', label: 'Give up after this many failures…', unit: 1, hint: undefined },
  {
    key: 'crashLoopWindowMs',
    label: '…within (minutes)',
    unit: MIN,
    hint: 'Then the miner stays stopped until you start it, and a notification says why',
  },
  {
    key: 'hangTimeoutMs',
    label: 'Restart when its stats do not answer for (s)',
    unit: S,
    hint: undefined,
  },
  {
    key: 'warmupGraceMs',
    label: 'Allow a warm-up of up to (minutes)',
    unit: MIN,
    hint: 'No 0 H/s restart before the first hashrate or this long after a start (RandomX prepares its dataset first)',
  },
] as const;

type NumberKey = (typeof NUMBERS)[number]['key'];

/** The paths shown under a field; a server error on any other lands on the form. */
const FIELDS = [...NUMBERS.map((n) => `watchdog.${n.key}`), 'history.retentionDays'];

const fmt = (value: number, unit: number) => String(Math.round((value / unit) * 100) / 100);

export function SupervisionSettings({ settings }: { settings: SettingsView }) {
  const [enabled, setEnabled] = useState(settings.watchdog.enabled);
  const [numbers, setNumbers] = useState<Record<NumberKey, string>>(
    () =>
      Object.fromEntries(NUMBERS.map((n) => [n.key, fmt(settings.watchdog[n.key], n.unit)])) as Record<
        NumberKey,
        string
      >,
  );
  const [retention, setRetention] = useState(String(settings.history.retentionDays));
  const [startWithComputer, setStartWithComputer] = useState(settings.startWithComputer);
  const [resumeMiners, setResumeMiners] = useState(settings.resumeMiners);
  const form = useSettingsForm(FIELDS);
  const { errors } = form;
  const autostart = settings.startWithComputerSupport ?? { available: false, reason: null };

  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      form.touched();
    };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const watchdog = { ...settings.watchdog, enabled };
    for (const n of NUMBERS) {
      const text = numbers[n.key].trim();
      watchdog[n.key] = text === '' ? Number.NaN : Math.round(Number(text) * n.unit);
    }
    const input = {
      watchdog,
      history: { retentionDays: retention.trim() === '' ? Number.NaN : Number(retention) },
      resumeMiners,
      ...(autostart.available ? { startWithComputer } : {}),
    };
    await form.submit(input);
  };

  return (
    <form
      className="card settings-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="supervision-title"
      data-testid="supervision-form"
    >
      <h2 id="supervision-title">Watchdog, history and start-up</h2>
      <CheckboxField
        id="supervision-enabled"
        label="Restart miners that crash, hang or stop hashing"
        path="watchdog.enabled"
        error={errors['watchdog.enabled']}
        checked={enabled}
        onChange={change(setEnabled)}
        hint="Never for a paused miner; every restart is logged with its reason and marked on the chart"
      />
      {NUMBERS.map((n) => (
        <TextField
          key={n.key}
          id={`supervision-${n.key}`}
          label={n.label}
          path={`watchdog.${n.key}`}
          type="number"
          value={numbers[n.key]}
          error={errors[`watchdog.${n.key}`]}
          disabled={!enabled}
          onChange={change((v: string) => setNumbers((prev) => ({ ...prev, [n.key]: v })))}
          hint={n.hint}
        />
      ))}
      <TextField
        id="supervision-retentionDays"
        label="Keep history for (days)"
        path="history.retentionDays"
        type="number"
        min={1}
        max={3650}
        value={retention}
        error={errors['history.retentionDays']}
        onChange={change(setRetention)}
        hint="1-minute points of every miner in the data folder; older days are removed once a day"
      />
      <CheckboxField
        id="supervision-startWithComputer"
        label="Start HashDeck with the computer"
        path="startWithComputer"
        error={errors.startWithComputer}
        checked={autostart.available ? startWithComputer : false}
        disabled={!autostart.available}
        onChange={change(setStartWithComputer)}
        hint={
          autostart.available
            ? 'Opens HashDeck when you log in; mining starts only as set below'
            : autostart.reason
        }
      />
      <CheckboxField
        id="supervision-resumeMiners"
        label="Resume the miners that were running when HashDeck last quit"
        path="resumeMiners"
        error={errors.resumeMiners}
        checked={resumeMiners}
        onChange={change(setResumeMiners)}
        hint="A notice names the miners it started"
      />
      <SaveFooter testId="supervision" state={form} label="Save" savedNote="Saved." />
    </form>
  );
}
