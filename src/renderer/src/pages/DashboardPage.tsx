// Dashboard: the status header (state, totals, attention, bulk actions), one card per miner, and the
// hashrate chart under them.
import { HashrateChart } from '../components/chart/HashrateChart';
import { MinerCard } from '../components/MinerCard';
import { StatusHeader } from '../components/StatusHeader';
import { useMinerIds } from '../store/minersStore';
import { useUiStore } from '../store/uiStore';

export function DashboardPage() {
  const ids = useMinerIds();
  return (
    <div className="page" data-testid="page-dashboard">
      <h1 className="page-title">Dashboard</h1>
      <StatusHeader />
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
