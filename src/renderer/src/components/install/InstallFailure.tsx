// An install or update check that failed, as what happened and what to do (a rate limit says when it
// ends), with the server's own message kept in full; optionally a "Try again" button.
import type { ErrorPayload } from '../../../../shared/errors';
import { failureReason, failureText } from '../../format/install';

interface Props {
  error: ErrorPayload;
  what: 'install' | 'check';
  testId: string;
  onRetry?: () => void;
  retryLabel?: string;
  now?: number;
}

export function InstallFailure({ error, what, testId, onRetry, retryLabel = 'Try again', now }: Props) {
  const text = failureText(error, what, now ?? Date.now());
  const reason = failureReason(error) ?? error.code;
  return (
    <div
      className={`install-failure${reason === 'cancelled' ? ' install-cancelled' : ''}`}
      role="alert"
      data-testid={testId}
      data-reason={reason}
    >
      <p className="install-failure-headline">
        <strong>{text.headline}</strong>
        {text.advice && <> {text.advice}</>}
      </p>
      {reason !== 'cancelled' && (
        <p className="install-failure-detail" data-testid={`${testId}-detail`}>
          {error.message}
        </p>
      )}
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry} data-testid={`${testId}-retry`}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}
