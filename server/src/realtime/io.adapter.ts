// socket.io settings that depend on configuration: the contract's path under /api, frame size limit,
// no client script served, no cross-origin handshakes, and with Redis configured the
// sharded Redis adapter, so a room emit reaches sockets on every instance. Also keeps an
// idle connection small, since many are held open for hours: no handshake request kept,
// no compression, no RxJS pipeline per socket.
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { SOCKET_PATH } from '@onionchat/contract';
import type { INestApplicationContext } from '@nestjs/common';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';
import type { ServerOptions, Socket } from 'socket.io';
import type { Config } from '../config/config.js';
import type { RedisConnections } from '../redis/redis-connections.js';
import { allowedHostnames, hostnameOf } from '../security/host-check.js';
import { isSameOrigin } from '../security/same-origin.js';
import type { AppServer } from './socket.js';

/** The handshake bypasses Express, so it repeats the host and origin checks. */
function acceptable(req: IncomingMessage, hosts: Set<string>): boolean {
  return hosts.has(hostnameOf(req.headers.host ?? '')) && isSameOrigin(req.headers);
}

type AdapterFactory = ReturnType<typeof createShardedAdapter>;

/**
 * The sharded adapter carries an emit to one room on that room's own Redis channel, which
 * only instances holding a socket in the room subscribe to; an emit to several rooms (an
 * event for every member of a chat) would go on the channel every instance decodes. So it
 * is sent as one emit per room, each leaving out the rooms before it: a socket in several
 * of them still gets it once (an instance holding it subscribes to all of its rooms).
 */
function oneRoomPerEmit(create: AdapterFactory): AdapterFactory {
  // A function, not an arrow: socket.io calls the factory with `new`.
  return function (nsp: unknown) {
    const adapter = create(nsp);
    const broadcast = adapter.broadcast.bind(adapter);
    adapter.broadcast = (packet, opts) => {
      if (opts.rooms.size < 2 || opts.flags?.local) return broadcast(packet, opts);
      const earlier = new Set(opts.except);
      const sent = [...opts.rooms].map((room) => {
        const one = broadcast(packet, { ...opts, rooms: new Set([room]), except: new Set(earlier) });
        earlier.add(room);
        return one;
      });
      return Promise.all(sent).then(() => undefined);
    };
    return adapter;
  };
}

/**
 * The adapter for several instances: sharded pub/sub (Redis 7), so an instance receives
 * only events for rooms it holds sockets in ("dynamic": a channel per room, subscribed
 * while the room has a socket here). Handshakes (fetchSockets for the per-user limit) and
 * disconnectSockets still go on the channel every instance reads, as they must.
 */
export function redisAdapter(redis: RedisConnections): AdapterFactory {
  const options = { channelPrefix: `${redis.prefix}socket.io`, subscriptionMode: 'dynamic' as const };
  return oneRoomPerEmit(createShardedAdapter(redis.pub, redis.sub, options));
}

/**
 * socket.io keeps the handshake's http request for the connection's life (on the
 * connection, and through engine.io's stand-in response for a WebSocket upgrade), and
 * the request's headers in socket.handshake. The handshake middleware
 * (realtime.gateway.ts) reads the cookie and keeps what it learnt in socket.data; after
 * that nothing reads them, so they are let go. Fetched remote sockets (the per-user
 * count) then carry no cookie between instances either.
 */
function forgetTheHandshakeRequest(server: AppServer): void {
  // The stand-in's request serves only engine middlewares' setHeader; this is the only one.
  server.engine.use((_req: IncomingMessage, res: object, next: () => void) => {
    if (!(res instanceof ServerResponse)) (res as { req: unknown }).req = null;
    next();
  });
  // Not before 'connection': the middleware and socket.handshake are built from the
  // request. This server has one namespace, so no later handshake on the connection needs it.
  server.on('connection', (socket) => {
    (socket.conn as { request: IncomingMessage | null }).request = null;
    socket.handshake.headers = {};
  });
}

export class ConfiguredIoAdapter extends IoAdapter {
  private readonly hosts: Set<string>;

  constructor(
    app: INestApplicationContext,
    private readonly config: Config,
    private readonly redis: RedisConnections | null = null,
  ) {
    super(app);
    this.hosts = allowedHostnames(config.PUBLIC_ORIGIN, config.ALLOWED_HOSTS);
  }

  override createIOServer(port: number, options?: ServerOptions): AppServer {
    const server = super.createIOServer(port, {
      ...(options as ServerOptions),
      path: SOCKET_PATH,
      serveClient: false,
      maxHttpBufferSize: this.config.WS_MAX_FRAME_BYTES,
      // Envelopes are ciphertext and do not compress; a deflate context would cost every connection memory.
      perMessageDeflate: false,
      allowRequest: (req, callback) => {
        const ok = acceptable(req, this.hosts);
        callback(ok ? null : 'refused', ok);
      },
    }) as AppServer;
    forgetTheHandshakeRequest(server);
    if (this.redis) server.adapter(redisAdapter(this.redis));
    return server;
  }

  /**
   * Nest's version builds an RxJS pipeline per socket and handler, kept for the socket's
   * life; with many idle sockets that is a large share of their memory. This is the same
   * contract with a plain listener: the payload split as mapPayload does it, a non-nil
   * result (a value, a Promise or an Observable, through `transform`) sent as the
   * acknowledgement when the client asked for one, or emitted when it is `{ event, data }`,
   * an error logged without unbinding the handler, and nothing sent once the socket has
   * disconnected (Nest's takeUntil(disconnect)).
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        // RxJS's fromEvent, which Nest listens with, passes one argument as is and several as an array.
        const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]);
        let result: Observable<unknown>;
        try {
          result = transform(callback(data, ack));
        } catch (err) {
          return this.logger.error(err);
        }
        result.subscribe({
          next: (response) => {
            if (response === null || response === undefined || !socket.connected) return;
            const { event, data } = response as { event?: string; data?: unknown };
            if (event) return void socket.emit(event, data);
            if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          error: (err: unknown) => this.logger.error(err),
        });
      });
    }
  }
}
