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
import { HttpException, Logger } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import type { Actor } from '../access/actor.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';
import { ApiError } from '../common/api-error.js';
import { ZodBody } from '../common/zod-body.pipe.js';
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

function errorAck(err: unknown) {
  if (err instanceof ApiError) return { ok: false, status: err.getStatus(), code: err.code, message: err.message };
  if (err instanceof HttpException) return { ok: false, status: err.getStatus(), code: 'error', message: err.message };
  return { ok: false, status: 500, code: 'internal_error', message: 'Something went wrong on the server. Try again.' };
}

@WebSocketGateway()
export class MessagesGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger('Socket');
  private readonly sendBody = new ZodBody(sendEvent);

  constructor(
    private readonly sessions: SessionsService,
    private readonly messages: MessagesService,
    private readonly realtime: RealtimeService,
  ) {}

  afterInit(server: Server): void {
    this.realtime.attach(server);
    server.use((socket, next) => {
      const token = cookieValue(socket.request.headers.cookie, SESSION_COOKIE);
      if (!token) return next(new Error('not_logged_in'));
      this.sessions
        .authenticate(token)
        .then((actor) => {
          if (!actor) return next(new Error('session_expired'));
          Object.assign(socket.data as SocketData, { token, userId: actor.userId, sessionId: actor.sessionId });
          next();
        })
        .catch(() => next(new Error('unavailable')));
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
      if (!(err instanceof HttpException))
        this.logger.error(err instanceof Error ? (err.stack ?? err.message) : 'send failed');
      return errorAck(err);
    }
  }

  /** Each event re-checks the session, so an ended or expired session stops at once. */
  private async actorOf(socket: Socket): Promise<Actor> {
    const actor = await this.sessions.authenticate((socket.data as SocketData).token);
    if (!actor) {
      setImmediate(() => socket.disconnect(true));
      throw new ApiError(401, 'session_expired', 'Your session has expired or was ended. Log in again.');
    }
    return actor;
  }
}
