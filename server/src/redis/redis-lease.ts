// Short leases in Redis: taken with SET NX, renewed while the holder works, released only
// by the holder (a random token). If an instance dies holding one, it lapses within the
// lease time instead of blocking the file for good.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ApiError } from '../common/api-error.js';
import type { Release, UploadLocks } from '../files/upload-locks.js';

const LEASE_MS = 15_000;
const RENEW_MS = 5_000;

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisUploadLocks implements UploadLocks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly leaseMs = LEASE_MS,
  ) {}

  async tryAcquire(fileId: string): Promise<Release | null> {
    const key = `${this.prefix}upload-lock:${fileId}`;
    const token = randomBytes(16).toString('hex');
    const taken = await this.redis.set(key, token, 'PX', this.leaseMs, 'NX').catch(() => {
      throw new ApiError(
        503,
        'unavailable',
        'The server is briefly unable to take this upload. Try again in a moment.',
      );
    });
    if (taken !== 'OK') return null;
    const renewal = setInterval(
      () => void this.redis.eval(RENEW, 1, key, token, this.leaseMs).catch(() => {}),
      Math.min(RENEW_MS, this.leaseMs / 3),
    );
    renewal.unref();
    return async () => {
      clearInterval(renewal);
      await this.redis.eval(RELEASE, 1, key, token).catch(() => {});
    };
  }
}
