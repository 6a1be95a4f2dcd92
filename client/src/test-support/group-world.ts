// A world for group chat tests: several people, each with a real ChatSession on its own
// fake transport, and one fake server in between that behaves like the real one (it
// files group records by the chain's rules, keeps wrapped keys per member, refuses
// messages under an ended epoch, answers 404 to someone no longer in a group, and tells
// every member's live connection what happened). Tests can make it lie: list people
// without a record, list another chain than the one filed, or store any message.

import type { PublicUser, Room, ServerMessage, StartEpochBody } from '@onionchat/contract';
import {
  applyGroupRecord,
  createIdentity,
  decodeGroupRecord,
  fromBase64,
  newUuid,
  openRoomKey,
  readMessageHeader,
  sealMessage,
  signGroupRecord,
  toBase64,
  type GroupAction,
  type GroupEntry,
  type GroupState,
} from '@onionchat/protocol';
import type { ExpiryClock } from '../chat/disappearing.js';
import { ChatSession } from '../chat/session.js';
import type { RoomState } from '../chat/snapshot.js';
import { Api } from '../transport/api.js';
import { idleFiles, person, type Person } from './chat-world.js';
import { FakeHttp, type FakeCall, type FakeReply } from './fake-http.js';
import { FakeLive } from './fake-live.js';
import { FakePlatform } from './fake-platform.js';

import type { FiledKey, FiledRecord } from './group-filing.js';

export { person, type Person };
export type { FiledRecord };

export interface ServerGroup {
  roomId: string;
  records: FiledRecord[];
  state: GroupState | null;
  keys: FiledKey[];
  messages: ServerMessage[];
  reads: Map<string, number>;
  /** Each member's delivered mark. */
  delivered: Map<string, number>;
  /** Each member's latest sealed receipt (PROTOCOL.md §22). */
  receipts: Map<string, string>;
  /** People the server lists as members though no record added them. */
  extra: Person[];
  /** What the server lists as the group's records to a viewer, in place of the filed ones. */
  listing: ((viewerId: string) => FiledRecord[]) | null;
  /** The server leaves the group out of a viewer's room list (it drops and lists it again). */
  hiddenFrom: Set<string>;
}

const refusal = (status: number, code: string): FakeReply => ({ status, body: { code, message: `Refused: ${code}.` } });

/** One person's device: a ChatSession on its own transport to the world's server. */
export class Device {
  readonly http = new FakeHttp();
  readonly api = new Api(this.http);
  readonly live = new FakeLive();
  readonly platform = new FakePlatform();
  session!: ChatSession;
  /** Wall-clock time for disappearing messages (absent: the system's). */
  clock: ExpiryClock | undefined;

  constructor(readonly who: Person) {}

  start(): ChatSession {
    this.session = new ChatSession({
      api: this.api,
      live: this.live,
      platform: this.platform,
      files: idleFiles(),
      user: { ...this.who.user, createdAt: '2024-01-01T00:00:00.000Z' },
      identity: this.who.identity,
      vault: null,
      onSessionLost: () => undefined,
      ...(this.clock ? { clock: this.clock } : {}),
    });
    this.live.connect();
    this.session.start();
    return this.session;
  }

  view(roomId: string): RoomState | undefined {
    return this.session.getSnapshot().rooms.get(roomId);
  }

  /** The texts of the conversation's messages (null for one not shown as content), notices left out. */
  texts(roomId: string): (string | null)[] {
    return (this.view(roomId)?.items ?? []).filter((item) => item.state !== 'notice').map((item) => item.text);
  }

  notices(roomId: string): string[] {
    return (this.view(roomId)?.items ?? []).filter((item) => item.state === 'notice').map((item) => item.text ?? '');
  }
}

export class GroupWorld {
  readonly people = new Map<string, Person>();
  readonly devices = new Map<string, Device>();
  readonly groups = new Map<string, ServerGroup>();
  /** Records the server presents in place of someone's own (other keys under their id and name), by user id. */
  readonly impostors = new Map<string, Person>();
  /** People whose devices hear no events (their socket is slow, or the server holds them back). */
  readonly muted = new Set<string>();
  private readonly directIds = new Map<string, string>();

  constructor(names: readonly string[]) {
    for (const name of names) {
      const who = person(name);
      this.people.set(name, who);
    }
  }

  get(name: string): Person {
    const who = this.people.get(name);
    if (!who) throw new Error(`nobody called ${name}`);
    return who;
  }

  /** A device for `name`, its session started. */
  device(name: string, clock?: ExpiryClock): Device {
    const device = new Device(this.get(name));
    device.clock = clock;
    this.route(device);
    this.devices.set(device.who.user.id, device);
    device.start();
    return device;
  }

  group(roomId: string): ServerGroup {
    const group = this.groups.get(roomId);
    if (!group) throw new Error(`no group ${roomId}`);
    return group;
  }

  /** Who the server lists as members: the filed chain's, and anyone it slipped in. */
  listed(group: ServerGroup): PublicUser[] {
    const ids = [...(group.state?.members.keys() ?? [])];
    const presented = (id: string) => (this.impostors.get(id) ?? this.byId(id)).user;
    return [...ids.map(presented), ...group.extra.map((who) => who.user)];
  }

  /** The room key of an epoch, as `who`'s wrapped copy on the server opens. */
  roomKeyOf(roomId: string, epoch: number, who: Person): Uint8Array {
    const wrapped = this.group(roomId).keys.find((key) => key.epoch === epoch && key.memberId === who.user.id);
    if (!wrapped) throw new Error(`no key of epoch ${epoch} for ${who.user.username}`);
    const wrapper = this.byId(wrapped.wrapperId);
    const context = { roomId, epoch, memberId: who.user.id };
    return openRoomKey(fromBase64(wrapped.record), context, who.identity, { id: wrapper.user.id, ...wrapper.identity })
      .roomKey;
  }

  /** The server stores (and announces) a message `from` sealed with `key` under `epoch`, whatever the rules say. */
  inject(roomId: string, from: Person, text: string, epoch: number, key: Uint8Array): ServerMessage {
    const messageId = newUuid();
    const header = { roomId, epoch, senderId: from.user.id, messageId, sentAt: Date.now() };
    const envelope = toBase64(sealMessage(header, { type: 'text', text, chain: newUuid(), n: 1 }, key, from.identity));
    return this.store(this.group(roomId), from.user.id, epoch, envelope);
  }

  /** The next record on the filed chain in `signer`'s name (no new epoch, no info), signed with another key. */
  forge(roomId: string, signer: Person, action: GroupAction, entries: GroupEntry[]): Uint8Array {
    const state = this.group(roomId).state!;
    const fields = {
      roomId,
      index: state.index + 1,
      previous: state.head,
      signerId: signer.user.id,
      epoch: state.epoch,
      sentAt: Date.now(),
      action,
      entries,
      info: new Uint8Array(0),
    };
    return signGroupRecord(fields, createIdentity('forger'));
  }

  byId(userId: string): Person {
    const who = [...this.people.values()].find((candidate) => candidate.user.id === userId);
    if (!who) throw new Error(`nobody with id ${userId}`);
    return who;
  }

  // ---------------------------------------------------------------- the server

  private route(device: Device): void {
    const me = device.who.user.id;
    const group = (call: FakeCall) => this.groups.get(call.path.split('/')[3]!.split('?')[0]!);
    const member = (call: FakeCall) => {
      const found = group(call);
      return found && this.listed(found).some((user) => user.id === me) ? found : null;
    };
    device.http
      .on('GET', '/api/config', { body: { registration: 'open', minKdfIterations: 1, groupMaxMembers: 100 } })
      .on('GET', '/api/friends', () => ({ body: this.friendsOf(me) }))
      .on('GET', '/api/rooms', () => ({ body: { rooms: this.roomsOf(me) } }))
      .on('POST', '/api/groups', (call) => this.create(me, call))
      .on('GET', /^\/api\/groups\/[^/]+\/records/, (call) => this.records(me, member(call), call))
      .on('POST', /^\/api\/groups\/[^/]+\/records$/, (call) => this.append(me, member(call), call))
      .on('GET', /^\/api\/rooms\/[^/]+\/keys$/, (call) => this.keysOf(me, member(call)))
      .on('POST', /^\/api\/rooms\/[^/]+\/keys$/, (call) => this.finish(me, member(call), call))
      .on('GET', /^\/api\/rooms\/[^/]+\/messages\?/, (call) => this.page(member(call), call))
      .on('POST', /^\/api\/rooms\/[^/]+\/read$/, (call) => this.read(me, member(call), call))
      .on('POST', /^\/api\/rooms\/[^/]+\/delivered$/, (call) => this.markDelivered(me, member(call), call))
      .on('GET', /^\/api\/rooms\/[^/]+\/receipts$/, (call) => this.receiptsOf(member(call)))
      .on('PUT', /^\/api\/rooms\/[^/]+\/receipt$/, (call) => this.saveReceipt(me, member(call), call));
    device.live.ack = (payload) => this.send(me, payload);
  }

  private friendsOf(me: string) {
    const friends = [...this.people.values()]
      .filter((who) => who.user.id !== me)
      .map((who) => ({ user: who.user, roomId: this.directId(me, who.user.id), since: '2024-01-01T00:00:00.000Z' }));
    return { friends, incoming: [], outgoing: [], blocked: [] };
  }

  /** Friends' direct rooms are not what these tests are about: listed as friends, never as rooms. */
  private directId(a: string, b: string): string {
    const pair = [a, b].sort().join('/');
    let id = this.directIds.get(pair);
    if (!id) this.directIds.set(pair, (id = newUuid()));
    return id;
  }

  private roomsOf(me: string): Room[] {
    return [...this.groups.values()]
      .filter((group) => !group.hiddenFrom.has(me) && this.listed(group).some((user) => user.id === me))
      .map((group) => this.roomFor(group, me));
  }

  private roomFor(group: ServerGroup, me: string): Room {
    const lastReadSeq = group.reads.get(me) ?? 0;
    const lastSeq = group.messages.length;
    const unread = group.messages.filter((m) => m.seq > lastReadSeq && m.senderId !== me).length;
    const epoch = group.state?.epoch ?? 1;
    const members = this.listed(group);
    const delivered = members.map((user) => ({ userId: user.id, seq: group.delivered.get(user.id) ?? 0 }));
    return { id: group.roomId, kind: 'group', epoch, lastSeq, lastReadSeq, unread, members, delivered };
  }

  private create(me: string, call: FakeCall): FakeReply {
    const body = call.body as { record: string; keys: { memberId: string; record: string }[] };
    const record = fromBase64(body.record);
    const decoded = decodeGroupRecord(record);
    if (decoded.signerId !== me) return refusal(403, 'wrong_signer');
    if (this.groups.has(decoded.roomId)) return refusal(409, 'room_taken');
    const group: ServerGroup = {
      roomId: decoded.roomId,
      records: [],
      state: null,
      keys: [],
      messages: [],
      reads: new Map(),
      delivered: new Map(),
      receipts: new Map(),
      extra: [],
      listing: null,
      hiddenFrom: new Set(),
    };
    this.groups.set(group.roomId, group);
    this.file(group, record, body.keys, me);
    return { status: 201, body: { room: this.roomFor(group, me) } };
  }

  private records(me: string, group: ServerGroup | null, call: FakeCall): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const after = new URLSearchParams(call.path.split('?')[1] ?? '').get('after');
    const records = group.listing ? group.listing(me) : group.records;
    const rest = records.filter((filed) => after === null || filed.index > Number(after));
    const views = rest.map((filed) => ({
      index: filed.index,
      record: toBase64(filed.record),
      afterSeq: filed.afterSeq,
    }));
    return { body: { records: views, hasMore: false } };
  }

  private append(me: string, group: ServerGroup | null, call: FakeCall): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const body = call.body as { record: string; keys?: { memberId: string; record: string }[] };
    const record = fromBase64(body.record);
    const decoded = decodeGroupRecord(record);
    if (decoded.signerId !== me) return refusal(403, 'wrong_signer');
    if (decoded.index <= (group.state?.index ?? -1)) return refusal(409, 'chain_changed');
    try {
      applyGroupRecord(group.state, record, { roomId: group.roomId });
    } catch {
      return refusal(400, 'bad_chain');
    }
    const afterSeq = this.file(group, record, body.keys ?? [], me);
    return { status: 201, body: { index: decoded.index, epoch: group.state!.epoch, afterSeq } };
  }

  /** Files a record after the room's last message, with its keys; everyone in the group before or after hears of it. */
  private file(group: ServerGroup, record: Uint8Array, keys: { memberId: string; record: string }[], me: string) {
    const before = new Set(group.state?.members.keys() ?? []);
    group.state = applyGroupRecord(group.state, record, { roomId: group.roomId });
    const afterSeq = group.messages.length;
    group.records.push({ index: group.state.index, record, afterSeq });
    for (const key of keys) group.keys.push({ epoch: group.state.epoch, wrapperId: me, ...key });
    const told = new Set([...before, ...group.state.members.keys()]);
    this.tell(told, 'group:changed', { roomId: group.roomId, index: group.state.index });
    return afterSeq;
  }

  private keysOf(me: string, group: ServerGroup | null): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const keys = group.keys
      .filter((key) => key.memberId === me)
      .map(({ epoch, wrapperId, record }) => ({ epoch, wrapperId, record }));
    return { body: { keys } };
  }

  /** A member posts the current epoch's key after a leave: the first complete set wins. */
  private finish(me: string, group: ServerGroup | null, call: FakeCall): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const body = call.body as StartEpochBody;
    if (body.epoch !== group.state!.epoch) return refusal(400, 'invalid_record');
    if (group.keys.some((key) => key.epoch === body.epoch)) return refusal(409, 'epoch_taken');
    for (const key of body.keys) group.keys.push({ epoch: body.epoch, wrapperId: me, ...key });
    this.tell(new Set(group.state!.members.keys()), 'room:key', { roomId: group.roomId, epoch: body.epoch });
    return { status: 201, body: { epoch: body.epoch } };
  }

  private page(group: ServerGroup | null, call: FakeCall): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const query = new URLSearchParams(call.path.split('?')[1]);
    const limit = Number(query.get('limit'));
    if (query.has('after')) {
      const rest = group.messages.filter((m) => m.seq > Number(query.get('after')));
      return { body: { messages: rest.slice(0, limit), hasMore: rest.length > limit } };
    }
    const earlier = group.messages.filter((m) => m.seq < Number(query.get('before')));
    return { body: { messages: earlier.slice(-limit), hasMore: earlier.length > limit } };
  }

  /** Raises the member's mark (never past the last message) and tells every member when it moved. */
  private markDelivered(me: string, group: ServerGroup | null, call: FakeCall): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const held = group.delivered.get(me) ?? 0;
    const seq = Math.max(held, Math.min((call.body as { seq: number }).seq, group.messages.length));
    group.delivered.set(me, seq);
    const members = new Set(group.state?.members.keys() ?? []);
    if (seq > held) this.tell(members, 'room:delivered', { roomId: group.roomId, userId: me, deliveredSeq: seq });
    return { body: { deliveredSeq: seq } };
  }

  private receiptsOf(group: ServerGroup | null): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const receipts = [...group.receipts].map(([userId, envelope]) => ({
      userId,
      envelope,
      updatedAt: new Date().toISOString(),
    }));
    return { body: { receipts } };
  }

  /** Keeps the member's latest receipt and tells the other members. */
  private saveReceipt(me: string, group: ServerGroup | null, call: FakeCall): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const envelope = (call.body as { envelope: string }).envelope;
    group.receipts.set(me, envelope);
    const others = new Set(this.listed(group).map((user) => user.id));
    others.delete(me);
    this.tell(others, 'receipt:new', { roomId: group.roomId, userId: me, envelope });
    return { status: 204 };
  }

  private read(me: string, group: ServerGroup | null, call: FakeCall): FakeReply {
    if (!group) return refusal(404, 'not_found');
    const seq = Math.max(group.reads.get(me) ?? 0, (call.body as { seq: number }).seq);
    group.reads.set(me, seq);
    return { body: { lastReadSeq: seq } };
  }

  private send(
    me: string,
    payload: { roomId: string; clientId: string; envelope: string; disappearsAt?: string | null },
  ): unknown {
    const group = this.groups.get(payload.roomId);
    if (!group || !this.listed(group).some((user) => user.id === me)) {
      return { ok: false, status: 404, code: 'not_found', message: 'No such room.' };
    }
    const header = readMessageHeader(fromBase64(payload.envelope));
    if (header.epoch !== group.state!.epoch) {
      return { ok: false, status: 409, code: 'stale_epoch', message: 'Seal it again under the current key.' };
    }
    const message = this.store(group, me, header.epoch, payload.envelope, me, payload.disappearsAt ?? null);
    return { ok: true, message, duplicate: false };
  }

  /** Stores a message under the next seq and tells every member but `quiet` (the sender's own device). */
  private store(
    group: ServerGroup,
    senderId: string,
    epoch: number,
    envelope: string,
    quiet?: string,
    disappearsAt: string | null = null,
  ) {
    const message: ServerMessage = {
      id: newUuid(),
      roomId: group.roomId,
      seq: group.messages.length + 1,
      senderId,
      epoch,
      envelope,
      disappearsAt,
      createdAt: new Date().toISOString(),
      erasedAt: null,
    };
    group.messages.push(message);
    const told = new Set(this.listed(group).map((user) => user.id));
    if (quiet) told.delete(quiet);
    this.tell(told, 'message:new', message);
    return message;
  }

  /** Events go out after the request that caused them has been answered, as over a real socket. */
  private tell(
    userIds: Set<string>,
    event: 'group:changed' | 'message:new' | 'room:key' | 'room:delivered' | 'receipt:new',
    payload: unknown,
  ): void {
    const lives = [...userIds].filter((id) => !this.muted.has(id)).map((id) => this.devices.get(id)?.live);
    setTimeout(() => {
      for (const live of lives) live?.emit(event, payload);
    }, 0);
  }
}
