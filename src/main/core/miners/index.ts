// The registry of miner adapters by type: the only place that knows every miner family.
// Everything else asks for an adapter by the MinerType stored with the instance.
import { MinerError } from '../../../shared/errors';
import type { MinerType } from '../../../shared/schemas';
import type { MinerAdapter } from './adapter';
import { simulatedAdapter } from './simulated/adapter';
import { ttminerAdapter } from './ttminer/adapter';
import { xmrigAdapter } from './xmrig/adapter';

export const adapters: Record<MinerType, MinerAdapter> = {
  xmrig: xmrigAdapter,
  ttminer: ttminerAdapter,
  simulated: simulatedAdapter,
};

/** Throws INVALID_INPUT for an unknown type (types can come from stored profiles of older versions). */
export function getAdapter(type: MinerType): MinerAdapter {
  const adapter = Object.hasOwn(adapters, type) ? adapters[type] : undefined;
  if (!adapter) throw new MinerError('INVALID_INPUT', `Unknown miner type "${String(type)}"`);
  return adapter;
}
