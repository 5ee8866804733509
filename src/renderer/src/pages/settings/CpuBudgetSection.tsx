// Settings section "CPU budget": whether HashDeck holds all running miners together to at most N % of
// this computer (100 % = every logical core), saved on its own with the contract's schema.
import { useState, type FormEvent } from 'react';
import { cpuBudgetSettingsSchema, DEFAULT_CPU_BUDGET, type SettingsView } from '../../../../shared/contract';
import { CheckboxField, TextField } from '../../components/fields';
import { SaveFooter } from '../../components/SaveFooter';
import { zodErrorMap, type ErrorMap } from '../../forms/fieldErrors';
import { SettingsSection } from './SettingsSection';
import { useSectionSave } from './useSectionSave';

export function CpuBudgetSection({ settings }: { settings: SettingsView }) {
  const initial = settings.cpuBudget ?? DEFAULT_CPU_BUDGET;
  const [enabled, setEnabled] = useState(initial.enabled);
  const [percent, setPercent] = useState(String(initial.machinePercent));
  const [errors, setErrors] = useState<ErrorMap>({});
  const s = useSectionSave('cpuBudget');
  const shown = { ...s.serverErrors, ...errors };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = { enabled, machinePercent: percent.trim() === '' ? Number.NaN : Number(percent) };
    const parsed = cpuBudgetSettingsSchema.safeParse(value);
    if (!parsed.success) {
      const map = zodErrorMap(parsed.error);
      setErrors(
        Number.isNaN(value.machinePercent)
          ? { ...map, machinePercent: 'CPU budget must be a number between 5 and 100' }
          : map,
      );
      return;
    }
    setErrors({});
    await s.save({ cpuBudget: parsed.data });
  };

  return (
    <SettingsSection id="cpu-budget" title="CPU budget" testId="settings-cpu-budget">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <CheckboxField
          id="cpuBudget-enabled"
          label="Limit how much of this computer the miners use"
          path="enabled"
          checked={enabled}
          error={shown.enabled}
          onChange={(v) => {
            setEnabled(v);
            s.touched();
          }}
          hint="HashDeck takes threads away first, then lowers the miners' priority, and pauses them in short pulses only for what remains. It never restarts a miner, and gives everything back when the budget is lifted."
        />
        <TextField
          id="cpuBudget-machinePercent"
          label="Miners may use at most (% of this computer)"
          path="machinePercent"
          type="number"
          min={5}
          max={100}
          step={5}
          value={percent}
          error={shown.machinePercent}
          onChange={(v) => {
            setPercent(v);
            s.touched();
          }}
          hint="All running miners together; 100 % is every logical core busy. A miner's own budget (Miners page) takes its share out of this."
        />
        <SaveFooter
          testId="cpuBudget"
          state={s}
          label="Save CPU budget"
          savedNote={
            enabled ? `Saved: miners use at most ${percent} % of this computer.` : 'Saved: no CPU budget.'
          }
        />
      </form>
    </SettingsSection>
  );
}
