// The WebSocket: authenticates the handshake with the session cookie, joins the socket
// to its user's and session's channels, and takes message sends with acknowledgements.
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { HttpException, Inject, Logger } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';
import { ApiError } from '../common/api-error.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/database-unavailable.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { SessionsService } from '../auth/sessions.service.js';
import { RealtimeService, sessionChannel, userChannel } from '../realtime/realtime.service.js';
import { MessagesService } from './messages.service.js';
import { sendEvent, type SendBody } from './messages.schemas.js';

interface SocketData {
  token: string;
  userId: string;
  sessionId: string;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function errorAck(thrown: unknown) {
  const err = isDatabaseUnavailable(thrown) ? databaseUnavailable() : thrown;
  if (err instanceof ApiError) return { ok: false, status: err.getStatus(), code: err.code, message: err.message };
  if (err instanceof HttpException) return { ok: false, status: err.getStatus(), code: 'error', message: err.message };
  return { ok: false, status: 500, code: 'internal_error', message: 'Something went wrong on the server. Try again.' };
}

@WebSocketGateway()
export class MessagesGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger('Socket');
  private readonly sendBody = new ZodBody(sendEvent);

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly sessions: SessionsService,
    private readonly messages: MessagesService,
    private readonly realtime: RealtimeService,
    private readonly limiter: RateLimiter,
  ) {}

  afterInit(server: Server): void {
    this.realtime.attach(server);
    server.use((socket, next) => {
      const token = cookieValue(socket.request.headers.cookie, SESSION_COOKIE);
      if (!token) return next(new Error('not_logged_in'));
      this.sessions
        .authenticate(token)
        .then(async (actor) => {
          if (!actor) return next(new Error('session_expired'));
          if (await this.atConnectionLimit(server, actor.userId)) return next(this.tooManyConnections());
          Object.assign(socket.data as SocketData, { token, userId: actor.userId, sessionId: actor.sessionId });
          next();
        })
        .catch(() => next(new Error('unavailable')));
    });
  }

  /**
   * Counts the user's open sockets through the adapter, so with a shared adapter (Redis)
   * sockets on every instance count. Handshakes racing each other may pass together.
   */
  private async atConnectionLimit(server: Server, userId: string): Promise<boolean> {
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

  async handleConnection(socket: Socket): Promise<void> {
    const data = socket.data as SocketData;
    if (!data.userId) return void socket.disconnect(true);
    await socket.join([userChannel(data.userId), sessionChannel(data.sessionId)]);
  }

  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    try {
      const actor = await this.actorOf(socket);
      const body = this.sendBody.transform(payload) as SendBody & { roomId: string };
      return { ok: true, ...(await this.messages.send(actor, body.roomId, body)) };
    } catch (err) {
      if (isDatabaseUnavailable(err)) this.logger.warn('database unavailable; send answered 503');
      else if (!(err instanceof HttpException))
        this.logger.error(err instanceof Error ? (err.stack ?? err.message) : 'send failed');
      return errorAck(err);
    }
  }

  /**
   * Each event spends the session's request budget, as REST calls do (before any
   * database work), and re-checks the session, so an ended or expired session stops at once.
   */
  private async actorOf(socket: Socket): Promise<Actor> {
    const data = socket.data as SocketData;
    await this.limiter.consume(
      'ws-events',
      data.sessionId,
      this.config.RATE_API_PER_MINUTE,
      60_000,
      'Too many requests',
    );
    const actor = await this.sessions.authenticate(data.token);
    if (!actor) {
      setImmediate(() => socket.disconnect(true));
      throw new ApiError(401, 'session_expired', 'Your session has expired or was ended. Log in again.');
    }
    return actor;
  }
}
