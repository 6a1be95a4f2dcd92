// Rate limits on top of @nestjs/throttler. Behind an onion service every request comes
// from tor on loopback, so client addresses mean nothing: callers without a session are
// counted per tor circuit instead (clientKey), sessions per session, log-in guesses per
// account and circuit (auth/login-limit.ts). No budget is shared by every anonymous
// caller, so a flood from one circuit cannot refuse anyone else's log-in.
import { Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Socket } from 'node:net';
import { hashToken } from '../security/tokens.js';
import { ApiError } from './api-error.js';
import type { Config } from '../config/config.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';
import { PUBLIC_ROUTE } from '../access/actor.js';
import { clientKey } from '../onion/client-key.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A setting (README "Settings") that holds a budget's limit. */
type RateSetting = Extract<keyof Config, `RATE_${string}`>;

/**
 * Every named rate-limit budget, in one table: the setting that holds its limit, the
 * window the limit counts over, and what the 429 answer says (`hint`, if any, follows the
 * "Try again" sentence). `api`, `kdf` and `auth` are @nestjs/throttler's limits on HTTP
 * routes (RateLimitGuard); the others are spent through RateLimiter by the services and
 * the WebSocket gateway.
 */
const BUDGETS = {
  /** Every HTTP request, per session; callers without one per client (tor circuit). */
  api: { limit: 'RATE_API_PER_MINUTE', window: MINUTE, what: 'Too many requests' },
  /** Requests for an account's KDF parameters (the first step of every log-in), per client. */
  kdf: {
    limit: 'RATE_KDF_PER_MINUTE',
    window: MINUTE,
    what: 'Too many log-in lookups from this connection',
  },
  /** Log-in and sign-up requests together, per client. */
  auth: {
    limit: 'RATE_AUTH_PER_MINUTE',
    window: MINUTE,
    what: 'Too many log-in and sign-up attempts from this connection',
  },
  /** Log-in attempts per account and client: a stranger's guesses lock only their own circuit. */
  'login-client': {
    limit: 'RATE_LOGIN_PER_CLIENT_PER_15_MIN',
    window: 15 * MINUTE,
    what: 'Too many log-in attempts for this account from this connection',
  },
  /** Log-in attempts per account from all clients; once spent, only a client's first attempt passes. */
  login: {
    limit: 'RATE_LOGIN_PER_ACCOUNT_PER_15_MIN',
    window: 15 * MINUTE,
    what: 'Too many log-in attempts for this account, and this connection has already tried',
    hint: 'A first attempt from a new tor circuit (Tor Browser: "New Tor circuit for this site") is let through.',
  },
  /** Accounts created, server-wide: only sign-ups that succeed count. */
  signup: { limit: 'RATE_SIGNUP_PER_HOUR', window: HOUR, what: 'Too many new accounts on this server right now' },
  /** Passphrase changes per user; each one runs the slow hash twice, and a wrong current passphrase counts too. */
  'passphrase-changes': {
    limit: 'RATE_PASSPHRASE_CHANGES_PER_HOUR',
    window: HOUR,
    what: 'Too many passphrase changes for this account',
  },
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
  /**
   * Requests whose cookie names no live session, per client: each costs a session lookup
   * before its 401, and a made-up cookie would otherwise get a fresh per-session budget.
   */
  'unknown-sessions': {
    limit: 'RATE_API_PER_MINUTE',
    window: MINUTE,
    what: 'Too many requests with a session that has ended or never existed',
  },
} as const satisfies Record<string, { limit: RateSetting; window: number; what: string; hint?: string }>;

export type BudgetName = keyof typeof BUDGETS;
/** The budgets HTTP routes spend through the guard; the rest are RateLimiter's. */
type RouteBudget = 'api' | 'kdf' | 'auth';
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

/** The 429 answer for a spent budget, `seconds` before it may be used again. */
export function rateLimited(name: BudgetName, seconds: number): ApiError {
  const budget: { what: string; hint?: string } = BUDGETS[name];
  const wait = Math.max(1, Math.ceil(seconds));
  const message = `${budget.what}. Try again in ${wait} s.${budget.hint ? ` ${budget.hint}` : ''}`;
  return new ApiError(429, 'rate_limited', message, { 'Retry-After': String(wait) });
}

export type LimitName = Exclude<RouteBudget, 'api'>;
const LIMITS_KEY = 'onionchat:rate-limits';
const UNLIMITED_KEY = 'onionchat:unlimited';

/** Adds the named per-client limits (besides the API limit) to a route. */
export const RateLimited = (...names: LimitName[]) => SetMetadata(LIMITS_KEY, names);

/** A route no budget applies to (the health check: a flood must not make the service look down). */
export const Unlimited = () => SetMetadata(UNLIMITED_KEY, true);

function notTagged(name: LimitName) {
  return (context: ExecutionContext): boolean => {
    const names = Reflect.getMetadata(LIMITS_KEY, context.getHandler()) as LimitName[] | undefined;
    return !names?.includes(name);
  };
}

type TrackedRequest = Record<string, unknown> & { socket?: Socket };

// Every tracker starts with its budget's name: the guard reads it back for the 429 text.
// Public routes count per client even with a cookie: the cookie is not checked there, so
// made-up cookies would otherwise give a fresh budget per request.
function apiTracker(req: TrackedRequest, context: ExecutionContext): string {
  const cookies = req['cookies'] as Record<string, string> | undefined;
  const token = cookies?.[SESSION_COOKIE];
  return token && !isPublic(context)
    ? `api:session:${Buffer.from(hashToken(token)).toString('hex')}`
    : `api:${clientKey(req)}`;
}

function isPublic(context: ExecutionContext): boolean {
  return [context.getHandler(), context.getClass()].some((target) => Reflect.getMetadata(PUBLIC_ROUTE, target));
}

const clientTracker = (name: LimitName) => (req: TrackedRequest) => `${name}:${clientKey(req)}`;

/** `storage` is shared by all instances (Redis) when given; otherwise counters stay in this process. */
export function throttlerOptions(config: Config, storage?: ThrottlerStorage): ThrottlerModuleOptions {
  const throttler = (name: RouteBudget) => {
    const { limit, window } = rateBudget(config, name);
    return { name, ttl: window, limit };
  };
  return {
    setHeaders: false,
    ...(storage ? { storage } : {}),
    // One counter per tracker across all routes (the default would count each route apart).
    generateKey: (_context, tracker) => tracker,
    throttlers: [
      { ...throttler('api'), getTracker: apiTracker },
      { ...throttler('kdf'), getTracker: clientTracker('kdf'), skipIf: notTagged('kdf') },
      { ...throttler('auth'), getTracker: clientTracker('auth'), skipIf: notTagged('auth') },
    ],
  };
}

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** HTTP only: WebSocket events have their own limits (RateLimiter). */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    return context.getType() === 'http' ? super.canActivate(context) : Promise.resolve(true);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(Reflect.getMetadata(UNLIMITED_KEY, context.getHandler()) === true);
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const name = detail.tracker.split(':')[0] ?? 'api';
    throw rateLimited(Object.hasOwn(BUDGETS, name) ? (name as BudgetName) : 'api', detail.timeToBlockExpire);
  }
}
