// Several built server processes against one database and one Redis, each run under its
// own Redis prefix, for the scale-out tests and the instance benchmark.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { spawnServer, type RunningServer } from './server-process.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a Redis answers at `url` (the scale tests skip without one). */
export async function redisReachable(url = TEST_REDIS_URL): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export const uniquePrefix = (what: string) => `onionchat-test-${what}-${randomBytes(6).toString('hex')}:`;

/** Deletes every key under `prefix` (what a test run left in Redis). */
export async function dropPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

export interface Cluster {
  instances: RunningServer[];
  prefix: string;
  stop: () => Promise<void>;
}

/** `count` instances sharing `dbUrl`, Redis and a files directory, started one after another. */
export async function startCluster(count: number, dbUrl: string, env: Record<string, string> = {}): Promise<Cluster> {
  const prefix = uniquePrefix('cluster');
  const shared = {
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    REGISTRATION: 'open',
    WEB_DIR: '/nonexistent',
    RATE_SIGNUP_PER_HOUR: '10000',
    RATE_AUTH_PER_MINUTE: '10000',
    RATE_KDF_PER_MINUTE: '10000',
    ...env,
  };
  const instances: RunningServer[] = [];
  const stop = async () => {
    await Promise.all(instances.map((i) => i.kill('SIGTERM')));
    await dropPrefix(prefix);
  };
  try {
    for (let i = 0; i < count; i++) instances.push(await spawnServer({ dbUrl, env: shared }));
  } catch (err) {
    await stop();
    throw err;
  }
  return { instances, prefix, stop };
}

/** Polls an async condition until it holds (bounded). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
