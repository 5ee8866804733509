// What a miner type can do from the UI, shared by buttons and bulk actions.
import type { MinerSnapshot } from '../../../shared/model';

/** TT-Miner has no pause (no API for it); the others pause without stopping the process. */
export const canPause = (m: MinerSnapshot): boolean => m.minerType !== 'ttminer';
