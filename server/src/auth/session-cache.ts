// Live sessions held in memory, so a WebSocket event or an HTTP request does not read
// PostgreSQL to learn what it learnt a moment ago. A session that ends is dropped here
// and, through Invalidations, on every other instance at once. The cache answers only
// while that news is known to arrive (Invalidations.reliable), and an entry read from
// the database while news of an ending was on its way is not kept (the generation check).
// Expiry is checked on every use; SessionsService re-reads each session at least once a
// minute when it records its use, so even a lost message cannot keep one alive longer.
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { Invalidations } from '../cache/invalidations.js';

export interface CachedSession {
  actor: Actor;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

const TOPIC = 'sessions-ended';

@Injectable()
export class SessionCache {
  private readonly byTokenHash = new Map<string, CachedSession>();
  private generationNow = 0;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly invalidations: Invalidations,
  ) {
    invalidations.on(TOPIC, ({ sessionId, userId, exceptSessionId }) =>
      this.drop((s) =>
        sessionId
          ? s.actor.sessionId === sessionId
          : s.actor.userId === userId && s.actor.sessionId !== exceptSessionId,
      ),
    );
    invalidations.onReset(() => this.drop(() => true));
  }

  /** Taken before reading a session from the database and given back to `set`. */
  generation(): number {
    return this.generationNow;
  }

  get(tokenHash: string): CachedSession | undefined {
    return this.invalidations.reliable ? this.byTokenHash.get(tokenHash) : undefined;
  }

  /** Keeps a session read from the database, unless a session ended since `generation`. */
  set(tokenHash: string, session: CachedSession, generation: number): void {
    if (generation !== this.generationNow || !this.invalidations.reliable) return;
    if (this.config.SESSION_CACHE_ENTRIES === 0) return;
    this.byTokenHash.delete(tokenHash);
    this.byTokenHash.set(tokenHash, session);
    // Oldest first in a Map's order: the least recently stored goes.
    if (this.byTokenHash.size > this.config.SESSION_CACHE_ENTRIES) {
      this.byTokenHash.delete(this.byTokenHash.keys().next().value!);
    }
  }

  forget(tokenHash: string): void {
    this.byTokenHash.delete(tokenHash);
  }

  /** The session ended (logged out, ended from another device): on every instance. */
  ended(sessionId: string): void {
    this.invalidations.publish(TOPIC, { sessionId });
  }

  /** Every session of the user but `exceptSessionId` ended (log out everywhere, passphrase change). */
  endedForUser(userId: string, exceptSessionId = ''): void {
    this.invalidations.publish(TOPIC, { userId, exceptSessionId });
  }

  private drop(matches: (s: CachedSession) => boolean): void {
    this.generationNow++;
    for (const [hash, session] of this.byTokenHash) if (matches(session)) this.byTokenHash.delete(hash);
  }
}
