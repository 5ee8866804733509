// The lifecycle buttons of one miner for its display state: pause/resume and stop while it runs, start
// again once it stopped or failed; the Miners row adds restart and remove. One operation at a time.
import { memo } from 'react';
import type { MinerSnapshot } from '../../../shared/model';
import { useClient } from '../client/ClientContext';
import { useChartStore } from '../store/chartStore';
import { useLogsStore } from '../store/logsStore';
import { useMinersStore } from '../store/minersStore';
import { displayStateOf, pausesByStopping } from '../store/minerView';
import { pauseViewOf } from '../store/pauseView';
import { useMinerOperation } from './useMinerOperation';

/** How long "Mine anyway" overrides the pause rules. */
export const MINE_ANYWAY_MINUTES = 60;

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
  const stops = pausesByStopping(miner);
  const paused = pauseViewOf(miner);
  // A TT-Miner stopped to pause it is still the user's to stop for good (a resume or a rule starts it).
  const live = miner.state === 'starting' || miner.state === 'running' || (paused !== null && stops);
  const done =
    (miner.state === 'stopped' && !miner.paused) || miner.state === 'crashed' || miner.state === 'errored';

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

  const button = (
    testId: string,
    label: string,
    onClick: () => void,
    className = 'btn',
    title: string | undefined = undefined,
  ) => (
    <button
      type="button"
      className={className}
      disabled={busy}
      data-testid={`${testId}-${id}`}
      onClick={onClick}
      title={title}
    >
      {label}
    </button>
  );
  const stopNote = stops ? 'TT-Miner has no pause: pausing stops it, resuming starts it again' : undefined;

  return (
    <div className="actions" role="group" aria-label={`Actions for ${miner.name}`}>
      {(display === 'hashing' || display === 'warming') &&
        button(
          'pause',
          stops ? 'Pause (stops it)' : 'Pause',
          () => act('pause', () => client.pauseMiner({ id })),
          'btn',
          stopNote,
        )}
      {paused?.canMineAnyway &&
        button(
          'mine-anyway',
          'Mine anyway for 1 hour',
          () => act('resume', () => client.resumeMiner({ id, forMinutes: MINE_ANYWAY_MINUTES })),
          'btn btn-primary',
          'Pause rules are ignored for this miner for an hour (not the GPU temperature)',
        )}
      {/* A rule's pause is overridden only for a while ("mine anyway"); the GPU temperature not at all. */}
      {paused !== null &&
        paused.cause !== 'rule' &&
        button(
          'resume',
          stops ? 'Resume (starts it)' : 'Resume',
          () => act('resume', () => client.resumeMiner({ id })),
          'btn btn-primary',
          stopNote,
        )}
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
