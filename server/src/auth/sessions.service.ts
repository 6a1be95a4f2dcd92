// Sessions are 32 random bytes handed to the browser in an HttpOnly cookie; only their
// SHA-256 is stored, so a database leak yields no usable session. A session ends after
// SESSION_TTL_HOURS idle or SESSION_MAX_AGE_HOURS in all. Live sessions are cached in
// memory (SessionCache); every way a session ends tells the cache of every instance.
import { Inject, Injectable } from '@nestjs/common';
import { hashToken, isToken, newToken } from '../security/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionCache, type CachedSession } from './session-cache.js';
import { RealtimeService } from '../realtime/realtime.service.js';

const HOUR = 3_600_000;
const TOUCH_EVERY_MS = 60_000;

@Injectable()
export class SessionsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly sessions: SessionsRepository,
    private readonly cache: SessionCache,
    private readonly realtime: RealtimeService,
  ) {}

  get maxAgeMs(): number {
    return this.config.SESSION_MAX_AGE_HOURS * HOUR;
  }

  async start(userId: string): Promise<{ token: string; id: string }> {
    const token = newToken();
    const session = await this.sessions.create(userId, hashToken(token), this.expiry(new Date(), new Date()));
    return { token, id: session.id };
  }

  async authenticate(token: string): Promise<Actor | null> {
    if (!isToken(token)) return null;
    const tokenHash = hashToken(token);
    const key = Buffer.from(tokenHash).toString('base64');
    const now = Date.now();
    const session = this.cache.get(key) ?? (await this.read(key, tokenHash));
    if (!session || session.expiresAt <= now) return null;
    // Recording use also re-reads the session, at most once a minute.
    if (now - session.lastSeenAt > TOUCH_EVERY_MS) return this.touch(key, session, now);
    return session.actor;
  }

  /** From the database, kept in the cache while it lives. */
  private async read(key: string, tokenHash: Uint8Array): Promise<CachedSession | null> {
    const generation = this.cache.generation();
    const row = await this.sessions.findByTokenHash(tokenHash);
    if (!row) return null;
    const session = {
      actor: { userId: row.userId, username: row.user.username, sessionId: row.id },
      createdAt: row.createdAt.getTime(),
      lastSeenAt: row.lastSeenAt.getTime(),
      expiresAt: row.expiresAt.getTime(),
    };
    if (session.expiresAt > Date.now()) this.cache.set(key, session, generation);
    return session;
  }

  private async touch(key: string, session: CachedSession, now: number): Promise<Actor | null> {
    const generation = this.cache.generation();
    const expiresAt = this.expiry(new Date(session.createdAt), new Date(now));
    const { count } = await this.sessions.touch(session.actor.sessionId, new Date(now), expiresAt);
    if (count === 0) {
      this.cache.forget(key);
      return null;
    }
    this.cache.set(key, { ...session, lastSeenAt: now, expiresAt: expiresAt.getTime() }, generation);
    return session.actor;
  }

  list(actor: Actor) {
    return this.sessions.listForUser(actor.userId);
  }

  /**
   * Ends one of the caller's sessions. The delete is scoped to the caller, so another
   * user's session id ends nothing, closes no sockets and answers like an unknown id.
   */
  async end(actor: Actor, sessionId: string): Promise<boolean> {
    const { count } = await this.sessions.delete(actor.userId, sessionId);
    if (count === 0) return false;
    this.cache.ended(sessionId);
    this.realtime.disconnectSession(sessionId);
    return true;
  }

  async endAll(actor: Actor): Promise<void> {
    await this.sessions.deleteAllForUser(actor.userId);
    this.cache.endedForUser(actor.userId);
    await this.realtime.disconnectUser(actor.userId);
  }

  /** After the user's other sessions were deleted (passphrase change), close their sockets. */
  disconnectOthers(actor: Actor): Promise<void> {
    this.cache.endedForUser(actor.userId, actor.sessionId);
    return this.realtime.disconnectUser(actor.userId, actor.sessionId);
  }

  /** Idle expiry slides with use but never past the absolute maximum. */
  private expiry(createdAt: Date, lastSeen: Date): Date {
    const idle = lastSeen.getTime() + this.config.SESSION_TTL_HOURS * HOUR;
    const absolute = createdAt.getTime() + this.maxAgeMs;
    return new Date(Math.min(idle, absolute));
  }
}
