// Storing and paging encrypted messages. The server cannot read them; it checks that an
// envelope is filed where its (signed) header says, stores it under the room's next
// sequence number, acknowledges only after the commit, then fans it out.
import { Inject, Injectable } from '@nestjs/common';
import type { Answer, ServerMessage } from '@onionchat/contract';
import { fromBase64, ProtocolError, readMessageHeader, type EnvelopeHeader } from '@onionchat/protocol';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { AccessPolicy } from '../access/access.policy.js';
import { ApiError, badRequest, conflict } from '../common/api-error.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { RoomsRepository } from '../rooms/rooms.repository.js';
import { MessagesRepository } from './messages.repository.js';
import { messageView, type StoredMessage } from './message.view.js';
import type { PageQuery, SendBody } from './messages.schemas.js';

const DEFAULT_PAGE = 100;

@Injectable()
export class MessagesService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly access: AccessPolicy,
    private readonly rooms: RoomsRepository,
    private readonly messages: MessagesRepository,
    private readonly limiter: RateLimiter,
    private readonly realtime: RealtimeService,
  ) {}

  async send(actor: Actor, roomId: string, body: SendBody): Promise<Answer<'sendMessage'>> {
    await this.access.requireMember(actor, roomId);
    const envelope = this.decodeEnvelope(body.envelope);
    const previous = await this.messages.findBySenderClientId(actor.userId, body.clientId);
    if (previous) return { message: this.sameAsBefore(previous, roomId, envelope), duplicate: true };
    await this.limiter.consume('messages', actor.userId);
    const { epoch } = await this.checkHeader(envelope, roomId, actor.userId, body.clientId);
    const stored = await this.store(actor, roomId, body.clientId, envelope, epoch);
    if (stored.duplicate) return stored;
    this.realtime.toUsers(await this.rooms.memberIds(roomId), 'message:new', stored.message);
    return stored;
  }

  async page(actor: Actor, roomId: string, query: PageQuery): Promise<{ messages: ServerMessage[]; hasMore: boolean }> {
    await this.access.requireMember(actor, roomId);
    const limit = Math.min(query.limit ?? DEFAULT_PAGE, this.config.MESSAGES_PAGE_MAX);
    // One extra row tells whether more pages follow.
    const rows =
      query.before !== undefined
        ? await this.messages.before(roomId, BigInt(query.before), limit + 1)
        : await this.messages.after(roomId, BigInt(query.after ?? 0), limit + 1);
    const hasMore = rows.length > limit;
    const page =
      query.before !== undefined ? rows.slice(rows.length - Math.min(rows.length, limit)) : rows.slice(0, limit);
    return { messages: page.map(messageView), hasMore };
  }

  private decodeEnvelope(text: string): Uint8Array {
    const maxChars = Math.ceil(this.config.MESSAGE_MAX_BYTES / 3) * 4;
    if (text.length > maxChars) {
      throw new ApiError(
        413,
        'too_large',
        `The message is larger than the limit of ${this.config.MESSAGE_MAX_BYTES} bytes.`,
      );
    }
    try {
      return fromBase64(text);
    } catch {
      throw badRequest('envelope: must be base64');
    }
  }

  /** The header is signed by the sender; the server checks it only to refuse misfiled envelopes early. */
  private async checkHeader(
    envelope: Uint8Array,
    roomId: string,
    senderId: string,
    clientId: string,
  ): Promise<EnvelopeHeader> {
    let header;
    try {
      header = readMessageHeader(envelope);
    } catch (err) {
      if (err instanceof ProtocolError) throw badRequest(`envelope: ${err.message}`, 'invalid_record');
      throw err;
    }
    const room = await this.rooms.findById(roomId);
    const named = header.roomId === roomId && header.senderId === senderId && header.messageId === clientId;
    if (named && room && header.epoch < room.epoch) {
      // Sealed just before a member started a new key: the sender seals it again, same message id.
      throw new ApiError(
        409,
        'stale_epoch',
        'This message was sealed with an earlier key of this conversation; it must be sealed again with the current one.',
      );
    }
    if (!named || header.epoch !== room?.epoch) {
      throw badRequest(
        'envelope: its header does not name this conversation, its current key epoch, you as sender and the clientId.',
        'invalid_record',
      );
    }
    return header;
  }

  private async store(
    actor: Actor,
    roomId: string,
    clientId: string,
    envelope: Uint8Array,
    epoch: number,
  ): Promise<Answer<'sendMessage'>> {
    try {
      const message = await this.messages.append({
        roomId,
        senderId: actor.userId,
        clientId,
        epoch,
        envelope,
      });
      return { message: messageView(message), duplicate: false };
    } catch (err) {
      // A concurrent retry of the same send won the race: answer with its result.
      if (isUniqueViolation(err)) {
        const winner = await this.messages.findBySenderClientId(actor.userId, clientId);
        if (winner) return { message: this.sameAsBefore(winner, roomId, envelope), duplicate: true };
      }
      throw err;
    }
  }

  private sameAsBefore(previous: StoredMessage, roomId: string, envelope: Uint8Array): ServerMessage {
    const same = previous.roomId === roomId && Buffer.from(previous.envelope).equals(Buffer.from(envelope));
    if (!same) throw conflict('duplicate_id', 'This clientId was already used for a different message.');
    return messageView(previous);
  }
}
