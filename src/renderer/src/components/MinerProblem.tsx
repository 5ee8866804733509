// A failed miner's one problem line: the last failed action if any, else why it crashed or could not
// start, as a sentence; the miner's last log lines are one click away (fetched when opened). A miner that
// cannot start for want of a binary gets the buttons that fix it (install, choose, trust command).
import { memo, useMemo, useState } from 'react';
import type { MinerSnapshot } from '../../../shared/model';
import { useClient } from '../client/ClientContext';
import { messageOf } from '../format/message';
import { useBinariesStore } from '../store/binariesStore';
import { binaryMessage, binaryProblemOfMiner } from '../store/binaryProblem';
import { useInstallsStore } from '../store/installsStore';
import { logLinesOf, useLogsStore } from '../store/logsStore';
import { problemOf } from '../store/minerView';
import { useUiStore } from '../store/uiStore';
import { BinaryActions } from './install/BinaryActions';
import { LogLineView } from './LogLineView';

const LAST_LINES = 12;

function LastLines({ id }: { id: string }) {
  const client = useClient();
  const version = useLogsStore((s) => s.versions[id] ?? 0);
  const lines = useMemo(() => (version >= 0 ? logLinesOf(id).slice(-LAST_LINES) : []), [id, version]);
  const [state, setState] = useState<'idle' | 'loading' | 'loaded' | string>('idle');

  const load = () => {
    if (state !== 'idle') return;
    setState('loading');
    client.getLogs({ id, limit: 200 }).then(
      (res) => {
        useLogsStore.getState().merge(id, res.lines);
        setState('loaded');
      },
      (err: unknown) => setState(`Could not load the log: ${messageOf(err)}`),
    );
  };

  return (
    <details
      className="last-lines"
      data-testid={`miner-last-lines-${id}`}
      onToggle={(e) => (e.currentTarget.open ? load() : undefined)}
    >
      <summary>Last log lines</summary>
      {state === 'loading' && <p className="muted">Loading…</p>}
      {state !== 'idle' && state !== 'loading' && state !== 'loaded' && (
        <p className="field-error">{state}</p>
      )}
      {lines.length > 0 ? (
        <div className="console-log console-log-small" role="log" aria-label="Last log lines" tabIndex={0}>
          {lines.map((l) => (
            <LogLineView key={l.seq} line={l} />
          ))}
        </div>
      ) : (
        state === 'loaded' && <p className="muted">The miner printed nothing.</p>
      )}
      <button
        type="button"
        className="btn-link"
        onClick={() => {
          useUiStore.getState().selectMiner(id);
          useUiStore.getState().setPage('console');
        }}
      >
        Open in the console
      </button>
    </details>
  );
}

export const MinerProblem = memo(function MinerProblem({
  miner,
  error,
}: {
  miner: MinerSnapshot;
  error: string | null;
}) {
  const problem = problemOf(miner);
  const binaries = useBinariesStore((s) => s.list);
  const versions = useInstallsStore((s) => s.installed?.versions);
  const binaryProblem = useMemo(
    () => binaryProblemOfMiner(miner, binaries, versions),
    [miner, binaries, versions],
  );
  const text = error ?? problem;
  if (!text) return null;
  const failed = miner.state === 'crashed' || miner.state === 'errored';
  return (
    <div className="problem">
      <p
        className="reason"
        role={error ? 'alert' : 'status'}
        data-testid={error ? `miner-error-${miner.id}` : `miner-reason-${miner.id}`}
      >
        {binaryMessage(text, binaryProblem)}
      </p>
      {binaryProblem && (
        <BinaryActions problem={binaryProblem} message={text} testId={`miner-binary-${miner.id}`} />
      )}
      {failed && <LastLines id={miner.id} />}
    </div>
  );
});
