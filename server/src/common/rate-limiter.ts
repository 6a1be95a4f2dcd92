// Per-user and per-session limits outside HTTP routes (WebSocket events, actions with
// their own budgets), on the same storage as @nestjs/throttler. The budgets are the
// table in rate-limit.ts.
import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { CONFIG, type Config } from '../config/config.js';
import { ApiError } from './api-error.js';
import { rateBudget, type LimiterBudget } from './rate-limit.js';

@Injectable()
export class RateLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Counts one use of the budget `name` by `key`; throws 429 once its limit is spent within its window. */
  async consume(name: LimiterBudget, key: string): Promise<void> {
    const { limit, window, what } = rateBudget(this.config, name);
    const record = await this.storage.increment(`${name}:${key}`, window, limit, 0, name);
    if (record.totalHits > limit) {
      const seconds = Math.max(1, Math.ceil(record.timeToExpire));
      throw new ApiError(429, 'rate_limited', `${what}. Try again in ${seconds} s.`, {
        'Retry-After': String(seconds),
      });
    }
  }
}
