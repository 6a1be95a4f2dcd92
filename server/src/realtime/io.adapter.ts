// socket.io settings that depend on configuration: the contract's path under /api, frame size limit,
// no client script served, no cross-origin handshakes, and with Redis configured the
// official Redis adapter, so a room emit reaches sockets on every instance.
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { SOCKET_PATH } from '@onionchat/contract';
import type { INestApplicationContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';
import type { Config } from '../config/config.js';
import type { RedisConnections } from '../redis/redis-connections.js';
import { allowedHostnames, hostnameOf } from '../security/host-check.js';
import { isSameOrigin } from '../security/same-origin.js';
import type { AppServer } from './socket.js';

/** The handshake bypasses Express, so it repeats the host and origin checks. */
function acceptable(req: IncomingMessage, hosts: Set<string>): boolean {
  return hosts.has(hostnameOf(req.headers.host ?? '')) && isSameOrigin(req.headers);
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
      allowRequest: (req, callback) => {
        const ok = acceptable(req, this.hosts);
        callback(ok ? null : 'refused', ok);
      },
    }) as AppServer;
    if (this.redis) {
      // Answers to cross-instance requests (the connection count) go only to the asking instance.
      const options = { key: `${this.redis.prefix}socket.io`, publishOnSpecificResponseChannel: true };
      server.adapter(createAdapter(this.redis.pub, this.redis.sub, options));
    }
    return server;
  }
}
