// Throttle controls of one running miner: threads, CPU % hint (slider + presets) and priority.
// After applying, says whether the change took effect live or needs a restart (the result's mode).
import { memo, useState } from 'react';
import { commandSchemas } from '../../../shared/contract';
import type { ThrottleMode } from '../../../shared/model';
import type { MinerConfig } from '../../../shared/schemas';
import { useClient } from '../client/ClientContext';
import { zodErrorMap } from '../forms/fieldErrors';
import { useMinersStore } from '../store/minersStore';
import { useMinerOperation } from './useMinerOperation';

const PRESETS = [25, 50, 75, 100] as const;
const PRIORITIES = ['', '0', '1', '2', '3', '4', '5'] as const;

const RESULT_TEXT: Record<ThrottleMode, string> = {
  live: 'Applied live.',
  restart: 'Saved. Restart the miner to apply it.',
  unchanged: 'Nothing changed.',
};

interface Props {
  id: string;
  config: MinerConfig;
}

export const ThrottleControls = memo(function ThrottleControls({ id, config }: Props) {
  const client = useClient();
  const { pending, run } = useMinerOperation(id);
  const [error, setError] = useState<string | null>(null);
  const [threads, setThreads] = useState(String(config.threads));
  const [hint, setHint] = useState(config.cpuMaxThreadsHint);
  const [priority, setPriority] = useState(
    config.cpuPriority === undefined ? '' : String(config.cpuPriority),
  );
  const [result, setResult] = useState<ThrottleMode | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const busy = pending !== null;
  const p = `throttle-${id}`;

  const apply = async () => {
    setResult(null);
    const input = {
      id,
      threads: threads.trim() === '' ? undefined : Number(threads),
      cpuMaxThreadsHint: hint,
      cpuPriority: priority === '' ? undefined : Number(priority),
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
    setResult(res.mode);
    useMinersStore.getState().upsert(res.miner);
  };

  return (
    <fieldset className="throttle" aria-label="Throttle" disabled={busy}>
      <legend>Throttle</legend>
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
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void apply()}
          data-testid={`throttle-apply-${id}`}
        >
          {pending === 'throttle' ? 'Applying…' : 'Apply'}
        </button>
      </div>
      {result && (
        <p
          className={`throttle-result throttle-${result}`}
          role="status"
          data-testid={`throttle-result-${id}`}
          data-mode={result}
        >
          {RESULT_TEXT[result]}
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
