// Slows down guessing of the master token: a token bucket of failed authentications per client address.
// Only failures spend from it, so a client that authenticates correctly is never delayed by its own traffic.
export interface FailureLimits {
  /** Wrong tokens an address may send in a burst. */
  burst: number;
  /** After the burst, one more try per this many ms. */
  refillMs: number;
  /** Addresses remembered at most (the oldest are forgotten first), so a flood of addresses is bounded. */
  maxTracked: number;
}

export const DEFAULT_FAILURE_LIMITS: FailureLimits = { burst: 10, refillMs: 6_000, maxTracked: 10_000 };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * The key an address is limited under: IPv4 (also IPv4-mapped IPv6) as is; IPv6 by its /64 prefix,
 * since one host usually holds a whole /64 and could otherwise rotate through it.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const plain = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped) return mapped[1]!;
  if (!plain.includes(':')) return plain;
  const [head = '', tail] = plain.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class FailureLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limits: FailureLimits = DEFAULT_FAILURE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until this address may try a token again; 0 when it may now. */
  retryAfterMs(address: string): number {
    const bucket = this.refilled(address);
    if (!bucket || bucket.tokens >= 1) return 0;
    return Math.ceil((1 - bucket.tokens) * this.limits.refillMs);
  }

  recordFailure(address: string): void {
    const bucket = this.refilled(address) ?? { tokens: this.limits.burst, updatedAt: this.now() };
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    // Re-inserted so Map order is least-recently-failed first, the order in which addresses are forgotten.
    this.buckets.delete(address);
    this.buckets.set(address, bucket);
    while (this.buckets.size > this.limits.maxTracked) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }

  get tracked(): number {
    return this.buckets.size;
  }

  private refilled(address: string): Bucket | null {
    const bucket = this.buckets.get(address);
    if (!bucket) return null;
    const at = this.now();
    bucket.tokens = Math.min(
      this.limits.burst,
      bucket.tokens + (at - bucket.updatedAt) / this.limits.refillMs,
    );
    bucket.updatedAt = at;
    if (bucket.tokens >= this.limits.burst) {
      // A full bucket is the same as no bucket: forget the address.
      this.buckets.delete(address);
      return null;
    }
    return bucket;
  }
}
