// Who a session cookie belongs to, for the session guard and for GET /api/session alike.
// A cookie naming no session spends its client's budget (`unknown-sessions`): a flood of
// made-up cookies from one circuit gets 429, and no lookups, once the budget is spent.
import { Injectable } from '@nestjs/common';
import type { Actor } from './actor.js';
import { CutOff } from './cut-off.js';
import { SessionsService } from '../auth/sessions.service.js';
import { RateLimiter } from '../common/rate-limiter.js';

@Injectable()
export class SessionCheck {
  private readonly cutOff = new CutOff();

  constructor(
    private readonly sessions: SessionsService,
    private readonly limiter: RateLimiter,
  ) {}

  /** The session's actor, or null when `token` names none; 429 once `client` spent its budget. */
  async actorOf(token: string, client: string): Promise<Actor | null> {
    this.cutOff.check(client);
    const actor = await this.sessions.authenticate(token);
    if (!actor) await this.cutOff.spend(client, () => this.limiter.consume('unknown-sessions', client));
    return actor;
  }
}
