// Sessions are 32 random bytes handed to the browser in an HttpOnly cookie; only their
// SHA-256 is stored, so a database leak yields no usable session. A session ends after
// SESSION_TTL_HOURS idle or SESSION_MAX_AGE_HOURS in all.
import { Inject, Injectable } from '@nestjs/common';
import { hashToken, isToken, newToken } from '../security/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { SessionsRepository } from './sessions.repository.js';
import { RealtimeService } from '../realtime/realtime.service.js';

const HOUR = 3_600_000;
const TOUCH_EVERY_MS = 60_000;

@Injectable()
export class SessionsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly sessions: SessionsRepository,
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
    const session = await this.sessions.findByTokenHash(hashToken(token));
    const now = new Date();
    if (!session || session.expiresAt <= now) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.sessions.touch(session.id, now, this.expiry(session.createdAt, now));
    }
    return { userId: session.userId, username: session.user.username, sessionId: session.id };
  }

  list(actor: Actor) {
    return this.sessions.listForUser(actor.userId);
  }

  async end(actor: Actor, sessionId: string): Promise<boolean> {
    const { count } = await this.sessions.delete(actor.userId, sessionId);
    this.realtime.disconnectSession(sessionId);
    return count > 0;
  }

  async endAll(actor: Actor): Promise<void> {
    await this.sessions.deleteAllForUser(actor.userId);
    await this.realtime.disconnectUser(actor.userId);
  }

  /** After the user's other sessions were deleted (passphrase change), close their sockets. */
  disconnectOthers(actor: Actor): Promise<void> {
    return this.realtime.disconnectUser(actor.userId, actor.sessionId);
  }

  /** Idle expiry slides with use but never past the absolute maximum. */
  private expiry(createdAt: Date, lastSeen: Date): Date {
    const idle = lastSeen.getTime() + this.config.SESSION_TTL_HOURS * HOUR;
    const absolute = createdAt.getTime() + this.maxAgeMs;
    return new Date(Math.min(idle, absolute));
  }
}
