// Per-user and per-session limits outside HTTP routes (WebSocket events, actions with
// their own budgets), on the same storage as @nestjs/throttler. The budgets are the
// table in rate-limit.ts.
import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { CONFIG, type Config } from '../config/config.js';
import { rateBudget, rateLimited, type LimiterBudget } from './rate-limit.js';

/** One use counted against a budget. */
export interface Use {
  /** Uses within the window, this one included. */
  count: number;
  /** This use is beyond the budget's limit. */
  over: boolean;
  /** Seconds until the window frees a use. */
  retryAfter: number;
}

@Injectable()
export class RateLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Counts one use of the budget `name` by `key`, and says whether it is over the limit. */
  async count(name: LimiterBudget, key: string): Promise<Use> {
    const { limit, window } = rateBudget(this.config, name);
    const record = await this.storage.increment(`${name}:${key}`, window, limit, 0, name);
    return { count: record.totalHits, over: record.totalHits > limit, retryAfter: record.timeToExpire };
  }

  /** Counts one use of the budget `name` by `key`; throws 429 once its limit is spent within its window. */
  async consume(name: LimiterBudget, key: string): Promise<void> {
    const use = await this.count(name, key);
    if (use.over) throw rateLimited(name, use.retryAfter);
  }
}
