// The pieces of a miner shown on both the dashboard card and the Miners row: its rate (live, or the
// last one marked as such), what a warm-up is doing, and the one problem line of a failed miner.
import { memo } from 'react';
import type { MinerSnapshot } from '../../../shared/model';
import { formatHashrate } from '../format/hashrate';
import { formatClock } from '../format/time';
import { useLastRate } from '../store/minersStore';
import { liveHashrate, warmupOf, type DisplayState } from '../store/minerView';
import { useNow } from './useNow';

/** The last rate worth showing for a miner that does not hash now. */
function lastRateOf(m: MinerSnapshot, stored: number | undefined): number | null {
  if (stored !== undefined) return stored;
  const reported = m.stats?.hashrate[0] ?? m.stats?.hashrate[1];
  // A paused miner's own average decays towards 0; only a stopped one's last report is meaningful.
  return m.state !== 'running' && reported != null && reported > 0 ? reported : null;
}

/** "1.01 kH/s" while hashing; "last: 24.3 H/s" otherwise (nothing when no rate was ever seen). */
export const MinerRate = memo(function MinerRate({
  miner,
  display,
  className = '',
}: {
  miner: MinerSnapshot;
  display: DisplayState;
  className?: string;
}) {
  const stored = useLastRate(miner.id)?.value;
  if (display === 'hashing') {
    return (
      <span className={`rate ${className}`} data-testid={`miner-hashrate-${miner.id}`}>
        {formatHashrate(liveHashrate(miner))}
      </span>
    );
  }
  const last = display === 'warming' || display === 'starting' ? null : lastRateOf(miner, stored);
  if (last === null) return null;
  return (
    <span className={`rate rate-last ${className}`} data-testid={`miner-last-${miner.id}`}>
      last: {formatHashrate(last)}
    </span>
  );
});

/** What a warming-up miner is doing and for how long; ticks once a second while shown. */
export function WarmupNote({ miner }: { miner: MinerSnapshot }) {
  const now = useNow(true);
  const { text, since } = warmupOf(miner);
  const seconds = since === null ? null : Math.max(0, Math.round((now - since) / 1000));
  return (
    <p className="warmup" role="status" data-testid={`miner-warmup-${miner.id}`}>
      {text}
      {seconds !== null && <span className="muted"> · {seconds} s</span>}
    </p>
  );
}

/** "Stopped at 10:54" for a stopped miner with a known exit time. */
export function StoppedNote({ miner }: { miner: MinerSnapshot }) {
  if (miner.state !== 'stopped' || !miner.lastExit) return null;
  return (
    <span className="muted" data-testid={`miner-stopped-at-${miner.id}`}>
      Stopped at {formatClock(miner.lastExit.at, false)}
    </span>
  );
}
