// The names a user reads for each miner family, in messages and dialogs of the main process.
// One table, so an error, a notice and a dialog title never spell a miner two ways.
import type { MinerType } from '../../../shared/schemas';

export const MINER_DISPLAY_NAMES: Readonly<Record<MinerType, string>> = {
  xmrig: 'XMRig',
  ttminer: 'TT-Miner',
  simulated: 'Simulated miner',
};
