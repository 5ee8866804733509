// Splits the global CPU budget among the miners it can hold (water-filling): each gets an equal share,
// capped by its own budget and by what it can use at most; what one cannot use goes to the others.

export interface Claim {
  id: string;
  /** The miner's own budget, % of the machine (null = none). */
  ownPercent: number | null;
  /** The most it can use (all its threads at full speed), % of the machine. */
  maxUsePercent: number;
}

/**
 * @param globalPercent the global budget (null = none: only own budgets apply)
 * @param uncontrolledPercent what miners the budget cannot hold use now (TT-Miner, ...): taken off first
 * @returns each miner's target, % of the machine; null = not limited at all
 */
export function allocateBudget(
  claims: readonly Claim[],
  globalPercent: number | null,
  uncontrolledPercent = 0,
): Map<string, number | null> {
  const out = new Map<string, number | null>();
  if (globalPercent === null) {
    for (const c of claims) out.set(c.id, c.ownPercent);
    return out;
  }
  let remaining = Math.max(0, globalPercent - uncontrolledPercent);
  const caps = claims
    .map((c) => ({ id: c.id, cap: Math.min(c.ownPercent ?? Infinity, c.maxUsePercent), own: c.ownPercent }))
    .sort((a, b) => a.cap - b.cap);
  caps.forEach((c, i) => {
    const share = remaining / (caps.length - i);
    const target = Math.min(c.cap, share);
    remaining -= target;
    // A miner whose whole use fits in its share is not limited by the global budget (its own may still).
    out.set(c.id, target >= c.cap && c.own === null ? null : target);
  });
  return out;
}
