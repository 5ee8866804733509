// Browser sessions of the headless server: the printed ?token= link is traded for a random session id, so
// the cookie is never the master token. Sessions expire (idle and absolute), can be revoked, die with the process.
import { createHash, randomBytes } from 'node:crypto';

export interface SessionLimits {
  /** A session nobody used for this long is over. */
  idleMs: number;
  /** And every session is over this long after the link was opened, used or not. */
  maxAgeMs: number;
  /** Live sessions kept at most; opening the link once more evicts the least recently used. */
  maxSessions: number;
}

const HOUR = 60 * 60 * 1000;
export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 24 * HOUR,
  maxAgeMs: 7 * 24 * HOUR,
  maxSessions: 256,
};

/** What callers hold: the key under which the session is stored, never the id the browser holds. */
export type SessionKey = string & { readonly __session: unique symbol };

interface Session {
  createdAt: number;
  lastSeenAt: number;
}

// Stored under the id's SHA-256, so a lookup's timing can only ever reveal bits of a hash.
function keyOf(id: string): SessionKey {
  return createHash('sha256').update(id, 'utf8').digest('base64url') as SessionKey;
}

export class SessionStore {
  private readonly sessions = new Map<SessionKey, Session>();
  private readonly revokeListeners = new Set<(key: SessionKey | null) => void>();

  constructor(
    readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session; returns the id to put in the cookie (256 random bits). */
  create(): { id: string; key: SessionKey } {
    this.prune();
    while (this.sessions.size >= this.limits.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.revoke(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const key = keyOf(id);
    const at = this.now();
    this.sessions.set(key, { createdAt: at, lastSeenAt: at });
    return { id, key };
  }

  /** The session a cookie names when it is live, and marks it used; null when unknown or expired. */
  use(id: string): SessionKey | null {
    const key = keyOf(id);
    return this.touch(key) ? key : null;
  }

  /** Marks a known session used (an open event stream keeps it alive); false when it is over. */
  touch(key: SessionKey): boolean {
    const session = this.sessions.get(key);
    if (!session) return false;
    const at = this.now();
    if (this.expired(session, at)) {
      this.revoke(key);
      return false;
    }
    session.lastSeenAt = at;
    // Map order doubles as least-recently-used order for eviction.
    this.sessions.delete(key);
    this.sessions.set(key, session);
    return true;
  }

  revoke(key: SessionKey): boolean {
    if (!this.sessions.delete(key)) return false;
    for (const listener of this.revokeListeners) listener(key);
    return true;
  }

  /** Ends every browser session (the link leaked, or the user logs everyone out); returns how many. */
  revokeAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    for (const listener of this.revokeListeners) listener(null);
    return count;
  }

  /** Called with the revoked key, or null when all were revoked. */
  onRevoke(listener: (key: SessionKey | null) => void): () => void {
    this.revokeListeners.add(listener);
    return () => this.revokeListeners.delete(listener);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Drops sessions that are over; cheap enough to run on every create. */
  prune(): void {
    const at = this.now();
    for (const [key, session] of this.sessions) if (this.expired(session, at)) this.revoke(key);
  }

  private expired(session: Session, at: number): boolean {
    return at - session.lastSeenAt >= this.limits.idleMs || at - session.createdAt >= this.limits.maxAgeMs;
  }
}
