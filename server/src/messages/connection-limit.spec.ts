// WS_CONNECTIONS_PER_USER across two server processes sharing Redis: the sockets a user
// holds on one instance count on the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Socket } from 'socket.io-client';
import { TestClient } from '../../test-support/app.js';
import { signUp } from '../../test-support/accounts.js';
import { freshDatabase } from '../../test-support/database.js';
import { TEST_REDIS_URL, redisReachable, startCluster, type Cluster } from '../../test-support/cluster.js';
import { connectSocket } from '../../test-support/social.js';

const reachable = await redisReachable();

const title = 'connections per user over two instances';
// CI has Redis: there a missing Redis fails the run instead of skipping.
describe.skipIf(!reachable && !process.env.CI)(
  reachable ? title : `${title} (skipped: no Redis at ${TEST_REDIS_URL})`,
  () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let cluster: Cluster;
    let a: string;
    let b: string;

    beforeAll(async () => {
      db = await freshDatabase(inject('adminDbUrl'));
      cluster = await startCluster(2, db.url, { WS_CONNECTIONS_PER_USER: '2' });
      [a, b] = cluster.instances.map((i) => i.origin) as [string, string];
    });
    afterAll(async () => {
      await cluster?.stop();
      await db?.drop();
    });

    it('refuses a third connection on one instance when two are open, one on each', async () => {
      const onA = new TestClient(a);
      await signUp(onA, 'two_places');
      const onB = new TestClient(b);
      onB.cookie = onA.cookie;
      const open: Socket[] = [await connectSocket(a, onA), await connectSocket(b, onB)];
      try {
        for (const [origin, client] of [
          [a, onA],
          [b, onB],
        ] as const) {
          const refused = await connectSocket(origin, client).then(
            (socket) => (open.push(socket), null),
            (err: Error) => err,
          );
          expect(refused?.message, `a third connection through ${origin === a ? 'A' : 'B'}`).toBe(
            'too_many_connections',
          );
        }
      } finally {
        open.forEach((s) => s.close());
      }
    });
  },
);
