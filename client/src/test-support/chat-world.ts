// A small world for chat unit tests: two real identities, a direct room whose key is
// wrapped with the protocol's own functions, a fake server (FakeHttp + FakeLive)
// holding real sealed messages, and a ChatSession wired to it.

import type { PublicUser, Room, ServerMessage, User } from '@onionchat/contract';
import {
  createIdentity,
  encodePublicKeys,
  newRoomKey,
  newUuid,
  sealMessage,
  toBase64,
  wrapRoomKey,
  type Identity,
  type MessageBody,
} from '@onionchat/protocol';
import { ChatSession } from '../chat/session.js';
import type { FileTransfers } from '../files/index.js';
import { Api } from '../transport/api.js';
import { FakeHttp } from './fake-http.js';
import { FakeLive } from './fake-live.js';
import { FakePlatform } from './fake-platform.js';

export interface Person {
  identity: Identity;
  user: PublicUser;
}

export function person(username: string, id: string = newUuid()): Person {
  const identity = createIdentity(username);
  return { identity, user: { id, username, publicKeys: toBase64(encodePublicKeys(identity)) } };
}

/** Files are not what these tests are about: a transfers object that does nothing. */
export function idleFiles(): FileTransfers {
  const files = {
    busy: false,
    online() {},
    stop() {},
    dropRoom() {},
    markReady() {},
    startFile() {},
    save() {},
    preview() {},
  };
  return files as unknown as FileTransfers;
}

export interface SealOptions {
  roomId?: string;
  epoch?: number;
  messageId?: string;
  chain?: string;
  n?: number;
  sentAt?: number;
  /** Who signs it (default: the sender). */
  signer?: Identity;
}

export class ChatWorld {
  readonly alice = person('alice');
  readonly bob = person('bob');
  readonly roomId = newUuid();
  readonly roomKey = newRoomKey();
  readonly http = new FakeHttp();
  readonly live = new FakeLive();
  readonly platform = new FakePlatform();
  readonly api = new Api(this.http);
  /** What the server stores, by seq order. */
  readonly messages: ServerMessage[] = [];
  /** Bob's chain (his session's sender counter). */
  readonly bobChain = newUuid();
  private bobN = 0;
  /** The members as the server presents them now. */
  members: PublicUser[];
  lastReadSeq = 0;
  /** What the room list says about unread (default: the server's own count). */
  unreadOverride: number | null = null;
  /** Room list answers left out of the list (a room removed). */
  roomListed = true;
  sessionLost = 0;
  session!: ChatSession;

  constructor() {
    this.members = [this.alice.user, this.bob.user];
    const wrapped = toBase64(
      wrapRoomKey(
        this.roomKey,
        { roomId: this.roomId, epoch: 1, memberId: this.alice.user.id, wrapperId: this.alice.user.id },
        this.alice.identity,
        this.alice.identity.boxPublicKey,
      ),
    );
    this.http
      .on('GET', '/api/friends', () => ({
        body: {
          friends: [{ user: this.bob.user, roomId: this.roomId, since: '2024-01-01T00:00:00.000Z' }],
          incoming: [],
          outgoing: [],
          blocked: [],
        },
      }))
      .on('GET', '/api/rooms', () => ({ body: { rooms: this.roomListed ? [this.room()] : [] } }))
      .on('GET', `/api/rooms/${this.roomId}/keys`, {
        body: { keys: [{ epoch: 1, wrapperId: this.alice.user.id, record: wrapped }] },
      })
      .on('GET', new RegExp(`^/api/rooms/${this.roomId}/messages\\?`), (call) => {
        const query = new URLSearchParams(call.path.split('?')[1]);
        const limit = Number(query.get('limit'));
        if (query.has('after')) {
          const after = Number(query.get('after'));
          const page = this.messages.filter((m) => m.seq > after);
          return { body: { messages: page.slice(0, limit), hasMore: page.length > limit } };
        }
        const before = Number(query.get('before'));
        const page = this.messages.filter((m) => m.seq < before);
        return { body: { messages: page.slice(-limit), hasMore: page.length > limit } };
      })
      .on('POST', `/api/rooms/${this.roomId}/read`, (call) => {
        const seq = (call.body as { seq: number }).seq;
        this.lastReadSeq = Math.max(this.lastReadSeq, seq);
        return { body: { lastReadSeq: this.lastReadSeq } };
      });
    // By default the server stores what is sent and acknowledges it.
    this.live.ack = (payload) => ({
      ok: true,
      message: this.store(this.alice.user.id, payload.envelope),
      duplicate: false,
    });
  }

  get me(): User {
    return { ...this.alice.user, createdAt: '2024-01-01T00:00:00.000Z' };
  }

  get lastSeq(): number {
    return this.messages[this.messages.length - 1]?.seq ?? 0;
  }

  /** The room as the server lists it now. */
  room(): Room {
    const unread =
      this.unreadOverride ??
      this.messages.filter((m) => m.seq > this.lastReadSeq && m.senderId !== this.alice.user.id).length;
    return {
      id: this.roomId,
      kind: 'direct',
      epoch: 1,
      lastSeq: this.lastSeq,
      lastReadSeq: this.lastReadSeq,
      unread,
      members: this.members,
    };
  }

  /** An envelope from `from` (real crypto). */
  seal(from: Person, body: MessageBody, options: SealOptions = {}): string {
    return toBase64(
      sealMessage(
        {
          roomId: options.roomId ?? this.roomId,
          epoch: options.epoch ?? 1,
          senderId: from.user.id,
          messageId: options.messageId ?? newUuid(),
          sentAt: options.sentAt ?? Date.now(),
        },
        body,
        this.roomKey,
        options.signer ?? from.identity,
      ),
    );
  }

  /** Bob writes a text (next number in his chain unless told otherwise). */
  bobText(text: string, options: SealOptions = {}): string {
    const n = options.n ?? (this.bobN += 1);
    return this.seal(this.bob, { type: 'text', text, chain: options.chain ?? this.bobChain, n }, options);
  }

  /** The server stores an envelope under the next seq. */
  store(senderId: string, envelope: string, seq = this.lastSeq + 1): ServerMessage {
    const message: ServerMessage = {
      id: newUuid(),
      roomId: this.roomId,
      seq,
      senderId,
      epoch: 1,
      envelope,
      createdAt: new Date().toISOString(),
    };
    this.messages.push(message);
    this.messages.sort((a, b) => a.seq - b.seq);
    return message;
  }

  /** Bob writes, the server stores it (not pushed over the socket). */
  bobSays(text: string, options: SealOptions = {}): ServerMessage {
    return this.store(this.bob.user.id, this.bobText(text, options));
  }

  start(): ChatSession {
    this.session = new ChatSession({
      api: this.api,
      live: this.live,
      platform: this.platform,
      files: idleFiles(),
      user: this.me,
      identity: this.alice.identity,
      vault: null,
      onSessionLost: () => {
        this.sessionLost += 1;
      },
    });
    this.session.start();
    return this.session;
  }

  /** The session's view of the room now. */
  view() {
    return this.session.getSnapshot().rooms.get(this.roomId);
  }

  texts(): (string | null)[] {
    return this.view()?.items.map((item) => item.text) ?? [];
  }
}
