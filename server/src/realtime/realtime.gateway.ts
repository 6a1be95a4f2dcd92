// The WebSocket handshake: authenticates it with the session cookie, refuses a user
// already at the connection limit, and joins the socket to its user's and session's
// channels. Events arriving on the socket are other gateways' (messages.gateway.ts).
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { Inject } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';
import { SessionsService } from '../auth/sessions.service.js';
import { RealtimeService, sessionChannel, userChannel } from './realtime.service.js';
import type { AppServer, AppSocket } from './socket.js';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly sessions: SessionsService,
    private readonly realtime: RealtimeService,
  ) {}

  /**
   * Refusals reach the client as connect_error messages (the contract's SESSION_LOST_CODES and others).
   * The handshake request (socket.request, handshake.headers) is only there until the socket
   * connects (io.adapter.ts lets it go), so what later events need goes into socket.data here.
   */
  afterInit(server: AppServer): void {
    this.realtime.attach(server);
    server.use((socket, next) => {
      const token = cookieValue(socket.request.headers.cookie, SESSION_COOKIE);
      if (!token) return next(new Error('not_logged_in'));
      this.sessions
        .authenticate(token)
        .then(async (actor) => {
          if (!actor) return next(new Error('session_expired'));
          if (await this.atConnectionLimit(server, actor.userId)) return next(this.tooManyConnections());
          socket.data = { token, userId: actor.userId, sessionId: actor.sessionId };
          next();
        })
        .catch(() => next(new Error('unavailable')));
    });
  }

  /**
   * Counts the user's open sockets through the adapter, so with a shared adapter (Redis)
   * sockets on every instance count. Handshakes racing each other may pass together.
   */
  private async atConnectionLimit(server: AppServer, userId: string): Promise<boolean> {
    const open = await server.in(userChannel(userId)).fetchSockets();
    return open.length >= this.config.WS_CONNECTIONS_PER_USER;
  }

  /** The client sees `message` as connect_error's message and the sentence in its `data`. */
  private tooManyConnections(): Error {
    const limit = this.config.WS_CONNECTIONS_PER_USER;
    return Object.assign(new Error('too_many_connections'), {
      data: {
        message: `This account already has ${limit} live connections open. Close other tabs or log out sessions you no longer use.`,
      },
    });
  }

  async handleConnection(socket: AppSocket): Promise<void> {
    const data = socket.data as Partial<AppSocket['data']>;
    if (!data.userId || !data.sessionId) return void socket.disconnect(true);
    await socket.join([userChannel(data.userId), sessionChannel(data.sessionId)]);
  }
}
