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

function Total({ label, testId, value }: { label: string; testId: string; value: string | number }) {
  return (
    <div className="total">
      <span className="total-label">{label}</span>
      <span className="total-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

const Totals = memo(function Totals() {
  const t = useMinersStore(useShallow((s) => computeTotals(s.byId, s.order)));
  return (
    <section className="totals" aria-label="Totals">
      <Total label="Total hashrate" testId="total-hashrate" value={formatHashrate(t.hashrate)} />
      <Total label="Running" testId="total-running" value={t.running} />
      <Total label="Accepted" testId="total-accepted" value={t.accepted} />
      <Total label="Rejected" testId="total-rejected" value={t.rejected} />
      <Total label="Uptime" testId="total-uptime" value={formatDuration(t.uptime)} />
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
