// The dashboard's status header: am I mining, how fast, at what CPU cost, is everything OK (rule pauses
// included), and one primary action (stop all, or start) with pause/resume all and pause for an hour.
import { memo, useMemo, useState, type ReactNode } from 'react';
import { useClient } from '../client/ClientContext';
import { formatHashrate } from '../format/hashrate';
import { messageOf } from '../format/message';
import { binaryMessage, binaryProblemOfError, type BinaryProblem } from '../store/binaryProblem';
import { formatClock } from '../format/time';
import { formatBytes, formatPercent } from '../format/usage';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import { overviewOf, verdictOf } from '../store/selectors';
import { useSettingsStore } from '../store/settingsStore';
import { useUiStore } from '../store/uiStore';
import { mineAnywayAll, pauseForAnHour, runOnAll } from './bulkActions';
import { BinaryActions } from './install/BinaryActions';
import { useShownOnMiner } from './install/useShownOnMiner';

function Figure(props: { label: string; testId: string; value: string | number; detail?: string }) {
  return (
    <div className="total">
      <span className="total-label">{props.label}</span>
      <span className="total-value" data-testid={props.testId}>
        {props.value}
      </span>
      {props.detail && (
        <span className="total-detail" data-testid={`${props.testId}-detail`}>
          {props.detail}
        </span>
      )}
    </div>
  );
}

/** One of the "all miners" buttons: each is disabled while any of them runs. */
function BulkButton(props: {
  testId: string;
  busy: boolean;
  run: () => Promise<void>;
  className?: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={props.className ?? 'btn'}
      disabled={props.busy}
      data-testid={props.testId}
      title={props.title}
      onClick={() => void props.run()}
    >
      {props.children}
    </button>
  );
}

/** Starts the last used profile (or the first) when no miner exists yet. */
function useStartProfile() {
  const client = useClient();
  const profiles = useProfilesStore((s) => s.list);
  const lastId = useSettingsStore((s) => s.settings?.lastProfileId ?? null);
  const profile = profiles.find((p) => p.id === lastId) ?? profiles[0] ?? null;
  const start = profile
    ? async () => {
        const miner = await client.startMiner({ profileId: profile.id });
        useMinersStore.getState().upsert(miner);
      }
    : null;
  return { profile, start };
}

export const StatusHeader = memo(function StatusHeader() {
  const client = useClient();
  const byId = useMinersStore((s) => s.byId);
  const order = useMinersStore((s) => s.order);
  const opErrors = useUiStore((s) => s.opErrors);
  const o = useMemo(() => overviewOf(byId, order, opErrors), [byId, order, opErrors]);
  const { verdict, text } = verdictOf(o);
  const { profile, start } = useStartProfile();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A start that found no binary: the buttons that get one.
  const [binaryProblem, setBinaryProblem] = useState<BinaryProblem | null>(null);
  // Its card (below) offers the same buttons once the failed start shows there.
  const onCard = useShownOnMiner(binaryProblem ? (profile?.id ?? null) : null);

  const bulk = (label: string, fn: () => Promise<void>) => async () => {
    setBusy(label);
    setError(null);
    setBinaryProblem(null);
    try {
      await fn();
    } catch (err) {
      setError(messageOf(err));
      const type = profile?.minerType;
      setBinaryProblem(binaryProblemOfError(err, type === 'simulated' ? undefined : type));
    } finally {
      setBusy(null);
    }
  };

  let primary: { label: string; testId: string; run: () => Promise<void> } | null = null;
  if (o.stoppable.length > 0) {
    primary = {
      label: 'Stop all',
      testId: 'stop-all',
      run: () => runOnAll(client, 'stopMiner', o.stoppable),
    };
  } else if (o.startable.length > 0) {
    primary = {
      label: o.startable.length === 1 ? 'Start again' : `Start all ${o.startable.length}`,
      testId: 'start-all',
      run: () => runOnAll(client, 'restartMiner', o.startable),
    };
  } else if (o.total === 0 && profile && start) {
    primary = { label: `Start “${profile.name}”`, testId: 'start-profile', run: start };
  }

  return (
    <section
      className={`status-header status-${verdict}`}
      aria-labelledby="status-title"
      data-testid="status-header"
    >
      <div className="status-main">
        <h2 id="status-title" className="status-verdict" data-testid="status-verdict" data-verdict={verdict}>
          <span className="status-dot" aria-hidden="true" />
          {text}
        </h2>
        <div className="status-actions" role="group" aria-label="All miners">
          {primary && (
            <BulkButton
              testId={primary.testId}
              busy={busy !== null}
              run={bulk(primary.label, primary.run)}
              className={`btn ${primary.testId === 'stop-all' ? 'btn-danger-solid' : 'btn-primary'}`}
            >
              {busy === primary.label ? 'Working…' : primary.label}
            </BulkButton>
          )}
          {o.pausable.length > 0 && (
            <BulkButton
              testId="pause-all"
              busy={busy !== null}
              run={bulk('pause', () => runOnAll(client, 'pauseMiner', o.pausable))}
            >
              Pause all
            </BulkButton>
          )}
          {o.resumable.length > 0 && (
            <BulkButton
              testId="resume-all"
              busy={busy !== null}
              run={bulk('resume', () => runOnAll(client, 'resumeMiner', o.resumable))}
            >
              Resume all
            </BulkButton>
          )}
          {o.pausable.length > 0 && (
            <BulkButton
              testId="pause-hour"
              busy={busy !== null}
              run={bulk('pause-hour', () => pauseForAnHour(client, o.pausable))}
              title="Pauses every miner that can pause; they resume by themselves in an hour, window open or not"
            >
              Pause for an hour
            </BulkButton>
          )}
        </div>
      </div>
      <div className="totals" aria-label="Totals">
        <Figure label="Total hashrate" testId="total-hashrate" value={formatHashrate(o.hashrate)} />
        {o.cpuPercent !== null && (
          <Figure
            label="Miners' CPU, of this computer"
            testId="total-cpu"
            value={formatPercent(o.cpuPercent)}
            detail={
              o.cpuCores
                ? `${o.cpuCores.busy.toFixed(1)} of ${o.cpuCores.of} cores · ${formatBytes(o.rssBytes)}`
                : undefined
            }
          />
        )}
        <Figure label="Running" testId="total-running" value={o.running} />
        <Figure label="Accepted" testId="total-accepted" value={o.accepted} />
        <Figure label="Rejected" testId="total-rejected" value={o.rejected} />
      </div>
      {o.pausedUntil !== null && (
        <p className="status-note" data-testid="status-paused-until">
          Paused by you until {formatClock(o.pausedUntil, false)}: mining resumes by itself then.
        </p>
      )}
      {o.ruleHeld.length > 0 && (
        <div className="status-held" role="status" data-testid="status-rule-held">
          <ul>
            {o.ruleHeld.map((r) => (
              <li key={r.id}>
                <strong>{r.name}</strong>: {r.text}
              </li>
            ))}
          </ul>
          {o.ruleHeld.some((r) => r.canMineAnyway) && (
            <BulkButton
              testId="mine-anyway-all"
              busy={busy !== null}
              run={bulk('mine-anyway', () =>
                mineAnywayAll(
                  client,
                  o.ruleHeld.filter((r) => r.canMineAnyway).map((r) => r.id),
                ),
              )}
            >
              Mine anyway for 1 hour
            </BulkButton>
          )}
        </div>
      )}
      {o.attention.length > 0 ? (
        <div className="attention" role="status" data-testid="status-attention">
          <p className="attention-title">
            {o.attention.length === 1
              ? '1 miner needs attention'
              : `${o.attention.length} miners need attention`}
          </p>
          <ul>
            {o.attention.map((a) => (
              <li key={a.id}>
                <strong>{a.name}</strong>: {a.text}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        o.total > 0 && (
          <p className="status-ok muted" data-testid="status-ok">
            Everything is OK.
          </p>
        )
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="status-error">
          {binaryMessage(error, binaryProblem)}
        </p>
      )}
      {error && binaryProblem && !onCard && (
        <BinaryActions problem={binaryProblem} message={error} testId="status-binary" />
      )}
    </section>
  );
});
