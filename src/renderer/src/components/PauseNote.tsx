// Who paused a miner and until when, shown on its dashboard card and Miners row: the user (with the
// end of a timed pause), a pause rule in its own words, or the CPU budget; for TT-Miner, that pausing
// stopped it. While a "mine anyway" override holds, says until when rules are ignored.
import { memo } from 'react';
import type { MinerSnapshot } from '../../../shared/model';
import { formatClock } from '../format/time';
import { mineAnywayUntilOf, pauseViewOf } from '../store/pauseView';

export const PauseNote = memo(function PauseNote({ miner }: { miner: MinerSnapshot }) {
  const view = pauseViewOf(miner);
  const anywayUntil = mineAnywayUntilOf(miner);
  const id = miner.id;
  if (!view) {
    if (anywayUntil === null) return null;
    return (
      <p className="pause-note" data-testid={`miner-mine-anyway-${id}`}>
        Mining anyway until {formatClock(anywayUntil, false)}: pause rules are ignored until then (not the GPU
        temperature).
      </p>
    );
  }
  return (
    <div
      className="pause-note"
      data-testid={`miner-paused-${id}`}
      data-cause={view.cause}
      data-rule={view.rule ?? ''}
    >
      <p className="pause-cause" data-testid={`miner-paused-by-${id}`}>
        {view.text}
        {view.until !== null && (
          <span data-testid={`miner-paused-until-${id}`}> until {formatClock(view.until, false)}</span>
        )}
      </p>
      {view.detail && <p className="muted pause-detail">{view.detail}</p>}
      {view.stopped && (
        <p className="muted pause-detail" data-testid={`miner-pause-stops-${id}`}>
          TT-Miner has no pause: it was stopped, and resuming starts it again.
        </p>
      )}
    </div>
  );
});
