// Browser sessions of the headless server: the printed ?token= link is traded for a random session id, so
// the cookie is never the master token. Sessions expire (idle and absolute) and can be revoked. With a
// session file they outlive a server restart under the same token (the browser reconnects on its own);
// a new token ends them all.
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, renameSync } from 'node:fs';
import { z } from 'zod';
import { atomicWrite } from '../core/util/atomic-write';

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

/** Where sessions are kept between runs: only hashes of ids, tied to the master token's fingerprint. */
export interface SessionPersistence {
  path: string;
  /** SHA-256 of the master token: sessions of another token are never loaded. */
  tokenFingerprint: string;
}

export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(`hashdeck-session:${token}`, 'utf8').digest('hex');
}

const sessionFileSchema = z.object({
  version: z.literal(1),
  token: z.string(),
  sessions: z
    .array(z.object({ key: z.string().max(64), createdAt: z.number(), lastSeenAt: z.number() }))
    .max(4096),
});

// lastSeenAt moves on every request; writing it once a minute is plenty for a 24 h idle limit.
const SAVE_DELAY_MS = 60_000;

// Stored under the id's SHA-256, so a lookup's timing can only ever reveal bits of a hash.
function keyOf(id: string): SessionKey {
  return createHash('sha256').update(id, 'utf8').digest('base64url') as SessionKey;
}

export class SessionStore {
  private readonly sessions = new Map<SessionKey, Session>();
  private readonly revokeListeners = new Set<(key: SessionKey | null) => void>();

  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly persist: SessionPersistence | null = null,
  ) {
    if (persist) this.load(persist);
  }

  /** Loads live sessions of the same token; a file that is not ours is set aside, never trusted. */
  private load(persist: SessionPersistence): void {
    let raw: string;
    try {
      const info = lstatSync(persist.path);
      if (!info.isFile() || info.size > 1024 * 1024) throw new Error('not a small regular file');
      raw = readFileSync(persist.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.setAside(persist.path);
      return;
    }
    let file: z.infer<typeof sessionFileSchema>;
    try {
      file = sessionFileSchema.parse(JSON.parse(raw));
    } catch {
      this.setAside(persist.path);
      return;
    }
    if (file.token !== persist.tokenFingerprint) return; // another token: every old session is over
    const at = this.now();
    for (const s of file.sessions) {
      const session = { createdAt: s.createdAt, lastSeenAt: s.lastSeenAt };
      if (!this.expired(session, at) && this.sessions.size < this.limits.maxSessions) {
        this.sessions.set(s.key as SessionKey, session);
      }
    }
  }

  private setAside(path: string): void {
    try {
      renameSync(path, `${path}.unreadable-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`);
    } catch {
      // nothing to keep
    }
  }

  /** Writes the sessions now (`soon`: within a minute); a no-op without a session file. */
  private save(soon = false): void {
    if (!this.persist) return;
    if (soon) {
      this.saveTimer ??= setTimeout(() => {
        this.saveTimer = null;
        this.save();
      }, SAVE_DELAY_MS);
      this.saveTimer.unref?.();
      return;
    }
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const persist = this.persist;
    const content = JSON.stringify({
      version: 1,
      token: persist.tokenFingerprint,
      sessions: [...this.sessions].map(([key, s]) => ({
        key,
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
      })),
    });
    // Serialized, so an older write never lands after a newer one.
    this.saving = this.saving.then(() => atomicWrite(persist.path, content).catch(() => undefined));
  }

  /** Resolves once pending writes are on disk (shutdown, tests). */
  async flush(): Promise<void> {
    if (this.saveTimer) this.save();
    await this.saving;
  }

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
    this.save();
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
    this.save(true);
    return true;
  }

  revoke(key: SessionKey): boolean {
    if (!this.sessions.delete(key)) return false;
    this.save();
    for (const listener of this.revokeListeners) listener(key);
    return true;
  }

  /** Ends every browser session (the link leaked, or the user logs everyone out); returns how many. */
  revokeAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    this.save();
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
