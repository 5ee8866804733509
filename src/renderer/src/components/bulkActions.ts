// The header's actions over many miners, built on the same per-miner commands (and per-miner pending
// and error state) as the buttons on each card; plus the seam for "pause for an hour".
import type { MiningClient } from '../../../shared/contract';
import type { MinerSnapshot } from '../../../shared/model';
import { runMinerOperation } from '../store/minerOperations';
import { useMinersStore } from '../store/minersStore';

type Command = 'stopMiner' | 'pauseMiner' | 'resumeMiner' | 'restartMiner';

const OP_NAMES: Record<Command, string> = {
  stopMiner: 'stop',
  pauseMiner: 'pause',
  resumeMiner: 'resume',
  restartMiner: 'start',
};

/** Runs `command` on every id in parallel; each miner's failure lands on its own card. */
export async function runOnAll(
  client: MiningClient,
  command: Command,
  ids: readonly string[],
): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      runMinerOperation(id, OP_NAMES[command], async () => {
        const miner: MinerSnapshot = await client[command]({ id });
        useMinersStore.getState().upsert(miner);
      }),
    ),
  );
}

/**
 * "Pause for an hour" must outlive this page (a browser tab closed, a window hidden to the tray), so it
 * belongs to the main process; the contract has no such command yet. When it gains one, return its
 * invoker here and the header offers the action. A timer in the page would silently not resume.
 */
export function pauseForAnHour(_client: MiningClient): (() => Promise<void>) | null {
  return null;
}
