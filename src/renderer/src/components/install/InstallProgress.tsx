// One install's progress: the phase in words (announced as it changes), a progress bar (the download's
// share; indeterminate while the size is unknown), bytes of total, percent and speed, and Cancel.
import type { InstallStatus } from '../../../../shared/contract';
import { COUNTED_PHASES, PHASE_ORDER, PHASE_TEXT, progressNumbers } from '../../format/install';

interface Props {
  status: InstallStatus;
  cancelling: boolean;
  onCancel: () => void;
  testId: string;
}

export function InstallProgress({ status, cancelling, onCancel, testId }: Props) {
  const step = PHASE_ORDER[status.phase] + 1;
  const downloaded = PHASE_ORDER[status.phase] > PHASE_ORDER.downloading;
  const value = status.phase === 'downloading' ? status.percent : downloaded ? 100 : null;
  const what = status.version ? `XMRig ${status.version}` : 'XMRig';
  const phaseId = `${testId}-phase`;
  const numbers = status.bytes > 0 || status.phase === 'downloading' ? progressNumbers(status) : null;
  return (
    <div className="install-progress" data-testid={testId} data-phase={status.phase} aria-busy="true">
      <p className="install-phase" id={phaseId} role="status" data-testid={`${testId}-phase`}>
        Installing {what}: {PHASE_TEXT[status.phase]}…{' '}
        <span className="muted">
          (step {Math.min(step, COUNTED_PHASES)} of {COUNTED_PHASES})
        </span>
      </p>
      <progress
        className="install-bar"
        max={100}
        {...(value !== null ? { value } : {})}
        aria-labelledby={phaseId}
        aria-valuetext={numbers ?? PHASE_TEXT[status.phase]}
        data-testid={`${testId}-bar`}
      />
      <div className="install-meta">
        <span className="muted install-numbers" data-testid={`${testId}-numbers`}>
          {numbers ?? '\u00a0'}
        </span>
        <button
          type="button"
          className="btn"
          disabled={cancelling}
          onClick={onCancel}
          data-testid={`${testId}-cancel`}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
