// Groups: rooms whose members change only through records their members sign
// (PROTOCOL.md section 19). The server cannot forge a change, but it is the one that
// files them: it takes a record only when it continues the chain under the protocol's
// rules, puts only the caller's friends in, with the keys they publish, and moves the
// room's members, epoch and keys in the same transaction as the record.
import { Inject, Injectable } from '@nestjs/common';
import type { Answer } from '@onionchat/contract';
import {
  ProtocolError,
  applyGroupRecordAsync,
  decodeGroupRecord,
  toBase64,
  type DecodedGroupRecord,
  type GroupState,
} from '@onionchat/protocol';
import { CONFIG, type Config } from '../config/config.js';
import type { Actor } from '../access/actor.js';
import { AccessPolicy } from '../access/access.policy.js';
import { badRequest, conflict } from '../common/api-error.js';
import { RateLimiter } from '../common/rate-limiter.js';
import { Transactions } from '../db/transactions.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { RealtimeService } from '../realtime/realtime.service.js';
import { roomView } from '../rooms/room.view.js';
import { FIRST_EPOCH, RoomsRepository, type WrappedKey } from '../rooms/rooms.repository.js';
import { checkWrappedKeys } from '../rooms/wrapped-keys.js';
import { UsersRepository } from '../users/users.repository.js';
import { GroupRecordsRepository, type FiledRecord } from './group-records.repository.js';
import { chainChanged, groupFull, recordRefusal, sizeAfter, wrongSigner } from './group-refusals.js';
import { GroupStates } from './group-states.js';
import type { AppendRecordBody, CreateGroupBody, RecordsQuery } from './groups.schemas.js';
import { checkPublishedKeys } from './published-keys.js';

@Injectable()
export class GroupsService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly access: AccessPolicy,
    private readonly limiter: RateLimiter,
    private readonly users: UsersRepository,
    private readonly rooms: RoomsRepository,
    private readonly groups: GroupRecordsRepository,
    private readonly states: GroupStates,
    private readonly transactions: Transactions,
    private readonly realtime: RealtimeService,
  ) {}

  /**
   * A new group from its create record and epoch 1's keys. Decoding reads nothing
   * stored; the first check that does is the access policy's (everyone in it is a friend).
   */
  async create(actor: Actor, body: CreateGroupBody): Promise<Answer<'createGroup'>> {
    const record = decode(body.record, actor);
    const memberIds = record.entries.map((entry) => entry.userId);
    await this.access.requireGroupInvitees(actor, memberIds);
    // Filed under the messages budget: a group change stores data in a room like a message does.
    await this.limiter.consume('messages', actor.userId);
    const roomId = record.roomId;
    const state = await this.check(null, body.record, record, roomId);
    await checkPublishedKeys(record.entries, await this.users.findPublic(memberIds));
    checkWrappedKeys(body.keys, { roomId, epoch: FIRST_EPOCH, wrapperId: actor.userId, memberIds }, 'keys');
    const filed = filedRecord(record, body.record);
    try {
      await this.transactions.run((tx) =>
        this.groups.create({ roomId, creatorId: actor.userId, memberIds, keys: body.keys, record: filed }, tx),
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw conflict('room_taken', 'A conversation with this id exists already. Make the group again with a new id.');
    }
    this.states.remember(state);
    this.realtime.toUsers(memberIds, 'group:changed', { roomId, index: 0 });
    const room = await this.rooms.findWithMembers(roomId);
    return { room: roomView(room!, actor.userId, 0) };
  }

  async records(actor: Actor, roomId: string, query: RecordsQuery): Promise<Answer<'groupRecords'>> {
    await this.access.requireGroupMember(actor, roomId);
    const limit = this.config.GROUP_RECORDS_PAGE_MAX;
    const rows = await this.groups.page(roomId, query.after ?? null, limit + 1);
    return {
      records: rows
        .slice(0, limit)
        .map((row) => ({ index: row.index, record: toBase64(row.record), afterSeq: Number(row.afterSeq) })),
      hasMore: rows.length > limit,
    };
  }

  /**
   * The group's next record. In one transaction, under the room's lock (so no message
   * is numbered in between): the record, filed after the room's last message; who joins
   * or goes; the room's new epoch; that epoch's keys.
   */
  async append(actor: Actor, roomId: string, body: AppendRecordBody): Promise<Answer<'appendGroupRecord'>> {
    await this.access.requireGroupMember(actor, roomId);
    await this.limiter.consume('messages', actor.userId);
    const record = decode(body.record, actor);
    const before = await this.states.current(roomId);
    if (record.roomId === roomId && record.index <= before.index) throw chainChanged(record.index);
    const after = await this.check(before, body.record, record, roomId);
    const joining = record.action === 'add' ? record.entries.map((entry) => entry.userId) : [];
    if (joining.length > 0) {
      await this.access.requireGroupInvitees(actor, joining);
      await checkPublishedKeys(record.entries, await this.users.findPublic(joining));
    }
    const keys = checkNewEpochKeys(record, after, actor, body.keys);
    const leaving = [...before.members.keys()].filter((id) => !after.members.has(id));
    const afterSeq = await this.file(roomId, before.index, filedRecord(record, body.record), {
      joining,
      leaving,
      keys,
    });
    this.states.remember(after);
    const told = new Set([...before.members.keys(), ...after.members.keys()]);
    this.realtime.toUsers([...told], 'group:changed', { roomId, index: record.index });
    return { index: record.index, epoch: record.epoch, afterSeq: Number(afterSeq) };
  }

  private async file(
    roomId: string,
    lastIndex: number,
    record: FiledRecord,
    change: { joining: string[]; leaving: string[]; keys: WrappedKey[] },
  ): Promise<bigint> {
    try {
      return await this.transactions.run(async (tx) => {
        const room = await this.rooms.lock(roomId, tx);
        if (!room || (await this.groups.lastIndex(roomId, tx)) !== lastIndex) throw chainChanged(record.index);
        await this.groups.file(roomId, record, room.lastSeq, tx);
        if (change.joining.length > 0) await this.groups.addMembers(roomId, change.joining, room.lastSeq, tx);
        if (change.leaving.length > 0) await this.groups.removeMembers(roomId, change.leaving, tx);
        if (change.keys.length > 0) await this.rooms.fileKeys(roomId, record.epoch, record.signerId, change.keys, tx);
        return room.lastSeq;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw chainChanged(record.index);
      throw err;
    }
  }

  /** The state after `record` under the protocol's rules and this server's member limit. */
  private async check(
    state: GroupState | null,
    bytes: Uint8Array,
    record: DecodedGroupRecord,
    roomId: string,
  ): Promise<GroupState> {
    const limit = this.config.GROUP_MAX_MEMBERS;
    try {
      return await applyGroupRecordAsync(state, bytes, { roomId, maxMembers: limit });
    } catch (err) {
      const size = sizeAfter(state?.members.size ?? 0, record);
      if (err instanceof ProtocolError && err.code === 'bad-room' && size > limit) throw groupFull(limit, size);
      throw recordRefusal(err);
    }
  }
}

/** The record's fields, checked for form only; it must name the caller as its signer. */
function decode(bytes: Uint8Array, actor: Actor): DecodedGroupRecord {
  let record: DecodedGroupRecord;
  try {
    record = decodeGroupRecord(bytes);
  } catch (err) {
    throw recordRefusal(err);
  }
  if (record.signerId !== actor.userId) throw wrongSigner();
  return record;
}

function filedRecord(record: DecodedGroupRecord, bytes: Uint8Array): FiledRecord {
  return { index: record.index, record: bytes, signerId: record.signerId, action: record.action, epoch: record.epoch };
}

/**
 * An add or a remove starts an epoch whose key the signer wraps for exactly the members
 * after it; a leave, a role change and a rename carry none (after a leave, a member who
 * stays posts the next key through POST /api/rooms/:id/keys).
 */
function checkNewEpochKeys(
  record: DecodedGroupRecord,
  after: GroupState,
  actor: Actor,
  keys: WrappedKey[] | undefined,
): WrappedKey[] {
  if (record.action !== 'add' && record.action !== 'remove') {
    if (keys?.length) {
      throw badRequest(`keys: a ${record.action} record carries no keys.`, 'invalid_record');
    }
    return [];
  }
  if (!keys?.length) {
    throw badRequest(
      `keys: an ${record.action} record must carry the room key of epoch ${record.epoch}, wrapped for every member of the group after it.`,
      'invalid_record',
    );
  }
  const memberIds = [...after.members.keys()];
  checkWrappedKeys(keys, { roomId: record.roomId, epoch: record.epoch, wrapperId: actor.userId, memberIds }, 'keys');
  return keys;
}
