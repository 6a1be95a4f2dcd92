// Rate-limit counters in Redis, so every instance counts against the same budget. One
// Lua script per hit keeps the count, its window and any block atomic. Windows are
// fixed (they start at the first hit) rather than sliding as in @nestjs/throttler's
// memory store: the limit holds exactly, and Retry-After is when the window ends.
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { ApiError } from '../common/api-error.js';

// KEYS: hits, block. ARGV: window ms, limit, block ms.
// Returns hits, ms left in the window, 1 if blocked, ms left in the block.
const HIT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or ARGV[2]) + 1, math.max(redis.call('PTTL', KEYS[1]), 0), 1, blockLeft}
end
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
if tonumber(ARGV[3]) > 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, left, 1, tonumber(ARGV[3])}
end
return {hits, left, 0, 0}
`;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const seconds = (ms: number) => Math.ceil(ms / 1000);

export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('onionchatHit', { numberOfKeys: 2, lua: HIT });
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}limit:${throttlerName}:${key}`;
    let reply: [number, number, number, number];
    try {
      reply = (await (this.redis as unknown as Hit).onionchatHit(
        `${base}:hits`,
        `${base}:block`,
        ttl,
        limit,
        blockDuration,
      )) as [number, number, number, number];
    } catch {
      // Without the shared counters no limit can be enforced; refusing is the safe side.
      throw new ApiError(503, 'unavailable', 'The server is briefly unable to check limits. Try again in a moment.');
    }
    const [totalHits, windowLeft, blocked, blockLeft] = reply;
    return {
      totalHits,
      timeToExpire: seconds(windowLeft),
      isBlocked: blocked === 1,
      timeToBlockExpire: seconds(blockLeft),
    };
  }
}

interface Hit {
  onionchatHit(...args: (string | number)[]): Promise<unknown>;
}
