// The Redis-backed pieces on their own, against the real Redis (each run under its own
// key prefix): rate-limit counters shared by two connections, and upload leases.
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';
import { RedisUploadLocks } from './redis-lease.js';
import { RedisConnections } from './redis-connections.js';
import { eventually, sleep } from '../../test-support/cluster.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const reachable = await RedisConnections.open(REDIS_URL, 'probe:').then(
  async (c) => (await c.close(), true),
  () => false,
);
const prefix = `onionchat-test-${randomBytes(6).toString('hex')}:`;

/**
 * A TCP relay to Redis that can be cut and restored. Cut, it drops its connections and
 * stops listening, so reconnections are refused as they would be with Redis down.
 */
async function cuttableProxy(target: URL) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => (sockets.delete(a), b.destroy()));
    }
  });
  const listen = (port = 0) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen();
  const port = (server.address() as AddressInfo).port;
  const drop = () => {
    server.close();
    sockets.forEach((s) => s.destroy());
  };
  return { port, cut: drop, restore: () => listen(port), close: drop };
}

const title = 'Redis shared state';
// CI has Redis: there a missing Redis fails the run instead of skipping.
describe.skipIf(!reachable && !process.env.CI)(
  reachable ? title : `${title} (skipped: no Redis at ${REDIS_URL})`,
  () => {
    // Two connections stand for two instances.
    let one: Redis;
    let two: Redis;
    beforeAll(() => {
      one = new Redis(REDIS_URL);
      two = new Redis(REDIS_URL);
    });
    afterAll(async () => {
      const keys = await one.keys(`${prefix}*`);
      if (keys.length) await one.del(...keys);
      await Promise.all([one.quit(), two.quit()]);
    });

    describe('rate-limit storage', () => {
      it('counts hits from every instance in one window and reports when it ends', async () => {
        const a = new RedisThrottlerStorage(one, prefix);
        const b = new RedisThrottlerStorage(two, prefix);
        const hits = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).increment('user-1', 60_000, 30, 0, 'messages')),
        );
        // Atomic: each hit saw a distinct count, none lost.
        expect(hits.map((h) => h.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(hits.every((h) => h.timeToExpire > 0 && h.timeToExpire <= 60 && !h.isBlocked)).toBe(true);
        const other = await a.increment('user-2', 60_000, 30, 0, 'messages');
        const otherName = await a.increment('user-1', 60_000, 30, 0, 'uploads');
        expect([other.totalHits, otherName.totalHits]).toEqual([1, 1]);
      });

      it('starts a new window once the old one has passed', async () => {
        const a = new RedisThrottlerStorage(one, prefix);
        await a.increment('short', 200, 1, 0, 'api');
        expect((await a.increment('short', 200, 1, 0, 'api')).totalHits).toBe(2);
        await eventually(async () => (await one.exists(`${prefix}limit:api:short:hits`)) === 0, 5000);
        expect((await a.increment('short', 200, 1, 0, 'api')).totalHits).toBe(1);
      });

      it('blocks for the block duration once over the limit, without counting blocked hits', async () => {
        const a = new RedisThrottlerStorage(one, prefix);
        const b = new RedisThrottlerStorage(two, prefix);
        const first = await a.increment('login:target', 60_000, 2, 30_000, 'login');
        await b.increment('login:target', 60_000, 2, 30_000, 'login');
        const over = await a.increment('login:target', 60_000, 2, 30_000, 'login');
        const again = await b.increment('login:target', 60_000, 2, 30_000, 'login');
        expect(first).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
        expect(over).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 30 });
        expect(again.isBlocked).toBe(true);
        expect(again.timeToBlockExpire).toBeGreaterThan(0);
        expect(await one.get(`${prefix}limit:login:login:target:hits`)).toBe('3');
      });

      it('answers 503 rather than letting requests through when Redis cannot be asked', async () => {
        const gone = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
        const storage = new RedisThrottlerStorage(gone, prefix);
        await expect(storage.increment('x', 1000, 1, 0, 'api')).rejects.toMatchObject({ status: 503 });
        gone.disconnect();
      });
    });

    describe('upload leases', () => {
      it('lets one holder at a time write a file, across instances', async () => {
        const a = new RedisUploadLocks(one, prefix);
        const b = new RedisUploadLocks(two, prefix);
        const release = await a.tryAcquire('file-1');
        expect(release).not.toBeNull();
        expect(await b.tryAcquire('file-1')).toBeNull();
        expect(await b.tryAcquire('file-2')).not.toBeNull();
        await release!();
        const next = await b.tryAcquire('file-1');
        expect(next).not.toBeNull();
        // A stale release from the first holder cannot free the new holder's lease.
        await release!();
        expect(await a.tryAcquire('file-1')).toBeNull();
        await next!();
      });

      it('keeps a lease while its holder works, and lets it lapse when the holder dies', async () => {
        const mortal = new Redis(REDIS_URL);
        const holder = new RedisUploadLocks(mortal, prefix, 600);
        const other = new RedisUploadLocks(two, prefix, 600);
        const release = await holder.tryAcquire('file-3');
        expect(release).not.toBeNull();
        // Renewals keep it past one lease time.
        const key = `${prefix}upload-lock:file-3`;
        await sleep(1500);
        expect(await other.tryAcquire('file-3')).toBeNull();
        mortal.disconnect();
        await eventually(async () => (await two.exists(key)) === 0, 5000);
        const taken = await other.tryAcquire('file-3');
        expect(taken).not.toBeNull();
        await taken!();
      });
    });

    it('lets the adapter publish and (un)subscribe on closed connections without an unhandled rejection', async () => {
      const connections = await RedisConnections.open(REDIS_URL, prefix);
      connections.pub.disconnect();
      connections.sub.disconnect();
      await expect(connections.pub.spublish(`${prefix}channel`, 'lost')).resolves.toBe(0);
      await expect(connections.sub.ssubscribe(`${prefix}channel`)).resolves.toBe(0);
      await expect(connections.sub.sunsubscribe(`${prefix}channel`)).resolves.toBe(0);
      await connections.close();
    });

    it("keeps the subscriber's (un)subscriptions through an outage and sends them once it is back", async () => {
      const proxy = await cuttableProxy(new URL(REDIS_URL));
      const connections = await RedisConnections.open(`redis://127.0.0.1:${proxy.port}`, prefix);
      const seen: string[] = [];
      connections.sub.on('smessage', (channel: string) => seen.push(channel));
      await connections.sub.ssubscribe(`${prefix}kept`);
      await connections.sub.ssubscribe(`${prefix}dropped`);
      proxy.cut();
      // Longer than the retries a command gets on the other connections (then it fails).
      const joined = connections.sub.ssubscribe(`${prefix}joined`);
      const left = connections.sub.sunsubscribe(`${prefix}dropped`);
      await sleep(1500);
      await proxy.restore();
      expect(await Promise.all([joined, left])).not.toContain(0);
      for (const name of ['kept', 'dropped', 'joined']) await one.spublish(`${prefix}${name}`, 'news');
      await eventually(() => seen.length >= 2);
      await sleep(200);
      expect(seen.sort()).toEqual([`${prefix}joined`, `${prefix}kept`]);
      await connections.close();
      proxy.close();
    });

    it('refuses to start against an unreachable Redis, naming the address but not the password', async () => {
      const failure = await RedisConnections.open('redis://:hunter2secret@127.0.0.1:1', prefix).catch((e: Error) => e);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/REDIS_URL is set but Redis at 127\.0\.0\.1:1 cannot be reached/);
      expect((failure as Error).message).not.toContain('hunter2secret');
    });
  },
);
