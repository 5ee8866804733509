// One miner instance on the Miners page: its one state, live or last rate and CPU cost, who paused it,
// warm-up or problem line, lifecycle buttons (pause/resume, mine anyway, stop, restart, remove), throttle.
import { memo } from 'react';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { useMiner } from '../store/minersStore';
import { displayStateOf } from '../store/minerView';
import { useUiStore } from '../store/uiStore';
import { CpuUsageLine } from './CpuUsageLine';
import { MinerActions } from './MinerActions';
import { MinerRate, StoppedNote, WarmupNote } from './MinerParts';
import { MinerProblem } from './MinerProblem';
import { PauseNote } from './PauseNote';
import { StateBadge } from './StateBadge';
import { ThrottleControls } from './ThrottleControls';

export const MinerRow = memo(function MinerRow({ id }: { id: string }) {
  const miner = useMiner(id);
  const busy = useUiStore((s) => id in s.pending);
  const error = useUiStore((s) => s.opErrors[id] ?? null);
  if (!miner) return null;
  const display = displayStateOf(miner);
  const titleId = `miner-row-title-${id}`;
  return (
    <li className="card miner-row" data-testid={`miner-row-${id}`} aria-labelledby={titleId} aria-busy={busy}>
      <header className="card-header">
        <h3 id={titleId}>{miner.name}</h3>
        <span className="muted">{MINER_TYPE_LABELS[miner.minerType]}</span>
        <StateBadge id={id} state={miner.state} display={display} />
        <MinerRate miner={miner} display={display} />
        <StoppedNote miner={miner} />
      </header>
      <CpuUsageLine miner={miner} />
      <PauseNote miner={miner} />
      {display === 'warming' && <WarmupNote miner={miner} />}
      <MinerProblem miner={miner} error={error} />
      <MinerActions miner={miner} full />
      {miner.state === 'running' && (
        <ThrottleControls
          id={id}
          minerType={miner.minerType}
          profileId={miner.profileId}
          config={miner.config}
          control={miner.control}
        />
      )}
    </li>
  );
});
