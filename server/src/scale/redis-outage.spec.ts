// A Redis outage while two instances run: requests that need Redis are refused with 503
// (rate limits cannot be checked), nothing crashes, the log says so without the URL or
// password, and once Redis is back live delivery between the instances resumes by itself.
// Uses a private redis-server of its own, so stopping it disturbs nobody else.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { TestClient } from '../../test-support/app.js';
import { signUp } from '../../test-support/accounts.js';
import { freshDatabase } from '../../test-support/database.js';
import { eventually } from '../../test-support/cluster.js';
import { freePort, spawnServer, type RunningServer } from '../../test-support/server-process.js';
import { befriend, collect, connectSocket, emitWithAck, envelopeFor, type User } from '../../test-support/social.js';
import type { ServerMessage } from '@onionchat/contract';

const REDIS_SERVER = '/usr/bin/redis-server';
const PASSWORD = randomBytes(12).toString('hex');

type Ack = { ok: boolean; status?: number; code?: string };

/** A throwaway redis-server on `port`, no persistence; resolves once it answers. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', PASSWORD],
    { stdio: 'ignore' },
  );
  const probe = new Redis({ port, host: '127.0.0.1', password: PASSWORD, lazyConnect: true, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  await eventually(() =>
    probe.connect().then(
      () => true,
      () => false,
    ),
  );
  probe.disconnect();
  return child;
}

const stopped = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

const title = 'a Redis outage while two instances run';
// CI installs redis-server: there a missing one fails the run instead of skipping.
describe.skipIf(!existsSync(REDIS_SERVER) && !process.env.CI)(
  existsSync(REDIS_SERVER) ? title : `${title} (skipped: no redis-server)`,
  () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let redisPort: number;
    let redis: ChildProcess;
    const instances: RunningServer[] = [];

    beforeAll(async () => {
      db = await freshDatabase(inject('adminDbUrl'));
      redisPort = await freePort();
      redis = await startRedis(redisPort);
      const env = {
        REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redisPort}`,
        REDIS_PREFIX: 'outage-test:',
        LOG_LEVEL: 'log',
        REGISTRATION: 'open',
        WEB_DIR: '/nonexistent',
      };
      for (let i = 0; i < 2; i++) instances.push(await spawnServer({ dbUrl: db.url, env }));
    });
    afterAll(async () => {
      await Promise.all(instances.map((i) => i.kill('SIGTERM')));
      redis?.kill('SIGKILL');
      if (redis) await stopped(redis);
      await db?.drop();
    });

    it('does not start when Redis cannot be reached, and says where without the password', async () => {
      const closedPort = await freePort();
      const failure = await spawnServer({
        dbUrl: db.url,
        env: { REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${closedPort}`, WEB_DIR: '/nonexistent' },
      }).then(
        async (unexpected) => (await unexpected.kill('SIGKILL'), null),
        (err: Error) => err.message,
      );
      expect(failure).toContain(
        `REDIS_URL is set but Redis at 127.0.0.1:${closedPort} cannot be reached (ECONNREFUSED)`,
      );
      expect(failure).not.toContain(PASSWORD);
    });

    it('refuses with 503 during the outage, logs it without secrets, and recovers by itself', async () => {
      const [a, b] = instances.map((i) => i.origin) as [string, string];
      const signedUp = async (origin: string, name: string): Promise<User> => {
        const client = new TestClient(origin);
        return { client, account: await signUp(client, name) };
      };
      const amy = await signedUp(a, 'amelia');
      const bo = await signedUp(b, 'bodhi');
      const room = await befriend(amy, bo);
      const amyOnA = await connectSocket(a, amy.client);
      const boOnB = await connectSocket(b, bo.client);
      const toBo = collect<ServerMessage>(boOnB, 'message:new');
      const send = () =>
        emitWithAck<Ack>(amyOnA, 'message:send', { roomId: room.roomId, ...envelopeFor(amy.account, room) });
      expect((await send()).ok).toBe(true);
      await eventually(() => toBo.length === 1);

      redis.kill('SIGKILL');
      await stopped(redis);
      const refused = await send();
      expect(refused).toMatchObject({ ok: false, status: 503, code: 'unavailable' });
      expect((await new TestClient(b).get('/api/rooms')).status).toBe(503);
      // The connection count goes through the adapter, so a new socket is turned away too.
      await expect(connectSocket(b, bo.client)).rejects.toThrow('unavailable');
      await eventually(() => instances.every((i) => /connection lost/.test(i.output())));

      redis = await startRedis(redisPort);
      // Once every connection is back (the subscriber re-subscribes by itself), sends are
      // accepted and live messages cross instances again.
      const arrivesLive = async () => {
        const before = toBo.length;
        if (!(await send()).ok) return false;
        return eventually(() => toBo.length > before, 2000).then(
          () => true,
          () => false,
        );
      };
      await eventually(arrivesLive, 30_000);
      await eventually(() => instances.every((i) => /connection is back/.test(i.output())));

      for (const instance of instances) {
        expect(instance.exited()).toBe(false);
        expect(instance.output()).not.toContain(PASSWORD);
        expect(instance.output()).not.toMatch(/redis:\/\//);
      }
      [amyOnA, boOnB].forEach((s) => s.close());
    });
  },
);
