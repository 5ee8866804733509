// "Miners installed": the XMRig versions HashDeck installed and verified (with update check, install
// progress inline and uninstall) and the binaries the user chose. Listed from the installs slice, and
// asked for again when the panel opens and when miners start or stop (that changes who uses what).
import { useEffect, useState } from 'react';
import { useClient } from '../../client/ClientContext';
import { messageOf } from '../../format/message';
import { LIVE_STATES } from '../../../../shared/model';
import { useInstallsStore } from '../../store/installsStore';
import { useMinersStore } from '../../store/minersStore';
import { InstalledVersionItem } from './InstalledVersionItem';
import { InstallFailure } from './InstallFailure';
import { InstallProgress } from './InstallProgress';
import { UpdateSection } from './UpdateSection';
import { useInstall } from './useInstall';
import { UserBinaries } from './UserBinaries';

/**
 * Which miners run which binary, as one string: it changes when a miner starts or stops, which changes
 * who uses a version (the main process sends no `installs` event for that, so the panel asks again).
 */
function useLiveBinaries(): string {
  return useMinersStore((s) =>
    s.order
      .map((id) => s.byId[id])
      .filter((m) => m && LIVE_STATES.includes(m.state))
      .map((m) => `${m?.id}:${m?.binaryId ?? ''}`)
      .join(','),
  );
}

/** The list, asked for when the panel opens (a late window, a stale answer) and when miners start or stop. */
function useInstalledList() {
  const client = useClient();
  const installed = useInstallsStore((s) => s.installed);
  const live = useLiveBinaries();
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    client.listInstalled({ minerType: 'xmrig' }).then(
      (list) => {
        if (!current) return;
        setError(null);
        useInstallsStore.getState().setInstalled(list);
      },
      (err: unknown) => current && setError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [client, live, attempt]);
  const retry = () => {
    setError(null);
    setAttempt((n) => n + 1);
  };
  return { installed, error, retry };
}

export function InstalledPanel() {
  const { installed, error, retry } = useInstalledList();
  const runner = useInstall();
  const { status } = runner;
  const busy = runner.starting || status?.state === 'running';
  const start = (version?: string) => void runner.start(version);
  const ended = status && status.state !== 'running' && status.state !== 'succeeded' ? status.error : null;
  const failure = runner.refused ?? ended;
  const versions = installed?.versions ?? [];
  const tested = installed?.testedVersions.at(-1);

  return (
    <section className="card installed-panel" aria-labelledby="installed-title" data-testid="installed-panel">
      <h2 id="installed-title">Miners installed</h2>
      <p className="muted">
        HashDeck runs only binaries it installed and verified itself, or that you chose on this computer.
      </p>
      <h3 className="installed-subtitle">XMRig, installed by HashDeck</h3>
      {status?.state === 'running' && (
        <InstallProgress
          status={status}
          cancelling={runner.cancelling}
          onCancel={() => void runner.cancel()}
          testId="installed-progress"
        />
      )}
      {failure && <InstallFailure error={failure} what="install" testId="installed-failure" />}
      {error && !installed ? (
        <div className="field-error" role="alert" data-testid="installed-load-error">
          Could not list the installed versions: {error}{' '}
          <button type="button" className="btn" onClick={retry}>
            Try again
          </button>
        </div>
      ) : !installed ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : versions.length === 0 ? (
        <div className="actions" data-testid="installed-none">
          <span>No XMRig installed yet.</span>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy}
            onClick={() => start()}
            data-testid="installed-install"
          >
            Install XMRig (verified)
          </button>
          {tested && (
            <span className="muted">Installs {tested}, the newest version tested with HashDeck.</span>
          )}
        </div>
      ) : (
        <ul className="installed-list" aria-label="Installed XMRig versions">
          {versions.map((v) => (
            <InstalledVersionItem key={v.version} version={v} busy={busy} onInstall={start} />
          ))}
        </ul>
      )}
      <UpdateSection busy={busy} onInstall={start} />
      <UserBinaries />
    </section>
  );
}
