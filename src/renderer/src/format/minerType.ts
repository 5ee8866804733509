// Display names of the miner families.
import type { MinerType } from '../../../shared/schemas';

export const MINER_TYPE_LABELS: Record<MinerType, string> = {
  xmrig: 'XMRig',
  ttminer: 'TT-Miner',
  simulated: 'Simulated',
};
