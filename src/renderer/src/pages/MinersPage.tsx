// Miners: start an instance from a profile, then control each instance (lifecycle + throttle); below
// them, the miners installed (XMRig versions, binaries the user chose), where a user looks for them.
import { InstalledPanel } from '../components/install/InstalledPanel';
import { MinerRow } from '../components/MinerRow';
import { StartMinerPanel } from '../components/StartMinerPanel';
import { useMinerIds } from '../store/minersStore';

export function MinersPage() {
  const ids = useMinerIds();
  return (
    <div className="page" data-testid="page-miners">
      <h1 className="page-title">Miners</h1>
      <StartMinerPanel />
      {ids.length === 0 ? (
        <p className="empty">No miner instances yet.</p>
      ) : (
        <ul className="miner-list" aria-label="Miner instances">
          {ids.map((id) => (
            <MinerRow key={id} id={id} />
          ))}
        </ul>
      )}
      <InstalledPanel />
    </div>
  );
}
