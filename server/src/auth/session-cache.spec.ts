// The session cache answers only what is still true: an ended session goes at once, here
// and (through Redis) on every other instance, and nothing is trusted while news from
// other instances may be missed. Cross-instance log-outs through real servers are in
// scale/two-instances.spec.ts.
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { LocalInvalidations, RedisInvalidations } from '../cache/invalidations.js';
import { TEST_REDIS_URL, eventually, redisReachable, uniquePrefix } from '../../test-support/cluster.js';
import { SessionCache, type CachedSession } from './session-cache.js';

const config = { SESSION_CACHE_ENTRIES: 3 } as Config;

function session(sessionId: string, userId = 'u1'): CachedSession {
  return {
    actor: { userId, username: userId, sessionId },
    createdAt: 0,
    lastSeenAt: Date.now(),
    expiresAt: Date.now() + 60_000,
  };
}

function cacheWith(...ids: [hash: string, sessionId: string, userId?: string][]) {
  const cache = new SessionCache(config, new LocalInvalidations());
  for (const [hash, sessionId, userId] of ids) cache.set(hash, session(sessionId, userId), cache.generation());
  return cache;
}

describe('SessionCache', () => {
  it('drops an ended session and nothing else', () => {
    const cache = cacheWith(['h1', 's1'], ['h2', 's2']);
    cache.ended('s1');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')?.actor.sessionId).toBe('s2');
  });

  it('drops every session of a user but the one kept (passphrase change, log out everywhere)', () => {
    const cache = cacheWith(['h1', 's1', 'amy'], ['h2', 's2', 'amy'], ['h3', 's3', 'bo']);
    cache.endedForUser('amy', 's2');
    expect([cache.get('h1'), cache.get('h2')?.actor.sessionId, cache.get('h3')?.actor.sessionId]).toEqual([
      undefined,
      's2',
      's3',
    ]);
    cache.endedForUser('amy');
    expect(cache.get('h2')).toBeUndefined();
  });

  it('does not keep a session read before news of an ending arrived', () => {
    const cache = cacheWith();
    const generation = cache.generation(); // the database read starts
    cache.ended('s1'); // the session ends meanwhile, here or on another instance
    cache.set('h1', session('s1'), generation); // the read's (stale) answer
    expect(cache.get('h1')).toBeUndefined();
  });

  it('holds at most SESSION_CACHE_ENTRIES, forgetting the oldest', () => {
    const cache = cacheWith(['h1', 's1'], ['h2', 's2'], ['h3', 's3'], ['h4', 's4']);
    expect(['h1', 'h2', 'h3', 'h4'].map((h) => cache.get(h)?.actor.sessionId)).toEqual([undefined, 's2', 's3', 's4']);
  });

  it('answers nothing while invalidations are unreliable, and forgets everything on a reset', () => {
    let reliable = true;
    const invalidations = new (class extends LocalInvalidations {
      override get reliable() {
        return reliable;
      }
      lose() {
        this.reset();
      }
    })();
    const cache = new SessionCache(config, invalidations);
    cache.set('h1', session('s1'), cache.generation());
    reliable = false;
    expect(cache.get('h1')).toBeUndefined();
    cache.set('h2', session('s2'), cache.generation());
    invalidations.lose();
    reliable = true;
    expect([cache.get('h1'), cache.get('h2')]).toEqual([undefined, undefined]);
  });
});

const reachable = await redisReachable();

describe.skipIf(!reachable && !process.env.CI)('RedisInvalidations', () => {
  it('tells the other instances, is unreliable while its subscription is down, and resets when it is back', async () => {
    const prefix = uniquePrefix('invalidations');
    const [commandsA, commandsB] = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)];
    const a = await RedisInvalidations.open(commandsA, prefix);
    const b = await RedisInvalidations.open(commandsB, prefix);
    const cacheB = new SessionCache(config, b);
    try {
      cacheB.set('h1', session('s1'), cacheB.generation());
      cacheB.set('h2', session('s2'), cacheB.generation());
      new SessionCache(config, a).ended('s1');
      await eventually(() => cacheB.get('h1') === undefined, 5_000);
      expect(cacheB.get('h2')?.actor.sessionId).toBe('s2');

      // B's subscriber connection is cut: news may be lost, so B stops answering from memory.
      const admin = new Redis(TEST_REDIS_URL);
      const clients = await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub');
      const ids = String(clients)
        .split('\n')
        .filter((line) => line.includes(`${prefix}invalidations`))
        .map((line) => /\bid=(\d+)/.exec(line)?.[1]);
      expect(ids.length).toBeGreaterThan(0);
      const resets: number[] = [];
      b.onReset(() => resets.push(Date.now()));
      for (const id of ids) await admin.call('CLIENT', 'KILL', 'ID', id!);
      await admin.quit();
      await eventually(() => !b.reliable || resets.length > 0, 5_000);
      expect(cacheB.get('h2')).toBeUndefined();
      await eventually(() => b.reliable, 10_000);
      expect(resets.length).toBeGreaterThan(0);
      // Back: news arrives again.
      cacheB.set('h3', session('s3'), cacheB.generation());
      new SessionCache(config, a).ended('s3');
      await eventually(() => cacheB.get('h3') === undefined, 5_000);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([commandsA.quit(), commandsB.quit()]);
    }
  });
});
