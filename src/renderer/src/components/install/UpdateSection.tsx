// "Check for updates": the newest tested and newest released XMRig (GitHub is asked at most once an hour
// unless the user checks again), whether the answer is fresh or saved, "Install update", and why a
// check failed (offline, rate-limited until a given time).
import { useMemo, useState } from 'react';
import type { UpdateCheck } from '../../../../shared/contract';
import type { ErrorPayload } from '../../../../shared/errors';
import { useClient } from '../../client/ClientContext';
import { toMinerError } from '../../client/minerError';
import { formatClock } from '../../format/time';
import { latestUpdateCheck, useInstallsStore } from '../../store/installsStore';
import { InstallFailure } from './InstallFailure';

interface Props {
  /** An install is running or starting: install buttons wait for it. */
  busy: boolean;
  onInstall: (version: string) => void;
}

function Summary({ check, busy, onInstall }: Props & { check: UpdateCheck }) {
  const { recommended, newerUntested } = check;
  return (
    <>
      {!recommended ? (
        <p data-testid="update-status">No XMRig release tested with HashDeck was found.</p>
      ) : check.updateAvailable && check.current ? (
        <p className="update-available" data-testid="update-status">
          <strong>Update available:</strong> XMRig {recommended.version}, tested with HashDeck (you have{' '}
          {check.current}).{' '}
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || !recommended.asset}
            onClick={() => onInstall(recommended.version)}
            data-testid="update-install"
          >
            Install update
          </button>
        </p>
      ) : check.current ? (
        <p data-testid="update-status">
          Up to date: XMRig {recommended.version} is the newest version tested with HashDeck.
        </p>
      ) : (
        <p data-testid="update-status">
          XMRig {recommended.version} is the newest version tested with HashDeck.
        </p>
      )}
      {recommended && !recommended.asset && (
        <p className="muted">XMRig {recommended.version} publishes no build for this computer.</p>
      )}
      {newerUntested && (
        <p data-testid="update-untested">
          XMRig {newerUntested.version} is out: newer, not yet tested with HashDeck.{' '}
          {newerUntested.installed ? (
            <span className="muted">Installed.</span>
          ) : (
            newerUntested.asset && (
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => onInstall(newerUntested.version)}
                data-testid="update-install-untested"
              >
                Install {newerUntested.version} anyway
              </button>
            )
          )}
        </p>
      )}
    </>
  );
}

export function UpdateSection({ busy, onInstall }: Props) {
  const client = useClient();
  const listed = useInstallsStore((s) => s.installed?.update ?? null);
  const checked = useInstallsStore((s) => s.checked);
  const check = useMemo(() => latestUpdateCheck(listed, checked), [listed, checked]);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const run = async () => {
    setChecking(true);
    setError(null);
    try {
      // A saved answer is on screen: the user asks for a fresh one.
      const fresh = await client.checkMinerUpdate({ minerType: 'xmrig', ...(check ? { force: true } : {}) });
      useInstallsStore.getState().setChecked(fresh);
    } catch (err) {
      setError(toMinerError(err).toPayload());
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className="update-check" data-testid="update-check">
      {check && <Summary check={check} busy={busy} onInstall={onInstall} />}
      {error && <InstallFailure error={error} what="check" testId="update-check-failure" />}
      <div className="actions">
        <button
          type="button"
          className="btn"
          disabled={checking}
          onClick={() => void run()}
          data-testid="update-check-button"
        >
          {checking ? 'Checking…' : check ? 'Check again now' : 'Check for updates'}
        </button>
        {check && (
          <span className="muted" data-testid="update-checked-at" data-cached={check.fromCache}>
            {check.fromCache
              ? `Saved answer from ${formatClock(check.checkedAt, false)}; GitHub is asked at most once an hour unless you check again.`
              : `Checked with GitHub at ${formatClock(check.checkedAt, false)}.`}
          </span>
        )}
      </div>
    </div>
  );
}
