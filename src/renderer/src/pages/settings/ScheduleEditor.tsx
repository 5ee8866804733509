// The weekly mining schedule as a list of time windows, each a row of labelled day checkboxes and two
// time inputs; keyboard- and screen-reader-friendly (one fieldset per window, every control labelled).
import type { ErrorMap } from '../../forms/fieldErrors';

export interface WindowDraft {
  /** Stable React key: windows are added and removed in the middle. */
  key: number;
  days: number[];
  start: string;
  end: string;
}

/** Monday first; the values are the contract's (0 = Sunday). */
const DAYS: readonly { day: number; short: string; long: string }[] = [
  { day: 1, short: 'Mon', long: 'Monday' },
  { day: 2, short: 'Tue', long: 'Tuesday' },
  { day: 3, short: 'Wed', long: 'Wednesday' },
  { day: 4, short: 'Thu', long: 'Thursday' },
  { day: 5, short: 'Fri', long: 'Friday' },
  { day: 6, short: 'Sat', long: 'Saturday' },
  { day: 0, short: 'Sun', long: 'Sunday' },
];

let nextKey = 1;
export const windowKey = (): number => nextKey++;

/** A new window: every night, 22:00 to 07:00 the next morning. */
export function newWindow(): WindowDraft {
  return { key: windowKey(), days: [0, 1, 2, 3, 4, 5, 6], start: '22:00', end: '07:00' };
}

interface Props {
  windows: readonly WindowDraft[];
  onChange: (windows: WindowDraft[]) => void;
  /** Errors by path inside the schedule ("windows.0.days"). */
  errors: ErrorMap;
}

export function ScheduleEditor({ windows, onChange, errors }: Props) {
  const update = (key: number, patch: Partial<WindowDraft>) =>
    onChange(windows.map((w) => (w.key === key ? { ...w, ...patch } : w)));
  const toggleDay = (w: WindowDraft, day: number, on: boolean) =>
    update(w.key, {
      days: on ? [...new Set([...w.days, day])].sort((a, b) => a - b) : w.days.filter((d) => d !== day),
    });

  return (
    <div className="schedule" data-testid="rule-schedule-windows">
      {windows.length === 0 && (
        <p className="muted" data-testid="rule-schedule-empty">
          No time window yet: with the schedule on and no window, miners never run.
        </p>
      )}
      <ol className="schedule-windows">
        {windows.map((w, i) => {
          const p = `schedule-window-${i}`;
          const err = (field: string) => errors[`windows.${i}.${field}`];
          return (
            <li key={w.key}>
              <fieldset className="schedule-window" data-testid={p}>
                <legend>Time window {i + 1}</legend>
                <div className="schedule-days" role="group" aria-label={`Days of time window ${i + 1}`}>
                  {DAYS.map((d) => (
                    <label key={d.day} className="schedule-day">
                      <input
                        type="checkbox"
                        checked={w.days.includes(d.day)}
                        onChange={(e) => toggleDay(w, d.day, e.target.checked)}
                        aria-label={d.long}
                        data-testid={`${p}-day-${d.day}`}
                      />
                      <span aria-hidden="true">{d.short}</span>
                    </label>
                  ))}
                </div>
                {err('days') && (
                  <p className="field-error" role="alert" data-testid={`${p}-error-days`}>
                    {err('days')}
                  </p>
                )}
                <div className="schedule-times">
                  <label htmlFor={`${p}-start`}>From</label>
                  <input
                    id={`${p}-start`}
                    type="time"
                    value={w.start}
                    onChange={(e) => update(w.key, { start: e.target.value })}
                    aria-invalid={err('start') ? true : undefined}
                    data-testid={`${p}-start`}
                  />
                  <label htmlFor={`${p}-end`}>to</label>
                  <input
                    id={`${p}-end`}
                    type="time"
                    value={w.end}
                    onChange={(e) => update(w.key, { end: e.target.value })}
                    aria-invalid={err('end') ? true : undefined}
                    data-testid={`${p}-end`}
                  />
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => onChange(windows.filter((x) => x.key !== w.key))}
                    data-testid={`${p}-remove`}
                  >
                    Remove window {i + 1}
                  </button>
                </div>
                {(err('start') ?? err('end')) && (
                  <p className="field-error" role="alert" data-testid={`${p}-error-time`}>
                    {err('start') ?? err('end')}
                  </p>
                )}
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => onChange([...windows, newWindow()])}
        data-testid="rule-schedule-add"
      >
        Add a time window
      </button>
    </div>
  );
}
