// Throttle controls of one running miner: threads, CPU % hint, priority and its own CPU budget, applied
// only for this run or also saved to its profile; then pending → applied (or why not) from the snapshot.
import { memo, useMemo, useState } from 'react';
import { commandSchemas } from '../../../shared/contract';
import type { MinerControl, MinerSnapshot } from '../../../shared/model';
import { useClient } from '../client/ClientContext';
import { zodErrorMap } from '../forms/fieldErrors';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import {
  applyLine,
  extraMessage,
  knobsOfConfig,
  knobsText,
  outcomeOf,
  resultLine,
  sameKnobs,
  scopeLine,
  type StatusLine,
  type ThrottleOutcome,
} from '../store/throttleView';
import { useMinerOperation } from './useMinerOperation';

const PRESETS = [25, 50, 75, 100] as const;
const PRIORITIES = ['', '0', '1', '2', '3', '4', '5'] as const;

type Scope = 'run' | 'profile';

function Status({ id, line, mode }: { id: string; line: StatusLine; mode: string | undefined }) {
  return (
    <p
      className={`throttle-result throttle-${line.state}`}
      role={line.state === 'failed' ? 'alert' : 'status'}
      data-testid={`throttle-result-${id}`}
      data-state={line.state}
      data-mode={mode}
    >
      {line.text}
    </p>
  );
}

/** What the process runs now against what its profile says (the budget may hold the running ones lower). */
function KnobsCompare({ miner, profileName }: { miner: ThrottleMiner; profileName: string | null }) {
  const profile = useProfilesStore((s) => s.list.find((p) => p.id === miner.profileId) ?? null);
  const effective = miner.control?.effective ?? null;
  const held = miner.control?.budget && miner.control.budget.stage !== 'within';
  const own = profile ? knobsOfConfig(profile.config) : null;
  return (
    <dl className="throttle-knobs" data-testid={`throttle-knobs-${miner.id}`}>
      {effective && (
        <div>
          <dt>Running now</dt>
          <dd data-testid={`throttle-effective-${miner.id}`}>
            {knobsText(effective)}
            {held && <span className="muted"> (held by the CPU budget)</span>}
          </dd>
        </div>
      )}
      <div>
        <dt>{profileName ? `Profile “${profileName}”` : 'Profile'}</dt>
        <dd data-testid={`throttle-profile-${miner.id}`}>
          {own ? knobsText(own) : 'This miner was not started from a saved profile.'}
          {own && effective && !sameKnobs(own, effective) && (
            <span className="muted"> (differs from the running miner)</span>
          )}
        </dd>
      </div>
    </dl>
  );
}

/**
 * What the panel needs of a miner: not its stats, so a stats tick (which replaces only `stats`) does
 * not re-render the form.
 */
type ThrottleMiner = Pick<MinerSnapshot, 'id' | 'minerType' | 'profileId' | 'config'> & {
  control: MinerControl | undefined;
};

export const ThrottleControls = memo(function ThrottleControls(props: ThrottleMiner) {
  const { id, minerType, profileId, config, control } = props;
  const miner = useMemo<ThrottleMiner>(
    () => ({ id, minerType, profileId, config, control }),
    [id, minerType, profileId, config, control],
  );
  const client = useClient();
  const { pending, run } = useMinerOperation(id);
  const profileName = useProfilesStore((s) => s.list.find((p) => p.id === profileId)?.name ?? null);
  const [error, setError] = useState<string | null>(null);
  const [threads, setThreads] = useState(String(config.threads));
  const [hint, setHint] = useState(config.cpuMaxThreadsHint);
  const [priority, setPriority] = useState(
    config.cpuPriority === undefined ? '' : String(config.cpuPriority),
  );
  const [budget, setBudget] = useState(
    config.cpuBudgetPercent === undefined ? '' : String(config.cpuBudgetPercent),
  );
  const [scope, setScope] = useState<Scope>('run');
  const [outcome, setOutcome] = useState<ThrottleOutcome | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const busy = pending !== null;
  const live = control?.throttle ?? null;
  const p = `throttle-${id}`;
  const ttminer = minerType === 'ttminer';

  const apply = async () => {
    setOutcome(null);
    const persist = scope === 'profile';
    const input = {
      id,
      persist,
      threads: threads.trim() === '' ? undefined : Number(threads),
      cpuMaxThreadsHint: hint,
      cpuPriority: priority === '' ? undefined : Number(priority),
      // Empty: no budget of its own (0 removes one the miner had).
      cpuBudgetPercent: budget.trim() === '' ? 0 : Number(budget),
    };
    const parsed = commandSchemas.setThrottle.safeParse(input);
    if (!parsed.success) {
      setInvalid(Object.values(zodErrorMap(parsed.error)).join(' '));
      return;
    }
    setInvalid(null);
    setError(null);
    const res = await run('throttle', () => client.setThrottle(input), { onError: setError });
    if (!res) return;
    setOutcome(outcomeOf(res, persist));
    useMinersStore.getState().upsert(res.miner);
  };

  // While the request waits for the miner's confirmation, the snapshot already says it is pending.
  const waiting = !outcome && pending === 'throttle' && live?.by === 'user' && live.state === 'pending';
  const status = outcome ? resultLine(outcome, live, miner) : waiting && live ? applyLine(live, miner) : null;
  const extra = outcome ? extraMessage(outcome, live) : null;

  return (
    <fieldset className="throttle" aria-label="Throttle" disabled={busy}>
      <legend>Throttle</legend>
      {ttminer && (
        <p className="muted throttle-note" data-testid={`throttle-next-start-${id}`}>
          TT-Miner has no live settings: changes here apply when it starts next.
        </p>
      )}
      <KnobsCompare miner={miner} profileName={profileName} />
      <div className="throttle-row">
        <label htmlFor={`${p}-threads`}>Threads</label>
        <input
          id={`${p}-threads`}
          type="number"
          min={0}
          max={1024}
          value={threads}
          onChange={(e) => setThreads(e.target.value)}
          data-testid={`throttle-threads-${id}`}
          aria-describedby={`${p}-threads-hint`}
        />
        <span className="field-hint" id={`${p}-threads-hint`}>
          0 = auto
        </span>
      </div>
      <div className="throttle-row">
        <label htmlFor={`${p}-hint`}>CPU % hint</label>
        <input
          id={`${p}-hint`}
          type="range"
          min={1}
          max={100}
          value={hint}
          onChange={(e) => setHint(Number(e.target.value))}
          data-testid={`throttle-hint-${id}`}
          aria-valuetext={`${hint} %`}
        />
        <output htmlFor={`${p}-hint`} data-testid={`throttle-hint-value-${id}`}>
          {hint} %
        </output>
        <div className="button-group" role="group" aria-label="CPU % presets">
          {PRESETS.map((v) => (
            <button
              key={v}
              type="button"
              className="btn btn-small"
              aria-pressed={hint === v}
              data-testid={`throttle-preset-${id}-${v}`}
              onClick={() => setHint(v)}
            >
              {v}%
            </button>
          ))}
        </div>
      </div>
      <div className="throttle-row">
        <label htmlFor={`${p}-priority`}>Priority</label>
        <select
          id={`${p}-priority`}
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
          data-testid={`throttle-priority-${id}`}
        >
          {PRIORITIES.map((v) => (
            <option key={v} value={v}>
              {v === '' ? 'default' : v}
            </option>
          ))}
        </select>
      </div>
      <div className="throttle-row">
        <label htmlFor={`${p}-budget`}>CPU budget</label>
        <input
          id={`${p}-budget`}
          type="number"
          min={1}
          max={100}
          value={budget}
          placeholder="none"
          onChange={(e) => setBudget(e.target.value)}
          data-testid={`throttle-budget-${id}`}
          aria-describedby={`${p}-budget-hint`}
        />
        <span className="field-hint" id={`${p}-budget-hint`}>
          % of this computer this miner may use at most; empty = no budget of its own
        </span>
      </div>
      <fieldset className="throttle-scope">
        <legend>Apply the change</legend>
        <label>
          <input
            type="radio"
            name={`${p}-scope`}
            value="run"
            checked={scope === 'run'}
            onChange={() => setScope('run')}
            data-testid={`throttle-scope-run-${id}`}
          />{' '}
          Only for this run
        </label>
        <label>
          <input
            type="radio"
            name={`${p}-scope`}
            value="profile"
            checked={scope === 'profile'}
            onChange={() => setScope('profile')}
            disabled={!profileName}
            data-testid={`throttle-scope-profile-${id}`}
          />{' '}
          {profileName ? `Also save to the profile “${profileName}”` : 'Also save to its profile (none)'}
        </label>
      </fieldset>
      <div className="throttle-row">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void apply()}
          data-testid={`throttle-apply-${id}`}
        >
          {pending === 'throttle' ? 'Applying…' : 'Apply'}
        </button>
      </div>
      {status && <Status id={id} line={status} mode={outcome?.mode} />}
      {outcome && (
        <p
          className="throttle-scope-result"
          data-testid={`throttle-saved-${id}`}
          data-persist={outcome.persist}
        >
          {scopeLine(outcome, profileName)}
        </p>
      )}
      {extra && (
        <p className="muted throttle-message" data-testid={`throttle-message-${id}`}>
          {extra}
        </p>
      )}
      {(invalid ?? error) && (
        <p className="field-error" role="alert" data-testid={`throttle-error-${id}`}>
          {invalid ?? error}
        </p>
      )}
    </fieldset>
  );
});
