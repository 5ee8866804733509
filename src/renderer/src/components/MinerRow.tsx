// One miner instance on the Miners page with its lifecycle buttons (stop, restart, pause/resume,
// remove) and throttle controls. Buttons are disabled while any operation on this miner is in flight.
import { memo } from 'react';
import type { MinerSnapshot } from '../../../shared/model';
import { useClient } from '../client/ClientContext';
import { formatHashrate } from '../format/hashrate';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { useChartStore } from '../store/chartStore';
import { useLogsStore } from '../store/logsStore';
import { useMiner, useMinersStore } from '../store/minersStore';
import { canRemove, isPaused } from '../store/selectors';
import { StateBadge } from './StateBadge';
import { ThrottleControls } from './ThrottleControls';
import { useMinerOperation } from './useMinerOperation';

export const MinerRow = memo(function MinerRow({ id }: { id: string }) {
  const client = useClient();
  const miner = useMiner(id);
  const { pending, error, run } = useMinerOperation(id);
  if (!miner) return null;
  const busy = pending !== null;
  const paused = isPaused(miner);
  const live = miner.state === 'starting' || miner.state === 'running';

  const act = (op: string, fn: () => Promise<MinerSnapshot>) =>
    void run(op, async () => useMinersStore.getState().upsert(await fn()));

  const remove = () =>
    void run('remove', async () => {
      await client.removeMiner({ id });
      // The contract has no "removed" event, so the window that removed it drops it locally.
      useMinersStore.getState().remove(id);
      useChartStore.getState().drop(id);
      useLogsStore.getState().drop(id);
    });

  const titleId = `miner-row-title-${id}`;
  return (
    <li className="card miner-row" data-testid={`miner-row-${id}`} aria-labelledby={titleId} aria-busy={busy}>
      <header className="card-header">
        <h3 id={titleId}>{miner.name}</h3>
        <span className="muted">{MINER_TYPE_LABELS[miner.minerType]}</span>
        <StateBadge id={id} state={miner.state} />
        {paused && (
          <span className="label label-paused" data-testid={`miner-paused-${id}`}>
            paused
          </span>
        )}
        <span className="muted" data-testid={`miner-hashrate-${id}`}>
          {formatHashrate(miner.stats?.hashrate[0] ?? null)}
        </span>
        {pending && (
          <span className="muted" role="status" data-testid={`miner-pending-${id}`}>
            {pending}…
          </span>
        )}
      </header>
      {(miner.state === 'crashed' || miner.state === 'errored') && miner.reason && (
        <p className="reason" data-testid={`miner-reason-${id}`}>
          {miner.reason}
        </p>
      )}
      <div className="actions" role="group" aria-label={`Actions for ${miner.name}`}>
        {live && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            data-testid={`stop-${id}`}
            onClick={() => act('stop', () => client.stopMiner({ id }))}
          >
            Stop
          </button>
        )}
        {miner.state !== 'starting' && miner.state !== 'stopping' && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            data-testid={`restart-${id}`}
            onClick={() => act('restart', () => client.restartMiner({ id }))}
          >
            {live ? 'Restart' : 'Start again'}
          </button>
        )}
        {miner.state === 'running' && !paused && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            data-testid={`pause-${id}`}
            onClick={() => act('pause', () => client.pauseMiner({ id }))}
          >
            Pause
          </button>
        )}
        {live && paused && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            data-testid={`resume-${id}`}
            onClick={() => act('resume', () => client.resumeMiner({ id }))}
          >
            Resume
          </button>
        )}
        {canRemove(miner) && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            data-testid={`remove-${id}`}
            onClick={remove}
          >
            Remove
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid={`miner-error-${id}`}>
          {error}
        </p>
      )}
      {miner.state === 'running' && <ThrottleControls id={id} config={miner.config} />}
    </li>
  );
});
