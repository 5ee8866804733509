// Dashboard: totals across running miners, one card per miner and the hashrate chart.
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { HashrateChart } from '../components/HashrateChart';
import { MinerCard } from '../components/MinerCard';
import { formatDuration } from '../format/duration';
import { formatHashrate } from '../format/hashrate';
import { useMinerIds, useMinersStore } from '../store/minersStore';
import { computeTotals } from '../store/selectors';
import { useUiStore } from '../store/uiStore';

const Totals = memo(function Totals() {
  const t = useMinersStore(useShallow((s) => computeTotals(s.byId, s.order)));
  return (
    <section className="totals" aria-label="Totals">
      <div className="total">
        <span className="total-label">Total hashrate</span>
        <span className="total-value" data-testid="total-hashrate">
          {formatHashrate(t.hashrate)}
        </span>
      </div>
      <div className="total">
        <span className="total-label">Running</span>
        <span className="total-value" data-testid="total-running">
          {t.running}
        </span>
      </div>
      <div className="total">
        <span className="total-label">Accepted</span>
        <span className="total-value" data-testid="total-accepted">
          {t.accepted}
        </span>
      </div>
      <div className="total">
        <span className="total-label">Rejected</span>
        <span className="total-value" data-testid="total-rejected">
          {t.rejected}
        </span>
      </div>
      <div className="total">
        <span className="total-label">Uptime</span>
        <span className="total-value" data-testid="total-uptime">
          {formatDuration(t.uptime)}
        </span>
      </div>
    </section>
  );
});

export function DashboardPage() {
  const ids = useMinerIds();
  return (
    <div className="page" data-testid="page-dashboard">
      <h1 className="page-title">Dashboard</h1>
      <Totals />
      {ids.length === 0 ? (
        <p className="empty" data-testid="dashboard-empty">
          No miners yet.{' '}
          <button type="button" className="btn-link" onClick={() => useUiStore.getState().setPage('miners')}>
            Start one on the Miners page
          </button>
          .
        </p>
      ) : (
        <div className="card-grid">
          {ids.map((id) => (
            <MinerCard key={id} id={id} />
          ))}
        </div>
      )}
      <HashrateChart />
    </div>
  );
}
