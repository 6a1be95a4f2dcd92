// A small world for chat unit tests: two real identities, a direct room whose key is
// wrapped with the protocol's own functions, a fake server (FakeHttp + FakeLive)
// holding real sealed messages and encrypted files, and a ChatSession wired to it
// (with file transfers that do nothing, or real ones that upload to the fake server
// and hand verified files to a sink kept in memory).

import type { PublicUser, Room, ServerFile, ServerMessage, User } from '@onionchat/contract';
import {
  createIdentity,
  encodePublicKeys,
  fileMessageBody,
  newRoomKey,
  newUuid,
  sealMessage,
  toBase64,
  wrapRoomKey,
  type FileMessageBody,
  type Identity,
  type MessageBody,
} from '@onionchat/protocol';
import type { ExpiryClock } from '../chat/disappearing.js';
import { ChatSession } from '../chat/session.js';
import type { FileSink } from '../files/sink.js';
import { FileTransfers, type FileSource } from '../files/transfers.js';
import { Api } from '../transport/api.js';
import type { HttpAnswer } from '../transport/http.js';
import { FakeHttp } from './fake-http.js';
import { FakeLive } from './fake-live.js';
import { FakePlatform } from './fake-platform.js';

export interface Person {
  identity: Identity;
  user: PublicUser;
}

export function person(username: string, id: string = newUuid()): Person {
  const identity = createIdentity(username);
  return { identity, user: { id, username, publicKeys: toBase64(encodePublicKeys(identity, id)) } };
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

/** Keeps what the file transfers hand over (verified files only). */
export class MemorySink implements FileSink {
  readonly saved: { name: string; bytes: Uint8Array }[] = [];
  async save(blob: Blob, name: string): Promise<void> {
    this.saved.push({ name, bytes: new Uint8Array(await blob.arrayBuffer()) });
  }
}

/** A file as the fake server keeps it (the ciphertext, as far as it was received). */
export interface StoredFile {
  info: ServerFile;
  data: Uint8Array;
}

/** FakeHttp whose PUTs of file contents can be held (an upload under way, not finished). */
export class WorldHttp extends FakeHttp {
  private gate: { promise: Promise<void>; release: () => void } | null = null;
  /** PUTs waiting at the gate now. */
  putsHeld = 0;

  /** PUTs wait until releaseUploads(). */
  holdUploads(): void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.gate = { promise, release };
  }

  releaseUploads(): void {
    const gate = this.gate;
    this.gate = null;
    gate?.release();
  }

  override async put(
    path: string,
    body: Uint8Array,
    progress: (sent: number) => void,
    signal: AbortSignal,
  ): Promise<HttpAnswer> {
    if (this.gate) {
      this.putsHeld += 1;
      await this.gate.promise;
      this.putsHeld -= 1;
    }
    return super.put(path, body, progress, signal);
  }
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
  readonly http = new WorldHttp();
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
  /** Files on the fake server, by id (uploads land here; see also serveFile). */
  readonly files = new Map<string, StoredFile>();
  /** Where real file transfers hand verified files. */
  readonly sink = new MemorySink();

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
    this.http
      .on('POST', `/api/rooms/${this.roomId}/files`, (call) => {
        const size = (call.body as { size: number }).size;
        const info: ServerFile = {
          id: newUuid(),
          roomId: this.roomId,
          uploaderId: this.alice.user.id,
          size,
          received: 0,
          status: 'uploading',
          createdAt: '2024-01-01T00:00:00.000Z',
          expiresAt: '2024-01-01T01:00:00.000Z',
          disappearsAt: (call.body as { disappearsAt?: string }).disappearsAt ?? null,
        };
        this.files.set(info.id, { info, data: new Uint8Array(size) });
        return { status: 201, body: { file: info, maxRequestBytes: 1024 * 1024 } };
      })
      .on('GET', /^\/api\/files\/[^/?]+$/, (call) => {
        const file = this.files.get(call.path.split('/').pop()!);
        return file
          ? { body: { file: file.info } }
          : { status: 404, body: { code: 'not_found', message: 'No such file.' } };
      })
      .on('DELETE', /^\/api\/files\/[^/?]+$/, (call) => {
        this.files.delete(call.path.split('/').pop()!);
        return { status: 204 };
      });
    this.http.putHandler = (path, body) => {
      const [, id, offset] = /^\/api\/files\/([^/]+)\/content\?offset=(\d+)$/.exec(path) ?? [];
      const file = this.files.get(id ?? '');
      if (!file) return { status: 404, body: { code: 'not_found', message: 'No such file.' } };
      if (Number(offset) !== file.info.received || file.info.received + body.length > file.info.size) {
        return { status: 409, body: { code: 'wrong_offset', message: `The server has ${file.info.received} bytes.` } };
      }
      file.data.set(body, file.info.received);
      file.info = { ...file.info, received: file.info.received + body.length };
      if (file.info.received === file.info.size) file.info = { ...file.info, status: 'ready', expiresAt: null };
      return { body: { file: file.info } };
    };
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

  /**
   * Bob writes a file message. Its name goes in as given (even one a sender's
   * fileMessageBody would refuse): what a receiver makes of it is the point.
   */
  bobFile(file: FileSource, options: SealOptions = {}): string {
    const body: FileMessageBody = { ...fileMessageBody({ ...file, name: 'file' }), name: file.name };
    const n = options.n ?? (this.bobN += 1);
    return this.seal(this.bob, { ...body, chain: options.chain ?? this.bobChain, n }, options);
  }

  /** The server holds these bytes as a file's contents (served whole, as downloads ask). */
  serveFile(fileId: string, bytes: Uint8Array): void {
    this.http.streams.set(
      `/api/files/${fileId}/content`,
      () =>
        new Response(bytes.slice(), {
          status: 200,
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) },
        }),
    );
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
      disappearsAt: null,
      erasedAt: null,
    };
    this.messages.push(message);
    this.messages.sort((a, b) => a.seq - b.seq);
    return message;
  }

  /** Bob writes, the server stores it (not pushed over the socket). */
  bobSays(text: string, options: SealOptions = {}): ServerMessage {
    return this.store(this.bob.user.id, this.bobText(text, options));
  }

  /** `realFiles`: file transfers that upload to the fake server and hand verified files to `sink`. */
  start(options: { realFiles?: boolean; clock?: ExpiryClock } = {}): ChatSession {
    this.session = new ChatSession({
      ...(options.clock ? { clock: options.clock } : {}),
      api: this.api,
      live: this.live,
      platform: this.platform,
      files: options.realFiles
        ? (hooks) => new FileTransfers({ api: this.api, platform: this.platform, sink: this.sink, hooks })
        : idleFiles(),
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
