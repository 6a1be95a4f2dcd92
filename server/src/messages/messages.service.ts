// Storing and paging encrypted messages. The server cannot read them; it checks that an
// envelope is filed where its (signed) header says, stores it under the room's next
// sequence number (MessageLog, grouped with concurrent sends), acknowledges only after
// the commit, and fans it out in sequence order.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Answer, ServerMessage } from '@onionchat/contract';
import { fromBase64, type EnvelopeHeader } from '@onionchat/protocol';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { AccessPolicy } from '../access/access.policy.js';
import { ApiError, badRequest, conflict } from '../common/api-error.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { RoomsRepository } from '../rooms/rooms.repository.js';
import { envelopeHeader } from './envelope-header.js';
import { disappearsAtOf } from '../retention/disappears-at.js';
import { MessagesRepository } from './messages.repository.js';
import { MessageLog } from './message-log.js';
import { earlierView, messageView, storedView } from './message.view.js';
import type { PageQuery, SendBody } from './messages.schemas.js';

const DEFAULT_PAGE = 100;
const MAX_EPOCH = 2 ** 31 - 1;

@Injectable()
export class MessagesService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly access: AccessPolicy,
    private readonly rooms: RoomsRepository,
    private readonly messages: MessagesRepository,
    private readonly limiter: RateLimiter,
    private readonly log: MessageLog,
    private readonly realtime: RealtimeService,
  ) {
    // Every member's sessions, the sender's included, get each message in sequence order;
    // the socket it came from has it in its acknowledgement already.
    log.onStored((message, result, origin) =>
      realtime.toUsersExcept(origin, result.memberIds, 'message:new', storedView(message, message.envelope, result)),
    );
  }

  /**
   * The checks that need no database come first; membership, the room's epoch and
   * duplicates are checked by the statement that stores the message (MessageLog), which
   * also takes the room's next sequence number. Only a refused message costs the reads
   * that say why.
   */
  async send(actor: Actor, roomId: string, body: SendBody, origin?: string): Promise<Answer<'sendMessage'>> {
    const disappearsAt = disappearsAtOf(body.disappearsAt, this.config.DISAPPEARING_MAX_DAYS, 'message');
    const envelope = this.decodeEnvelope(body.envelope);
    const header = envelopeHeader(envelope);
    const named = header.roomId === roomId && header.senderId === actor.userId && header.messageId === body.clientId;
    // An epoch beyond PostgreSQL's integer cannot be any room's, and must not fail a whole batch.
    if (!named || header.epoch > MAX_EPOCH) return this.explainRefusal(actor, roomId, body, header);
    await this.limiter.consume('messages', actor.userId);
    const message = {
      id: randomUUID(),
      roomId,
      senderId: actor.userId,
      clientId: body.clientId,
      epoch: header.epoch,
      disappearsAt,
    };
    const result = await this.log.append({ ...message, envelope: body.envelope }, origin);
    if (result.kind === 'stored') return { message: storedView(message, body.envelope, result), duplicate: false };
    if (result.kind === 'earlier') {
      return { message: this.sameAsBefore(earlierView(result, actor.userId), roomId, body.envelope), duplicate: true };
    }
    return this.explainRefusal(actor, roomId, body, header);
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

  /**
   * The sender asks the server to erase a message: its ciphertext goes, its row (seq,
   * sender, clientId) stays so numbering and sender counters keep their places. Nobody is
   * told: the sender's signed deletion, a message like any other, is what clients honour.
   */
  async erase(actor: Actor, roomId: string, id: string): Promise<void> {
    const message = await this.access.requireMessageSender(actor, roomId, id);
    await this.messages.erase(message.id);
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

  /**
   * Why the statement refused a message, with the reads it spared: not a member (404), a
   * message sealed under an earlier key (409, sealed again by the client), a header that
   * names another room, epoch, sender or id (400), or a retry of a message stored by a
   * concurrent send (answered as a duplicate).
   */
  private async explainRefusal(
    actor: Actor,
    roomId: string,
    body: SendBody,
    header: EnvelopeHeader,
  ): Promise<Answer<'sendMessage'>> {
    await this.access.requireMember(actor, roomId);
    const room = await this.rooms.findById(roomId);
    const named = header.roomId === roomId && header.senderId === actor.userId && header.messageId === body.clientId;
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
    const previous = await this.messages.findBySenderClientId(actor.userId, body.clientId);
    if (previous) return { message: this.sameAsBefore(messageView(previous), roomId, body.envelope), duplicate: true };
    throw conflict('send_conflict', 'The conversation changed while this message was being stored. Send it again.');
  }

  /** A retry of a stored message; one its sender had erased since has no envelope left to compare. */
  private sameAsBefore(previous: ServerMessage, roomId: string, envelope: string): ServerMessage {
    const erased = previous.erasedAt !== null;
    if (previous.roomId !== roomId || (!erased && previous.envelope !== envelope)) {
      throw conflict('duplicate_id', 'This clientId was already used for a different message.');
    }
    return previous;
  }
}
