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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A setting (README "Settings") that holds a budget's limit. */
type RateSetting = Extract<keyof Config, `RATE_${string}`>;

/**
 * Every named rate-limit budget, in one table: the setting that holds its limit, the
 * window the limit counts over, and what the 429 answer says. `api`, `auth`, `login` and
 * `signup` are @nestjs/throttler's limits on HTTP routes (RateLimitGuard); the others are
 * spent through RateLimiter by the services and the WebSocket gateway.
 */
const BUDGETS = {
  /** Every HTTP request, per session (callers without one share a budget). */
  api: { limit: 'RATE_API_PER_MINUTE', window: MINUTE, what: 'Too many requests' },
  /** The kdf, log-in and sign-up routes, all callers together. */
  auth: {
    limit: 'RATE_AUTH_PER_MINUTE',
    window: MINUTE,
    what: 'Too many sign-in attempts on this server right now',
  },
  /** Log-in attempts per target account. */
  login: {
    limit: 'RATE_LOGIN_PER_ACCOUNT_PER_15_MIN',
    window: 15 * MINUTE,
    what: 'Too many log-in attempts for this account',
  },
  /** New accounts, all callers together. */
  signup: { limit: 'RATE_SIGNUP_PER_HOUR', window: HOUR, what: 'Too many new accounts on this server right now' },
  /** Friend requests and blocks by username per user, together; every attempt counts. */
  'friend-requests': {
    limit: 'RATE_FRIEND_REQUESTS_PER_HOUR',
    window: HOUR,
    what: 'Too many friend requests and blocks',
  },
  /** Messages per user, over HTTP and the WebSocket. */
  messages: { limit: 'RATE_MESSAGES_PER_MINUTE', window: MINUTE, what: 'You are sending messages too fast' },
  /** Upload requests per user. */
  uploads: { limit: 'RATE_UPLOAD_REQUESTS_PER_MINUTE', window: MINUTE, what: 'You are uploading too fast' },
  /** New files per user. */
  'new-files': { limit: 'RATE_NEW_FILES_PER_HOUR', window: HOUR, what: 'You are starting too many file uploads' },
  /** WebSocket events per session: the same allowance as its HTTP requests. */
  'ws-events': { limit: 'RATE_API_PER_MINUTE', window: MINUTE, what: 'Too many requests' },
} as const satisfies Record<string, { limit: RateSetting; window: number; what: string }>;

export type BudgetName = keyof typeof BUDGETS;
/** The budgets HTTP routes spend through the guard; the rest are RateLimiter's. */
type RouteBudget = 'api' | 'auth' | 'login' | 'signup';
export type LimiterBudget = Exclude<BudgetName, RouteBudget>;

export interface RateBudget {
  name: BudgetName;
  /** Uses allowed per window. */
  limit: number;
  /** Milliseconds. */
  window: number;
  /** The start of the 429 message. */
  what: string;
}

export function rateBudget(config: Config, name: BudgetName): RateBudget {
  const { limit, window, what } = BUDGETS[name];
  return { name, limit: config[limit], window, what };
}

export type LimitName = Exclude<RouteBudget, 'api'>;
const LIMITS_KEY = 'onionchat:rate-limits';

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
  const throttler = (name: RouteBudget) => {
    const { limit, window } = rateBudget(config, name);
    return { name, ttl: window, limit };
  };
  return {
    setHeaders: false,
    ...(storage ? { storage } : {}),
    throttlers: [
      { ...throttler('api'), getTracker: sessionTracker },
      { ...throttler('auth'), getTracker: () => 'auth', skipIf: notTagged('auth') },
      { ...throttler('login'), getTracker: accountTracker, skipIf: notTagged('login') },
      { ...throttler('signup'), getTracker: () => 'signup', skipIf: notTagged('signup') },
    ],
  };
}

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
    const name = detail.tracker.split(':')[0] ?? 'api';
    const what = (Object.hasOwn(BUDGETS, name) ? BUDGETS[name as BudgetName] : BUDGETS.api).what;
    throw new ApiError(429, 'rate_limited', `${what}. Try again in ${seconds} s.`, { 'Retry-After': String(seconds) });
  }
}
