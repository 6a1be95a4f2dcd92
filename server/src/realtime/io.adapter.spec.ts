// The socket.io adapter's own behaviour: its message handlers (plain listeners instead
// of Nest's RxJS pipeline) answer exactly as Nest's do; the handshake request is let go
// after the handshake; and with Redis, the sharded adapter carries room emits only to the
// instances holding sockets in those rooms, once per socket, while fetchSockets and
// disconnectSockets still reach every instance. Several in-process socket.io servers
// stand for several instances.
import { EventEmitter } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { Redis } from 'ioredis';
import { from, isObservable, mergeAll, of, type Observable } from 'rxjs';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import type { Server, Socket } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SOCKET_PATH } from '@onionchat/contract';
import { loadConfig } from '../config/config.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { TEST_REDIS_URL, eventually, redisReachable } from '../../test-support/cluster.js';
import { ConfiguredIoAdapter } from './io.adapter.js';

const config = loadConfig({ DATABASE_URL: 'postgresql://unused' });
const pause = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/** What Nest's WebSocketsController hands bindMessageHandlers as `transform` (pickResult). */
function nestTransform(result: unknown): Observable<unknown> {
  const picked = (async () => {
    const value: unknown = await result;
    return isObservable(value) ? value : of(value);
  })();
  return from(picked).pipe(mergeAll());
}

/** Just enough of a socket.io Socket: events in from the client, everything sent recorded. */
class FakeSocket extends EventEmitter {
  connected = true;
  readonly sent: unknown[][] = [];

  receive(event: string, ...args: unknown[]): void {
    super.emit(event, ...args);
  }

  /** As socket.io does it: no longer connected, then the event. */
  drop(): void {
    this.connected = false;
    super.emit('disconnect', 'transport close');
  }

  override emit(event: string, ...args: unknown[]): boolean {
    this.sent.push([event, ...args]);
    return true;
  }
}

type Answer = (data: unknown, call: number) => unknown;
interface Scenario {
  answer: Answer;
  manualAck?: boolean;
  /** Drives the socket: `ack(n)` makes an acknowledgement callback that records into the outcome. */
  run: (socket: FakeSocket, ack: (n: number) => (...args: unknown[]) => void) => Promise<void>;
}

/** Binds one handler with `adapter`, runs the scenario, and records everything observable. */
async function outcome(adapter: IoAdapter, scenario: Scenario) {
  const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  const socket = new FakeSocket();
  const acks: unknown[][] = [];
  const seen: { data: unknown; ack: string }[] = [];
  let calls = 0;
  const handler: MessageMappingProperties = {
    message: 'ask',
    methodName: 'ask',
    isAckHandledManually: scenario.manualAck ?? false,
    callback: ((data: unknown, ack: unknown) => {
      seen.push({ data, ack: typeof ack });
      return scenario.answer(data, calls++);
    }) as MessageMappingProperties['callback'],
  };
  adapter.bindMessageHandlers(socket as unknown as Socket, [handler], nestTransform);
  await scenario.run(
    socket,
    (n) =>
      (...args) =>
        acks.push([n, ...args]),
  );
  await pause();
  const logged = errors.mock.calls.length;
  errors.mockRestore();
  return { acks, sent: socket.sent, seen, logged };
}

const scenarios: Record<string, Scenario> = {
  'a value is the acknowledgement': {
    answer: () => ({ ok: true }),
    run: async (s, ack) => s.receive('ask', { n: 1 }, ack(1)),
  },
  'a Promise is awaited': {
    answer: async () => ({ ok: 'later' }),
    run: async (s, ack) => s.receive('ask', { n: 1 }, ack(1)),
  },
  'each value of an Observable is sent': {
    answer: () => of(1, 2),
    run: async (s, ack) => s.receive('ask', {}, ack(1)),
  },
  'nothing is sent for undefined or null': {
    answer: (_data, call) => (call === 0 ? undefined : Promise.resolve(null)),
    run: async (s, ack) => {
      s.receive('ask', 1, ack(1));
      s.receive('ask', 2, ack(2));
    },
  },
  '{ event, data } is emitted, not acknowledged': {
    answer: () => ({ event: 'told', data: { x: 1 } }),
    run: async (s, ack) => s.receive('ask', {}, ack(1)),
  },
  'no acknowledgement when the handler takes care of it': {
    manualAck: true,
    answer: () => ({ ok: true }),
    run: async (s, ack) => s.receive('ask', {}, ack(1)),
  },
  'no acknowledgement asked for': {
    answer: () => ({ ok: true }),
    run: async (s) => s.receive('ask', { n: 1 }),
  },
  'several arguments arrive as an array, one array as itself, none as undefined': {
    answer: (data) => data ?? 'none',
    run: async (s, ack) => {
      s.receive('ask', 1, 'two', ack(1));
      s.receive('ask', [3, 4], ack(2));
      s.receive('ask', [5, 6]);
      s.receive('ask', ack(3));
      s.receive('ask');
    },
  },
  'a throw or a rejection is logged and the handler keeps answering': {
    answer: (_data, call) => {
      if (call === 0) throw new Error('thrown');
      if (call === 1) return Promise.reject(new Error('rejected'));
      return 'fine';
    },
    run: async (s, ack) => {
      s.receive('ask', 1, ack(1));
      await pause();
      s.receive('ask', 2, ack(2));
      await pause();
      s.receive('ask', 3, ack(3));
    },
  },
  'nothing is sent once the socket has disconnected': {
    answer: () => pause(30).then(() => ({ ok: true })),
    run: async (s, ack) => {
      s.receive('ask', 1, ack(1));
      s.drop();
    },
  },
};

describe('message handlers without an RxJS pipeline per socket', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`answer as Nest's IoAdapter does: ${name}`, async () => {
      const nest = await outcome(new IoAdapter(), scenario);
      const ours = await outcome(new ConfiguredIoAdapter(undefined as never, config), scenario);
      expect(ours).toEqual(nest);
    });
  }

  it('the comparison is not empty: acknowledgements, emits and logged errors happen', async () => {
    const ours = (name: string) => outcome(new ConfiguredIoAdapter(undefined as never, config), scenarios[name]!);
    expect((await ours('a Promise is awaited')).acks).toEqual([[1, { ok: 'later' }]]);
    expect((await ours('each value of an Observable is sent')).acks).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect((await ours('{ event, data } is emitted, not acknowledged')).sent).toEqual([['told', { x: 1 }]]);
    const failing = await ours('a throw or a rejection is logged and the handler keeps answering');
    expect([failing.logged, failing.acks]).toEqual([2, [[3, 'fine']]]);
    expect((await ours('nothing is sent once the socket has disconnected')).acks).toEqual([]);
    expect((await ours('several arguments arrive as an array, one array as itself, none as undefined')).seen).toEqual([
      { data: [1, 'two'], ack: 'function' },
      { data: [3, 4], ack: 'function' },
      { data: [5, 6], ack: 'undefined' },
      { data: undefined, ack: 'function' },
      { data: undefined, ack: 'undefined' },
    ]);
  });
});

/** One socket.io server configured as the app configures it; `redis` makes it one of several instances. */
async function instance(redis: RedisConnections | null) {
  const http: HttpServer = createServer();
  // Untyped, so tests may emit any event.
  const server = new ConfiguredIoAdapter(http as never, config, redis).createIOServer(0) as unknown as Server;
  const cookies: (string | undefined)[] = [];
  server.use((socket, next) => {
    cookies.push(socket.request.headers.cookie);
    next();
  });
  // Each client names the rooms it joins.
  server.on('connection', (socket) => void socket.join(String(socket.handshake.query['rooms']).split(',')));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  const clients: ClientSocket[] = [];
  return {
    server,
    cookies,
    async connect(rooms: string[]): Promise<ClientSocket> {
      const client = connectClient(`http://127.0.0.1:${port}`, {
        path: SOCKET_PATH,
        transports: ['websocket'],
        reconnection: false,
        query: { rooms: rooms.join(',') },
        extraHeaders: { cookie: 'session=secret' },
      });
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once('connect', resolve);
        client.once('connect_error', reject);
      });
      return client;
    },
    async close(): Promise<void> {
      clients.forEach((c) => c.close());
      await new Promise((resolve) => server.close(resolve));
      await redis?.close();
    },
  };
}
type Instance = Awaited<ReturnType<typeof instance>>;

describe('an idle connection does not keep its handshake request', () => {
  let one: Instance;
  beforeAll(async () => (one = await instance(null)));
  afterAll(() => one.close());

  it('the handshake middleware sees the cookie; the connected socket keeps neither request nor headers', async () => {
    await one.connect(['r']);
    expect(one.cookies).toEqual(['session=secret']);
    const [socket] = one.server.sockets.sockets.values();
    expect(socket!.conn.request).toBeNull();
    expect(socket!.handshake.headers).toEqual({});
    expect(socket!.handshake.query['rooms']).toBe('r');
  });
});

const reachable = await redisReachable();
const title = 'the sharded Redis adapter between instances';
// CI has Redis: there a missing Redis fails the run instead of skipping.
describe.skipIf(!reachable && !process.env.CI)(
  reachable ? title : `${title} (skipped: no Redis at ${TEST_REDIS_URL})`,
  () => {
    const prefix = `onionchat-test-adapter-${randomBytes(6).toString('hex')}:`;
    const channel = (room = '') => `${prefix}socket.io#/#${room ? `${room}#` : ''}`;
    let a: Instance;
    let b: Instance;
    let c: Instance;
    let redis: Redis;
    const subscribers = (room: string) =>
      redis.call('PUBSUB', 'SHARDNUMSUB', channel(room)).then((r) => Number((r as [string, number])[1]));

    beforeAll(async () => {
      const started = [1, 2, 3].map(async () => instance(await RedisConnections.open(TEST_REDIS_URL, prefix)));
      [a, b, c] = (await Promise.all(started)) as [Instance, Instance, Instance];
      redis = new Redis(TEST_REDIS_URL);
    });
    afterAll(async () => {
      await Promise.all([a, b, c].map((i) => i?.close()));
      await redis?.quit();
    });
    afterEach(() => [a, b, c].forEach((i) => i.server.disconnectSockets(true)));

    it('sends an emit to several rooms once to each socket, through only the instances holding them', async () => {
      const both = await a.connect(['r1', 'r2']);
      const second = await a.connect(['r2']);
      const first = await b.connect(['r1']);
      await eventually(async () => (await subscribers('r1')) === 2 && (await subscribers('r2')) === 1);

      // What goes on the channel every instance reads, while C (holding no socket) emits.
      const watcher = new Redis(TEST_REDIS_URL);
      const onMainChannel: string[] = [];
      watcher.on('smessage', (_channel: string, message: string) => onMainChannel.push(message));
      await watcher.ssubscribe(channel());
      const got = new Map<ClientSocket, number[]>([both, second, first].map((s) => [s, []]));
      for (const [socket, seen] of got) socket.on('hello', (n: number) => seen.push(n));
      for (let n = 1; n <= 3; n++) c.server.to(['r1', 'r2']).emit('hello', n);
      a.server.to(['r2', 'r1']).except('r3').emit('hello', 4);
      await eventually(() => [...got.values()].every((seen) => seen.length >= 4));
      await pause(200);
      expect([...got.values()]).toEqual([
        [1, 2, 3, 4],
        [1, 2, 3, 4],
        [1, 2, 3, 4],
      ]);
      expect(onMainChannel.filter((m) => m.includes('"type":3'))).toEqual([]);
      await watcher.quit();

      // A room's channel is dropped with its last local socket.
      both.close();
      second.close();
      await eventually(async () => (await subscribers('r2')) === 0 && (await subscribers('r1')) === 1);
    });

    it('fetches and disconnects the sockets of a room on every instance, without their cookies', async () => {
      const onA = await a.connect(['u1']);
      const onB = await b.connect(['u1']);
      const other = await b.connect(['u2']);
      const fetched = await c.server.in('u1').fetchSockets();
      expect(fetched).toHaveLength(2);
      expect(fetched.map((s) => s.handshake.headers)).toEqual([{}, {}]);

      const closed = [onA, onB].map((s) => new Promise((resolve) => s.once('disconnect', resolve)));
      c.server.in('u1').disconnectSockets(true);
      expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
      await pause(100);
      expect(other.connected).toBe(true);
    });
  },
);
