// One miner on the dashboard: state, the three hashrate windows, pool, shares and uptime.
// Memoised and subscribed to its own miner only, so other miners' stats never re-render it.
import { memo } from 'react';
import { formatDuration } from '../format/duration';
import { formatHashrate } from '../format/hashrate';
import { useMiner } from '../store/minersStore';
import { isPaused } from '../store/selectors';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { StateBadge } from './StateBadge';

export const MinerCard = memo(function MinerCard({ id }: { id: string }) {
  const miner = useMiner(id);
  if (!miner) return null;
  const stats = miner.stats;
  const [h10, h60, h15] = stats?.hashrate ?? [null, null, null];
  const showReason = (miner.state === 'crashed' || miner.state === 'errored') && miner.reason;
  const titleId = `miner-title-${id}`;
  return (
    <article className="card miner-card" data-testid={`miner-card-${id}`} aria-labelledby={titleId}>
      <header className="card-header">
        <h3 id={titleId}>{miner.name}</h3>
        <span className="muted">{MINER_TYPE_LABELS[miner.minerType]}</span>
        <StateBadge id={id} state={miner.state} />
        {isPaused(miner) && (
          <span className="label label-paused" data-testid={`miner-paused-${id}`}>
            paused
          </span>
        )}
        {stats?.warmingUp && miner.state === 'running' && (
          <span className="label label-warming" data-testid={`miner-warming-${id}`}>
            warming up
          </span>
        )}
      </header>
      {showReason && (
        <p className="reason" role="status" data-testid={`miner-reason-${id}`}>
          {miner.reason}
        </p>
      )}
      {miner.apiError && miner.state === 'running' && (
        <p className="api-error muted" data-testid={`miner-api-error-${id}`}>
          Stats unavailable: {miner.apiError}
        </p>
      )}
      <dl className="stat-grid">
        <div>
          <dt>10 s</dt>
          <dd data-testid={`miner-hashrate-${id}`}>{formatHashrate(h10)}</dd>
        </div>
        <div>
          <dt>60 s</dt>
          <dd data-testid={`miner-hashrate60-${id}`}>{formatHashrate(h60)}</dd>
        </div>
        <div>
          <dt>15 m</dt>
          <dd data-testid={`miner-hashrate15m-${id}`}>{formatHashrate(h15)}</dd>
        </div>
        <div>
          <dt>Shares</dt>
          <dd data-testid={`miner-shares-${id}`}>
            {stats ? `${stats.shares.good} / ${stats.shares.rejected} rejected` : '—'}
          </dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd data-testid={`miner-uptime-${id}`}>{formatDuration(stats?.uptime)}</dd>
        </div>
        <div className="wide">
          <dt>Pool</dt>
          <dd data-testid={`miner-pool-${id}`}>{stats?.pool ?? (miner.config.pool || '—')}</dd>
        </div>
      </dl>
    </article>
  );
});
