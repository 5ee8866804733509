// Pure reducers for the miners slice. Each returns the previous object when nothing changed and
// replaces only the miners that did, so selectors of unrelated miners keep their identity.
import type { StatsBatch } from '../../../shared/contract';
import type { MinerSnapshot } from '../../../shared/model';

export type MinersById = Readonly<Record<string, MinerSnapshot>>;

/** Applies a stats batch: stale generations, unknown miners and already-seen samples are skipped. */
export function applyStatsBatch(byId: MinersById, batch: StatsBatch): MinersById {
  let next: Record<string, MinerSnapshot> | null = null;
  for (const entry of batch.miners) {
    const miner = byId[entry.id];
    if (!miner || entry.generation !== miner.generation) continue;
    if (miner.stats && miner.stats.at >= entry.stats.at) continue;
    next ??= { ...byId };
    next[entry.id] = { ...miner, stats: entry.stats };
  }
  return next ?? byId;
}

/** Merges a full snapshot of one miner; an older generation never overwrites a newer one. */
export function mergeMiner(existing: MinerSnapshot | undefined, incoming: MinerSnapshot): MinerSnapshot {
  if (!existing) return incoming;
  if (incoming.generation < existing.generation) return existing;
  // Same process: keep the newer stats sample if the snapshot was taken before the last batch.
  if (
    incoming.generation === existing.generation &&
    existing.stats &&
    (!incoming.stats || incoming.stats.at < existing.stats.at)
  ) {
    return { ...incoming, stats: existing.stats };
  }
  return incoming;
}

export function upsertMiner(byId: MinersById, incoming: MinerSnapshot): MinersById {
  const merged = mergeMiner(byId[incoming.id], incoming);
  return merged === byId[incoming.id] ? byId : { ...byId, [incoming.id]: merged };
}

/** Replaces the whole set (a fresh snapshot): miners it lacks are dropped, kept ones are merged. */
export function replaceMiners(byId: MinersById, list: readonly MinerSnapshot[]): MinersById {
  const next: Record<string, MinerSnapshot> = {};
  for (const m of list) next[m.id] = mergeMiner(byId[m.id], m);
  return next;
}

/** Keeps the previous order array when membership did not change (stable for list selectors). */
export function orderOf(prev: readonly string[], byId: MinersById): readonly string[] {
  const ids = Object.keys(byId);
  if (ids.length === prev.length && prev.every((id) => id in byId)) return prev;
  const kept = prev.filter((id) => id in byId);
  const added = ids.filter((id) => !prev.includes(id));
  return [...kept, ...added];
}
