// The lifecycle buttons of one miner for its display state: pause/resume and stop while it runs, start
// again once it stopped or failed; the Miners row adds restart and remove. One operation at a time.
import { memo } from 'react';
import type { MinerSnapshot } from '../../../shared/model';
import { useClient } from '../client/ClientContext';
import { useChartStore } from '../store/chartStore';
import { useLogsStore } from '../store/logsStore';
import { canPause } from '../store/minerCapabilities';
import { useMinersStore } from '../store/minersStore';
import { displayStateOf } from '../store/minerView';
import { useMinerOperation } from './useMinerOperation';

interface Props {
  miner: MinerSnapshot;
  /** The Miners page also offers restart of a live miner and removal of a stopped one. */
  full?: boolean;
}

export const MinerActions = memo(function MinerActions({ miner, full = false }: Props) {
  const client = useClient();
  const { pending, run } = useMinerOperation(miner.id);
  const id = miner.id;
  const display = displayStateOf(miner);
  const busy = pending !== null;
  // A miner waiting for the watchdog's restart can be stopped (that calls the restart off); one the
  // watchdog gave up on (crash loop) is started again by the user.
  const live = miner.state === 'starting' || miner.state === 'running' || miner.state === 'backoff';
  const done = ['stopped', 'crashed', 'errored', 'crash-loop'].includes(miner.state);

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

  const button = (testId: string, label: string, onClick: () => void, className = 'btn') => (
    <button
      type="button"
      className={className}
      disabled={busy}
      data-testid={`${testId}-${id}`}
      onClick={onClick}
    >
      {label}
    </button>
  );

  return (
    <div className="actions" role="group" aria-label={`Actions for ${miner.name}`}>
      {(display === 'hashing' || display === 'warming') &&
        canPause(miner) &&
        button('pause', 'Pause', () => act('pause', () => client.pauseMiner({ id })))}
      {display === 'paused' &&
        button('resume', 'Resume', () => act('resume', () => client.resumeMiner({ id })), 'btn btn-primary')}
      {live && button('stop', 'Stop', () => act('stop', () => client.stopMiner({ id })))}
      {full &&
        miner.state === 'running' &&
        button('restart', 'Restart', () => act('restart', () => client.restartMiner({ id })))}
      {done &&
        button(
          'restart',
          'Start again',
          () => act('start', () => client.restartMiner({ id })),
          'btn btn-primary',
        )}
      {full && done && button('remove', 'Remove', remove, 'btn btn-danger')}
      {pending && (
        <span className="muted" role="status" data-testid={`miner-pending-${id}`}>
          {pending}…
        </span>
      )}
    </div>
  );
});
