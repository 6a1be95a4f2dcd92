// The one gate every route passes: public routes are marked, all others need a live
// session. Resource-level rules (rooms, files) build on the Actor this attaches.
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, type AuthedRequest } from './actor.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { SessionsService } from '../auth/sessions.service.js';
import { unauthorized } from '../common/api-error.js';
import { CutOff } from './cut-off.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { clientKey } from '../onion/client-key.js';

@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly limiter: RateLimiter,
  ) {}

  private readonly cutOff = new CutOff();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // WebSocket events authenticate at the handshake and per event in the gateway.
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!token) throw unauthorized('not_logged_in', 'You are not logged in.');
    const client = clientKey(req);
    this.cutOff.check(client);
    const actor = await this.sessions.authenticate(token);
    if (!actor) {
      // A cookie naming no session spends its client's budget: a flood of made-up cookies
      // from one circuit gets 429, and no lookups, once the budget is spent.
      await this.cutOff.spend(client, () => this.limiter.consume('unknown-sessions', client));
      throw unauthorized('session_expired', 'Your session has expired or was ended. Log in again.');
    }
    req.actor = actor;
    return true;
  }
}
