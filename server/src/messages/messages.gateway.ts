// Message sends over the WebSocket, with acknowledgements. The handshake (session
// cookie, connection limit, channels) is RealtimeGateway's; each event here re-checks
// the session and spends the session's event budget.
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { HttpException, Logger } from '@nestjs/common';
import type { SendMessageAck } from '@onionchat/contract';
import type { Actor } from '../access/actor.js';
import { ApiError } from '../common/api-error.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/database-unavailable.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { SessionsService } from '../auth/sessions.service.js';
import type { AppSocket } from '../realtime/socket.js';
import { MessagesService } from './messages.service.js';
import { sendEvent, type SendBody } from './messages.schemas.js';

function errorAck(thrown: unknown): SendMessageAck {
  const err = isDatabaseUnavailable(thrown) ? databaseUnavailable() : thrown;
  if (err instanceof ApiError) return { ok: false, status: err.getStatus(), code: err.code, message: err.message };
  if (err instanceof HttpException) return { ok: false, status: err.getStatus(), code: 'error', message: err.message };
  return { ok: false, status: 500, code: 'internal_error', message: 'Something went wrong on the server. Try again.' };
}

@WebSocketGateway()
export class MessagesGateway {
  private readonly logger = new Logger('Socket');
  private readonly sendBody = new ZodBody(sendEvent);

  constructor(
    private readonly sessions: SessionsService,
    private readonly messages: MessagesService,
    private readonly limiter: RateLimiter,
  ) {}

  /** The payload is untrusted until the schema has checked it; the answer is the acknowledgement. */
  @SubscribeMessage('message:send')
  async send(@ConnectedSocket() socket: AppSocket, @MessageBody() payload: unknown): Promise<SendMessageAck> {
    try {
      const actor = await this.actorOf(socket);
      const body = this.sendBody.transform(payload) as SendBody & { roomId: string };
      return { ok: true, ...(await this.messages.send(actor, body.roomId, body, socket.id)) };
    } catch (err) {
      if (isDatabaseUnavailable(err)) this.logger.warn('database unavailable; send answered 503');
      else if (!(err instanceof HttpException))
        this.logger.error(err instanceof Error ? (err.stack ?? err.message) : 'send failed');
      return errorAck(err);
    }
  }

  /**
   * Each event spends the session's event budget, as REST calls do (before any database
   * work), and re-checks the session, so an ended or expired session stops at once.
   */
  private async actorOf(socket: AppSocket): Promise<Actor> {
    await this.limiter.consume('ws-events', socket.data.sessionId);
    const actor = await this.sessions.authenticate(socket.data.token);
    if (!actor) {
      setImmediate(() => socket.disconnect(true));
      throw new ApiError(401, 'session_expired', 'Your session has expired or was ended. Log in again.');
    }
    return actor;
  }
}
