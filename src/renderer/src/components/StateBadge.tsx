// A coloured badge naming a miner's state; the text itself is the state, so it is never colour-only.
import { memo } from 'react';
import type { MinerState } from '../../../shared/model';

const LABELS: Record<MinerState, string> = {
  starting: 'starting',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  crashed: 'crashed',
  errored: 'error',
};

export const StateBadge = memo(function StateBadge({ id, state }: { id: string; state: MinerState }) {
  return (
    <span className={`badge badge-${state}`} data-testid={`miner-state-${id}`} data-state={state}>
      {LABELS[state]}
    </span>
  );
});
