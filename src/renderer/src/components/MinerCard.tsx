// One miner on the dashboard, showing only what is true now: live numbers and its CPU cost while it
// hashes, what a warm-up is doing, who paused it, "stopped" with the last rate marked as such, or one problem line.
// Memoised and subscribed to its own miner only, so other miners' stats never re-render it.
import { memo } from 'react';
import { formatDuration } from '../format/duration';
import { formatHashrate } from '../format/hashrate';
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

export const MinerCard = memo(function MinerCard({ id }: { id: string }) {
  const miner = useMiner(id);
  const error = useUiStore((s) => s.opErrors[id] ?? null);
  if (!miner) return null;
  const display = displayStateOf(miner);
  const stats = miner.stats;
  const hashing = display === 'hashing';
  const titleId = `miner-title-${id}`;
  return (
    <article
      className={`card miner-card miner-card-${display}`}
      data-testid={`miner-card-${id}`}
      aria-labelledby={titleId}
    >
      <header className="card-header">
        <h3 id={titleId}>{miner.name}</h3>
        <span className="muted">{MINER_TYPE_LABELS[miner.minerType]}</span>
        <StateBadge id={id} state={miner.state} display={display} />
      </header>
      <div className="card-hero">
        <MinerRate miner={miner} display={display} className="hero-value" />
        {hashing && <span className="muted">10 s average</span>}
        <StoppedNote miner={miner} />
      </div>
      <CpuUsageLine miner={miner} />
      <PauseNote miner={miner} />
      {display === 'warming' && <WarmupNote miner={miner} />}
      <MinerProblem miner={miner} error={error} />
      {miner.apiError && miner.state === 'running' && !error && (
        <p className="api-error muted" data-testid={`miner-api-error-${id}`}>
          Stats unavailable: {miner.apiError}
        </p>
      )}
      {hashing && stats && (
        <dl className="stat-grid">
          <div>
            <dt>60 s</dt>
            <dd data-testid={`miner-hashrate60-${id}`}>{formatHashrate(stats.hashrate[1])}</dd>
          </div>
          <div>
            <dt>15 m</dt>
            <dd data-testid={`miner-hashrate15m-${id}`}>{formatHashrate(stats.hashrate[2])}</dd>
          </div>
          <div>
            <dt>Shares</dt>
            <dd data-testid={`miner-shares-${id}`}>
              {stats.shares.good} ok · {stats.shares.rejected} rejected
            </dd>
          </div>
          <div>
            <dt>Uptime</dt>
            <dd data-testid={`miner-uptime-${id}`}>{formatDuration(stats.uptime)}</dd>
          </div>
          <div className="wide">
            <dt>Pool</dt>
            <dd data-testid={`miner-pool-${id}`}>{stats.pool ?? (miner.config.pool || '—')}</dd>
          </div>
        </dl>
      )}
      <MinerActions miner={miner} />
    </article>
  );
});
