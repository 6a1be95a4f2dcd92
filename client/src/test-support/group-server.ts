// A fake server for group unit tests: it files group records as the real one does
// (the chain's own rules, 409 chain_changed for an index already taken, afterSeq from
// the room's message count), keeps wrapped keys per member, and lets a test list
// anything it likes in place of the filed chain (forks, dropped or forged records).
// Records by other members are made with the protocol's own functions.

import type { PublicUser, Room, StartEpochBody } from '@onionchat/contract';
import { GROUP_RECORDS_PAGE_MAX } from '@onionchat/contract';
import {
  applyGroupRecord,
  decodeGroupRecord,
  fromBase64,
  newRoomKey,
  newUuid,
  sealGroupInfo,
  signGroupRecord,
  toBase64,
  wrapRoomKey,
  type GroupAction,
  type GroupEntry,
  type GroupRecordFields,
  type GroupState,
  type Identity,
} from '@onionchat/protocol';
import { Api } from '../transport/api.js';
import { person, type Person } from './chat-world.js';
import { FakeHttp, type FakeCall, type FakeReply } from './fake-http.js';

import type { FiledKey, FiledRecord } from './group-filing.js';

export { person, type Person };
export type { FiledKey, FiledRecord };

interface Group {
  records: FiledRecord[];
  state: GroupState | null;
  keys: FiledKey[];
  lastSeq: number;
  members: PublicUser[];
}

const conflict = (code: string): FakeReply => ({ status: 409, body: { code, message: code } });

/** An entry of a create or an add: the person with the signing key they publish. */
export const joining = (who: Person, role: 'member' | 'admin' = 'member'): GroupEntry => ({
  userId: who.user.id,
  role,
  signPublicKey: who.identity.signPublicKey,
});

/** An entry of a remove (role none) or a role change. */
export const changing = (who: Person, role: 'none' | 'member' | 'admin' = 'none'): GroupEntry => ({
  userId: who.user.id,
  role,
  signPublicKey: new Uint8Array(32),
});

export class GroupServer {
  readonly http = new FakeHttp();
  readonly api = new Api(this.http);
  readonly groups = new Map<string, Group>();
  /** Everyone the server knows, by id (members are listed from here). */
  readonly people = new Map<string, Person>();
  /** Page size of record listings. */
  pageMax = GROUP_RECORDS_PAGE_MAX;
  /** What GET lists in place of the filed chain, when set. */
  listing: ((roomId: string) => FiledRecord[]) | null = null;
  /** Runs before the next POST is judged (another member filing first). */
  readonly racers: (() => void)[] = [];
  /** How many of the next creates are answered 409 room_taken whatever their id (a server that lies). */
  takenAnswers = 0;
  /** The answer for GET records (a 404 for someone removed), when set. */
  recordsReply: FakeReply | null = null;

  constructor(
    readonly me: Person,
    others: Person[],
  ) {
    for (const who of [me, ...others]) this.people.set(who.user.id, who);
    this.http
      .on('POST', '/api/groups', (call) => this.create(call))
      .on('GET', /^\/api\/groups\/[^/]+\/records/, (call) => this.list(call))
      .on('POST', /^\/api\/groups\/[^/]+\/records$/, (call) => this.append(call))
      .on('POST', /^\/api\/rooms\/[^/]+\/keys$/, (call) => this.finish(call))
      .on('GET', /^\/api\/rooms\/[^/]+\/keys$/, (call) => this.myKeys(call));
  }

  /** The room as the server lists it. */
  room(roomId: string): Room | null {
    const group = this.groups.get(roomId);
    if (!group) return null;
    const epoch = group.state?.epoch ?? 1;
    return {
      id: roomId,
      kind: 'group',
      epoch,
      lastSeq: group.lastSeq,
      lastReadSeq: 0,
      unread: 0,
      members: group.members,
    };
  }

  group(roomId: string): Group {
    const group = this.groups.get(roomId);
    if (!group) throw new Error(`no group ${roomId}`);
    return group;
  }

  /** Messages were numbered in the room (records filed later come after them). */
  messages(roomId: string, count: number): void {
    this.group(roomId).lastSeq += count;
  }

  /**
   * Files a record another member made on the chain as filed. `key`: the room key its
   * info is sealed with; for a create, an add or a remove also wrapped by the signer for
   * every member after it.
   */
  fileBy(
    roomId: string,
    signer: Person,
    action: GroupAction,
    entries: GroupEntry[] = [],
    options: { key?: Uint8Array; overrides?: Partial<GroupRecordFields>; signWith?: Identity } = {},
  ): Uint8Array {
    const record = this.recordBy(roomId, signer, action, entries, options);
    this.file(roomId, record);
    const withKeys = action === 'create' || action === 'add' || action === 'remove';
    if (options.key && withKeys) this.storeKeys(roomId, signer, options.key);
    return record;
  }

  /** A record by `signer` following the filed chain, not filed (for forged listings). */
  recordBy(
    roomId: string,
    signer: Person,
    action: GroupAction,
    entries: GroupEntry[] = [],
    options: { key?: Uint8Array; overrides?: Partial<GroupRecordFields>; signWith?: Identity } = {},
  ): Uint8Array {
    const group = this.groups.get(roomId);
    const state = group?.state ?? null;
    const starts = action === 'create' || action === 'add' || action === 'remove' || action === 'leave';
    const epoch = (state?.epoch ?? 0) + (starts ? 1 : 0);
    const info =
      action === 'leave' || action === 'role'
        ? new Uint8Array(0)
        : sealGroupInfo({ name: 'Group' }, options.key ?? newRoomKey());
    const fields: GroupRecordFields = {
      roomId,
      index: state ? state.index + 1 : 0,
      previous: state ? state.head : new Uint8Array(32),
      signerId: signer.user.id,
      epoch,
      sentAt: 1_767_225_600_000,
      action,
      entries,
      info,
      ...options.overrides,
    };
    return signGroupRecord(fields, options.signWith ?? signer.identity);
  }

  /** Another member's group (not made through the client under test), with its key of epoch 1. */
  groupBy(creator: Person, members: Person[], roomKey = newRoomKey()): string {
    const roomId = newUuid();
    this.groups.set(roomId, { records: [], state: null, keys: [], lastSeq: 0, members: [] });
    this.fileBy(roomId, creator, 'create', [joining(creator, 'admin'), ...members.map((m) => joining(m))], {
      key: roomKey,
    });
    return roomId;
  }

  /** The filed records, as they are. */
  filed(roomId: string): FiledRecord[] {
    return this.group(roomId).records;
  }

  keysOf(roomId: string, epoch: number): FiledKey[] {
    return this.group(roomId).keys.filter((key) => key.epoch === epoch);
  }

  recordsCalls(roomId: string): FakeCall[] {
    return this.http.callsTo('GET', new RegExp(`^/api/groups/${roomId}/records`));
  }

  private file(roomId: string, record: Uint8Array): GroupState {
    const group = this.group(roomId);
    group.state = applyGroupRecord(group.state, record, { roomId });
    group.records.push({ index: group.state.index, record, afterSeq: group.lastSeq });
    group.members = [...group.state.members.keys()].map((id) => this.people.get(id)!.user);
    return group.state;
  }

  /** Keys of the group's current epoch, wrapped by `wrapper` for every current member. */
  storeKeys(roomId: string, wrapper: Person, roomKey: Uint8Array): void {
    const group = this.group(roomId);
    const epoch = group.state!.epoch;
    for (const memberId of group.state!.members.keys()) {
      const box = this.people.get(memberId)!.identity.boxPublicKey;
      const context = { roomId, epoch, memberId, wrapperId: wrapper.user.id };
      const record = toBase64(wrapRoomKey(roomKey, context, wrapper.identity, box));
      group.keys.push({ epoch, wrapperId: wrapper.user.id, memberId, record });
    }
  }

  private create(call: FakeCall): FakeReply {
    this.racers.shift()?.();
    const body = call.body as { record: string; keys: { memberId: string; record: string }[] };
    const record = fromBase64(body.record);
    const roomId = decodeGroupRecord(record).roomId;
    if (this.groups.has(roomId) || this.takenAnswers-- > 0) return conflict('room_taken');
    this.groups.set(roomId, { records: [], state: null, keys: [], lastSeq: 0, members: [] });
    this.file(roomId, record);
    this.takeKeys(roomId, 1, body.keys);
    return { status: 201, body: { room: this.room(roomId) } };
  }

  private list(call: FakeCall): FakeReply {
    if (this.recordsReply) return this.recordsReply;
    const roomId = call.path.split('/')[3]!;
    const after = new URLSearchParams(call.path.split('?')[1] ?? '').get('after');
    const records = this.listing ? this.listing(roomId) : this.group(roomId).records;
    const rest = records.filter((filed) => after === null || filed.index > Number(after));
    const page = rest.slice(0, this.pageMax);
    return {
      body: {
        records: page.map((filed) => ({
          index: filed.index,
          record: toBase64(filed.record),
          afterSeq: filed.afterSeq,
        })),
        hasMore: rest.length > page.length,
      },
    };
  }

  private append(call: FakeCall): FakeReply {
    this.racers.shift()?.();
    const roomId = call.path.split('/')[3]!;
    const body = call.body as { record: string; keys?: { memberId: string; record: string }[] };
    const record = fromBase64(body.record);
    const group = this.group(roomId);
    if (decodeGroupRecord(record).index <= (group.state?.index ?? -1)) return conflict('chain_changed');
    const state = this.file(roomId, record);
    if (body.keys) this.takeKeys(roomId, state.epoch, body.keys);
    return { status: 201, body: { index: state.index, epoch: state.epoch, afterSeq: group.lastSeq } };
  }

  private finish(call: FakeCall): FakeReply {
    this.racers.shift()?.();
    const roomId = call.path.split('/')[3]!;
    const body = call.body as StartEpochBody;
    if (this.keysOf(roomId, body.epoch).length > 0) return conflict('epoch_taken');
    this.takeKeys(roomId, body.epoch, body.keys);
    return { status: 201, body: { epoch: body.epoch } };
  }

  private takeKeys(roomId: string, epoch: number, keys: { memberId: string; record: string }[]): void {
    for (const key of keys) {
      this.group(roomId).keys.push({ epoch, wrapperId: this.me.user.id, memberId: key.memberId, record: key.record });
    }
  }

  private myKeys(call: FakeCall): FakeReply {
    const roomId = call.path.split('/')[3]!;
    const keys = this.group(roomId).keys.filter((key) => key.memberId === this.me.user.id);
    return { body: { keys: keys.map(({ epoch, wrapperId, record }) => ({ epoch, wrapperId, record })) } };
  }
}
