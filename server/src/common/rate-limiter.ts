// Per-user limits outside HTTP routes (WebSocket events, actions with their own
// budgets), on the same storage as @nestjs/throttler.
import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ApiError } from './api-error.js';

@Injectable()
export class RateLimiter {
  constructor(@Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage) {}

  /** Counts one use of `name` by `key`; throws 429 once `limit` uses fall within `ttlMs`. */
  async consume(name: string, key: string, limit: number, ttlMs: number, what: string): Promise<void> {
    const record = await this.storage.increment(`${name}:${key}`, ttlMs, limit, 0, name);
    if (record.totalHits > limit) {
      const seconds = Math.max(1, Math.ceil(record.timeToExpire));
      throw new ApiError(429, 'rate_limited', `${what}. Try again in ${seconds} s.`, {
        'Retry-After': String(seconds),
      });
    }
  }
}
