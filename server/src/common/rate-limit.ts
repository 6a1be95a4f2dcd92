// Rate limits on top of @nestjs/throttler. Behind an onion service every request comes
// from tor on loopback, so client addresses mean nothing: limits are keyed by session,
// by target account (login guesses) or shared by all anonymous callers.
import { Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { hashToken } from '../security/tokens.js';
import { normalizeUsername } from '@onionchat/protocol';
import { ApiError } from './api-error.js';
import type { Config } from '../config/config.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';

export type LimitName = 'auth' | 'login' | 'signup';
const LIMITS_KEY = 'onionchat:rate-limits';
const MINUTE = 60_000;

/** Adds the named limits (besides the per-session API limit) to a route. */
export const RateLimited = (...names: LimitName[]) => SetMetadata(LIMITS_KEY, names);

function notTagged(name: LimitName) {
  return (context: ExecutionContext): boolean => {
    const names = Reflect.getMetadata(LIMITS_KEY, context.getHandler()) as LimitName[] | undefined;
    return !names?.includes(name);
  };
}

function sessionTracker(req: Record<string, unknown>): string {
  const cookies = req['cookies'] as Record<string, string> | undefined;
  const token = cookies?.[SESSION_COOKIE];
  return token ? `api:session:${Buffer.from(hashToken(token)).toString('hex')}` : 'api:anonymous';
}

function accountTracker(req: Record<string, unknown>): string {
  // Runs before validation: a username that is not a string (an array, an object with
  // a hostile toString) must not throw here; validation refuses it right after.
  const name = (req['body'] as { username?: unknown } | undefined)?.username;
  return `login:${normalizeUsername(typeof name === 'string' ? name : '')}`;
}

/** `storage` is shared by all instances (Redis) when given; otherwise counters stay in this process. */
export function throttlerOptions(config: Config, storage?: ThrottlerStorage): ThrottlerModuleOptions {
  return {
    setHeaders: false,
    ...(storage ? { storage } : {}),
    throttlers: [
      { name: 'api', ttl: MINUTE, limit: config.RATE_API_PER_MINUTE, getTracker: sessionTracker },
      {
        name: 'auth',
        ttl: MINUTE,
        limit: config.RATE_AUTH_PER_MINUTE,
        getTracker: () => 'auth',
        skipIf: notTagged('auth'),
      },
      {
        name: 'login',
        ttl: 15 * MINUTE,
        limit: config.RATE_LOGIN_PER_ACCOUNT_PER_15_MIN,
        getTracker: accountTracker,
        skipIf: notTagged('login'),
      },
      {
        name: 'signup',
        ttl: 60 * MINUTE,
        limit: config.RATE_SIGNUP_PER_HOUR,
        getTracker: () => 'signup',
        skipIf: notTagged('signup'),
      },
    ],
  };
}

const WHAT: Record<string, string | undefined> = {
  api: 'Too many requests',
  auth: 'Too many sign-in attempts on this server right now',
  login: 'Too many log-in attempts for this account',
  signup: 'Too many new accounts on this server right now',
};

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** HTTP only: WebSocket events have their own limits (RateLimiter). */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    return context.getType() === 'http' ? super.canActivate(context) : Promise.resolve(true);
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    // Trackers start with their limit's name (see above).
    const what = WHAT[detail.tracker.split(':')[0] ?? 'api'] ?? WHAT['api'];
    throw new ApiError(429, 'rate_limited', `${what}. Try again in ${seconds} s.`, { 'Retry-After': String(seconds) });
  }
}
