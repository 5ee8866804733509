// "Install XMRig (verified)" in one place: the button, then the install's progress with Cancel, then
// how it ended (installed, or why not and what to do, with "Try again"). An install running from any
// other view or window shows here too, so two installs are never started side by side.
import type { InstallStatus } from '../../../../shared/contract';
import type { ErrorPayload } from '../../../../shared/errors';
import { InstallFailure } from './InstallFailure';
import { InstallProgress } from './InstallProgress';
import { useInstall } from './useInstall';

interface Props {
  /** Test id of the button; the progress, failure and success get it as a prefix. */
  testId: string;
  /** A version to install (an update, a reinstall); default: the newest tested one. */
  version?: string;
  label?: string;
  primary?: boolean;
  onSucceeded?: (status: InstallStatus) => void;
}

const CANCELLED: ErrorPayload = { code: 'CANCELLED', message: 'The XMRig install was cancelled' };

export function InstallXmrig({
  testId,
  version,
  label = 'Install XMRig (verified)',
  primary,
  onSucceeded,
}: Props) {
  const { status, refused, starting, cancelling, start, cancel } = useInstall(onSucceeded);
  if (status?.state === 'running') {
    return (
      <InstallProgress
        status={status}
        cancelling={cancelling}
        onCancel={() => void cancel()}
        testId={`${testId}-progress`}
      />
    );
  }
  const ended = status && status.state !== 'succeeded' ? (status.error ?? CANCELLED) : null;
  const failure = refused ?? ended;
  return (
    <div className="install-box">
      {failure && <InstallFailure error={failure} what="install" testId={`${testId}-failure`} />}
      {status?.state === 'succeeded' ? (
        <p className="install-done" role="status" data-testid={`${testId}-done`}>
          XMRig {status.version} is installed and verified.
        </p>
      ) : (
        <button
          type="button"
          className={primary ? 'btn btn-primary' : 'btn'}
          disabled={starting}
          onClick={() => void start(version)}
          data-testid={testId}
        >
          {starting ? 'Starting the install…' : failure && failure.code !== 'CANCELLED' ? 'Try again' : label}
        </button>
      )}
    </div>
  );
}
