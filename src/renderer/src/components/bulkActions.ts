// The header's actions over many miners, built on the same per-miner commands (and per-miner pending
// and error state) as the buttons on each card: stop/pause/resume/start all, pause for an hour, mine anyway.
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

/** How long the header's "Pause for an hour" pauses. */
export const PAUSE_HOUR_MINUTES = 60;

/**
 * "Pause for an hour" must outlive this page (a browser tab closed, a window hidden to the tray), so the
 * main process keeps the end (`control.pausedUntil`) and resumes the miners then; a timer here would
 * silently not resume. Each miner's failure lands on its own card, like the other bulk actions.
 */
export async function pauseForAnHour(client: MiningClient, ids: readonly string[]): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      runMinerOperation(id, 'pause', async () => {
        useMinersStore.getState().upsert(await client.pauseMiner({ id, forMinutes: PAUSE_HOUR_MINUTES }));
      }),
    ),
  );
}

/** "Mine anyway" for every miner a pause rule holds (the rules are ignored for them for an hour). */
export async function mineAnywayAll(client: MiningClient, ids: readonly string[]): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      runMinerOperation(id, 'resume', async () => {
        useMinersStore.getState().upsert(await client.resumeMiner({ id, forMinutes: 60 }));
      }),
    ),
  );
}
