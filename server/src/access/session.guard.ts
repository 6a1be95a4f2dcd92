// The one gate every route passes: public routes are marked, all others need a live
// session. Resource-level rules (rooms, files) build on the Actor this attaches.
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, type AuthedRequest } from './actor.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { SessionCheck } from './session-check.js';
import { unauthorized } from '../common/api-error.js';
import { clientKey } from '../onion/client-key.js';

@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionCheck,
  ) {}

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
    const actor = await this.sessions.actorOf(token, clientKey(req));
    if (!actor) throw unauthorized('session_expired', 'Your session has expired or was ended. Log in again.');
    req.actor = actor;
    return true;
  }
}
