// A coloured badge naming a miner's one display state; the text itself is the state, so it is never
// colour-only. `data-state` keeps the process state (running, stopped, crashed, ...) for scripts and tests.
import { memo } from 'react';
import type { MinerState } from '../../../shared/model';
import { DISPLAY_LABELS, type DisplayState } from '../store/minerView';

interface Props {
  id: string;
  state: MinerState;
  display: DisplayState;
}

export const StateBadge = memo(function StateBadge({ id, state, display }: Props) {
  return (
    <span
      className={`badge badge-${display}`}
      data-testid={`miner-state-${id}`}
      data-state={state}
      data-display={display}
    >
      {DISPLAY_LABELS[display]}
    </span>
  );
});
