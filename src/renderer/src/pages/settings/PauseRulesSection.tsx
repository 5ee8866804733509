// Settings section "Pause rules": each rule with its own settings (idle time, battery, weekly schedule,
// listed programs, GPU temperature); a rule that cannot work where the app runs is shown disabled with why.
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  DEFAULT_PAUSE_RULES,
  pauseRulesSchema,
  type PauseRuleSupport,
  type PauseRulesSettings,
  type SettingsView,
} from '../../../../shared/contract';
import type { PauseRuleId } from '../../../../shared/model';
import { CheckboxField, FieldError, TextField } from '../../components/fields';
import { SaveFooter } from '../../components/SaveFooter';
import { zodErrorMap, type ErrorMap } from '../../forms/fieldErrors';
import { ScheduleEditor, windowKey, type WindowDraft } from './ScheduleEditor';
import { SettingsSection } from './SettingsSection';
import { useSectionSave } from './useSectionSave';

interface Draft {
  userActive: { enabled: boolean; idleSeconds: string };
  onBattery: { enabled: boolean };
  schedule: { enabled: boolean; windows: WindowDraft[] };
  /** One program name per line. */
  processes: { enabled: boolean; names: string };
  gpuTemperature: { enabled: boolean; maxCelsius: string; cooldownSeconds: string };
}

function draftOf(r: PauseRulesSettings): Draft {
  return {
    userActive: { enabled: r.userActive.enabled, idleSeconds: String(r.userActive.idleSeconds) },
    onBattery: { enabled: r.onBattery.enabled },
    schedule: {
      enabled: r.schedule.enabled,
      windows: r.schedule.windows.map((w) => ({
        key: windowKey(),
        days: [...w.days],
        start: w.start,
        end: w.end,
      })),
    },
    processes: { enabled: r.processes.enabled, names: r.processes.names.join('\n') },
    gpuTemperature: {
      enabled: r.gpuTemperature.enabled,
      maxCelsius: String(r.gpuTemperature.maxCelsius),
      cooldownSeconds: String(r.gpuTemperature.cooldownSeconds),
    },
  };
}

const NUMBER_FIELDS = [
  'userActive.idleSeconds',
  'gpuTemperature.maxCelsius',
  'gpuTemperature.cooldownSeconds',
];

/** The draft as the contract's shape (validated by the caller); empty number fields become NaN. */
function settingsOf(d: Draft): unknown {
  const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));
  return {
    userActive: { enabled: d.userActive.enabled, idleSeconds: num(d.userActive.idleSeconds) },
    onBattery: { enabled: d.onBattery.enabled },
    schedule: {
      enabled: d.schedule.enabled,
      windows: d.schedule.windows.map((w) => ({ days: w.days, start: w.start, end: w.end })),
    },
    processes: {
      enabled: d.processes.enabled,
      names: d.processes.names
        .split('\n')
        .map((n) => n.trim())
        .filter((n) => n !== ''),
    },
    gpuTemperature: {
      enabled: d.gpuTemperature.enabled,
      maxCelsius: num(d.gpuTemperature.maxCelsius),
      cooldownSeconds: num(d.gpuTemperature.cooldownSeconds),
    },
  };
}

/** Errors by path, with plain words for an empty number and line numbers for program names. */
function errorsOf(map: ErrorMap, d: Draft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(map)) {
    const name = /^processes\.names\.(\d+)$/.exec(path);
    if (name) {
      out['processes.names'] ??= `Line ${Number(name[1]) + 1}: ${message}`;
      continue;
    }
    out[path] = message;
  }
  const values: Record<string, string> = {
    'userActive.idleSeconds': d.userActive.idleSeconds,
    'gpuTemperature.maxCelsius': d.gpuTemperature.maxCelsius,
    'gpuTemperature.cooldownSeconds': d.gpuTemperature.cooldownSeconds,
  };
  for (const path of NUMBER_FIELDS) {
    const v = values[path] ?? '';
    if (out[path] && (v.trim() === '' || Number.isNaN(Number(v)))) out[path] = 'Enter a whole number';
  }
  return out;
}

const SUPPORTED: PauseRuleSupport = { available: true, reason: null };

function Rule(props: { rule: PauseRuleId; title: string; support: PauseRuleSupport; children: ReactNode }) {
  return (
    <fieldset
      className={`pause-rule${props.support.available ? '' : ' pause-rule-unavailable'}`}
      data-testid={`rule-${props.rule}`}
      data-available={props.support.available}
    >
      <legend>{props.title}</legend>
      {!props.support.available && (
        <p className="muted pause-rule-why" data-testid={`rule-${props.rule}-unavailable`}>
          Not available here: {props.support.reason ?? 'this computer cannot tell'}.
        </p>
      )}
      {props.children}
    </fieldset>
  );
}

export function PauseRulesSection({ settings }: { settings: SettingsView }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings.pauseRules ?? DEFAULT_PAUSE_RULES));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const s = useSectionSave('pauseRules');
  const shown: Record<string, string> = { ...errorsOf(s.serverErrors, draft), ...errors };
  const support = (rule: PauseRuleId) => settings.pauseRuleSupport?.[rule] ?? SUPPORTED;

  const edit = <K extends keyof Draft>(key: K, patch: Partial<Draft[K]>) => {
    setDraft((d) => ({ ...d, [key]: { ...d[key], ...patch } }));
    s.touched();
  };
  /** A rule that cannot work here can still be switched off, never on. */
  const enabledField = (rule: PauseRuleId, label: string, hint?: string) => (
    <CheckboxField
      id={`rule-${rule}-enabled`}
      label={label}
      path={`${rule}.enabled`}
      checked={draft[rule].enabled}
      disabled={!support(rule).available && !draft[rule].enabled}
      error={shown[`${rule}.enabled`]}
      onChange={(enabled) => edit(rule, { enabled })}
      hint={hint}
    />
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = pauseRulesSchema.safeParse(settingsOf(draft));
    if (!parsed.success) {
      setErrors(errorsOf(zodErrorMap(parsed.error), draft));
      return;
    }
    setErrors({});
    await s.save({ pauseRules: parsed.data });
  };

  const scheduleErrors = Object.fromEntries(
    Object.entries(shown)
      .filter(([path]) => path.startsWith('schedule.'))
      .map(([path, message]) => [path.slice('schedule.'.length), message]),
  );

  return (
    <SettingsSection id="pause-rules" title="Pause rules" testId="settings-pause-rules">
      <p className="muted">
        Mining runs only while no rule says pause. A miner a rule paused shows which rule it was, and offers
        “Mine anyway for 1 hour”. A rule never resumes a miner you paused yourself.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Rule rule="userActive" title="While I use the computer" support={support('userActive')}>
          {enabledField('userActive', 'Pause while I use the computer')}
          <TextField
            id="rule-userActive-idleSeconds"
            label="Resume after this many seconds without keyboard or mouse input"
            path="userActive.idleSeconds"
            type="number"
            min={10}
            max={86_400}
            value={draft.userActive.idleSeconds}
            error={shown['userActive.idleSeconds']}
            onChange={(idleSeconds) => edit('userActive', { idleSeconds })}
            disabled={!support('userActive').available}
          />
        </Rule>
        <Rule rule="onBattery" title="On battery" support={support('onBattery')}>
          {enabledField('onBattery', 'Pause while the computer runs on battery')}
        </Rule>
        <Rule rule="schedule" title="Weekly schedule" support={support('schedule')}>
          {enabledField(
            'schedule',
            'Mine only inside these times',
            'Outside every window, miners pause. A window whose end is before its start runs past midnight.',
          )}
          <ScheduleEditor
            windows={draft.schedule.windows}
            errors={scheduleErrors}
            onChange={(windows) => edit('schedule', { windows })}
          />
          <FieldError path="schedule.windows" message={shown['schedule.windows']} idPrefix="rule-schedule-" />
        </Rule>
        <Rule rule="processes" title="While these programs run" support={support('processes')}>
          {enabledField('processes', 'Pause while any of these programs runs')}
          <div className="field">
            <label htmlFor="rule-processes-names">Programs, one name per line</label>
            <textarea
              id="rule-processes-names"
              rows={4}
              value={draft.processes.names}
              onChange={(e) => edit('processes', { names: e.target.value })}
              aria-invalid={shown['processes.names'] ? true : undefined}
              aria-describedby="rule-processes-names-hint"
              spellCheck={false}
              data-testid="rule-processes-names"
            />
            <span className="field-hint" id="rule-processes-names-hint">
              The name as the task list shows it, without a folder: “game.exe”, “zoom”. Upper or lower case
              and “.exe” do not matter.
            </span>
            <FieldError
              path="processes.names"
              message={shown['processes.names']}
              idPrefix="rule-processes-"
            />
          </div>
        </Rule>
        <Rule rule="gpuTemperature" title="GPU temperature" support={support('gpuTemperature')}>
          {enabledField(
            'gpuTemperature',
            'Pause a GPU miner when its GPU gets too hot',
            '“Mine anyway” never overrides this rule: it protects the hardware.',
          )}
          <div className="form-grid">
            <TextField
              id="rule-gpuTemperature-maxCelsius"
              label="Pause at (°C)"
              path="gpuTemperature.maxCelsius"
              type="number"
              min={40}
              max={110}
              value={draft.gpuTemperature.maxCelsius}
              error={shown['gpuTemperature.maxCelsius']}
              onChange={(maxCelsius) => edit('gpuTemperature', { maxCelsius })}
              hint="Resumes 10 °C below"
            />
            <TextField
              id="rule-gpuTemperature-cooldownSeconds"
              label="Cool-down before a stopped GPU miner starts again (s)"
              path="gpuTemperature.cooldownSeconds"
              type="number"
              min={30}
              max={3600}
              value={draft.gpuTemperature.cooldownSeconds}
              error={shown['gpuTemperature.cooldownSeconds']}
              onChange={(cooldownSeconds) => edit('gpuTemperature', { cooldownSeconds })}
              hint="TT-Miner is stopped to pause it, so it cannot report its temperature meanwhile"
            />
          </div>
        </Rule>
        <SaveFooter testId="pauseRules" state={s} label="Save pause rules" savedNote="Pause rules saved." />
      </form>
    </SettingsSection>
  );
}
