// The changes a member makes to a group (PROTOCOL.md §19): each is the next signed
// record built on the state this client verified, checked by the chain's own rules
// before it is posted, and posted with the new epoch's key wrapped for exactly the
// members after it, so whoever leaves or is removed cannot read on and whoever joins
// cannot read back. Keys and records never leave memory except as posted.

import type { PublicUser, Room } from '@onionchat/contract';
import {
  GROUP_RECORD_DIGEST_BYTES,
  ProtocolError,
  applyGroupRecordAsync,
  groupMembersAtEpoch,
  newRoomKey,
  newUuid,
  sealGroupInfo,
  signGroupRecordAsync,
  toBase64,
  type GroupAction,
  type GroupEntry,
  type GroupInfo,
  type GroupRecordFields,
  type GroupState,
  type Identity,
} from '@onionchat/protocol';
import { ApiError } from '../transport/api-error.js';
import type { Api } from '../transport/api.js';
import type { KeyDirectory } from '../trust/key-directory.js';
import { sayer } from '../present/phrasebook.js';
import type { RoomKeyring } from '../trust/room-keyring.js';
import { VerifyError } from '../trust/verify-error.js';
import { GroupChangeError } from './group-change-error.js';
import { startsEpoch } from './group-change.js';
import { chainReason, type GroupChains } from './group-chains.js';
import { readGroupInfo } from './group-info.js';
import { GROUP_PHRASES } from './group-phrases.js';
import { checkedMemberKeys, trustedKeys, wrapForMembers, type WrappedKeys } from './group-member-keys.js';
import {
  requireAdmin,
  requireJoinable,
  requireLeavable,
  requireRemovable,
  requireRoleChange,
} from './group-refusals.js';

const NO_KEY = new Uint8Array(32);

const say = sayer(GROUP_PHRASES);

export interface GroupChangesParts {
  api: Pick<Api, 'createGroup' | 'appendGroupRecord' | 'startEpoch'>;
  meId: string;
  identity: Identity;
  directory: Pick<KeyDirectory, 'prepare' | 'learn'>;
  keyring: Pick<RoomKeyring, 'get' | 'put'>;
  chains: Pick<GroupChains, 'stateOf' | 'sync' | 'adopt' | 'sendBlock' | 'maxMembers'>;
  /** The group as the server lists it now: its members' public keys, checked against the chain before use. */
  room: (roomId: string) => Room | null;
  /** Whether a user is this account's contact: only contacts can join through this account. */
  isContact: (userId: string) => boolean;
  now?: () => number;
}

export interface NewGroup {
  name: string;
  picture?: string;
  /** The first members besides this account (its contacts). */
  members: readonly PublicUser[];
}

/** What finishEpoch did: posted the epoch's keys, found another member first, or had nothing to do. */
export type FinishOutcome = { kind: 'posted' } | { kind: 'taken' } | { kind: 'not-needed' };

/** A change before it is signed: what the action's table row carries. */
interface Draft {
  action: GroupAction;
  entries: GroupEntry[];
  /** The info to seal: under the new key for add and remove, the current one for rename; null: none. */
  info: GroupInfo | null;
  /** People joining, whose keys the server does not list with the group yet. */
  joining: readonly PublicUser[];
}

export class GroupChanges {
  constructor(private readonly parts: GroupChangesParts) {}

  /**
   * Makes a group of this account (its admin) and `members`; returns the room as the
   * server lists it. An id the server says is taken (a collision of random ids, so
   * most likely the server's doing) is drawn again once, then given up on.
   */
  async create(group: NewGroup): Promise<Room> {
    const members = group.members.filter((user) => user.id !== this.parts.meId);
    requireJoinable(null, members, this.parts.isContact, this.parts.chains.maxMembers);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.createOnce(group, members);
      } catch (error) {
        if (attempt > 1 || !(error instanceof ApiError && error.code === 'room_taken')) throw error;
      }
    }
  }

  private async createOnce(group: NewGroup, members: readonly PublicUser[]): Promise<Room> {
    const roomId = newUuid();
    const roomKey = newRoomKey();
    let record: Uint8Array;
    let wrapped: WrappedKeys;
    let room: Room;
    try {
      const entries = [this.myEntry(), ...(await this.entriesFor(members))];
      const info = sealInfo({ name: group.name, picture: group.picture }, roomKey);
      record = await this.sign(null, roomId, 'create', entries, info);
      const state = await this.check(null, roomId, record);
      wrapped = await this.wrap(state, members, roomKey);
      ({ room } = await this.parts.api.createGroup({ record: toBase64(record), keys: wrapped.keys }));
    } catch (error) {
      roomKey.fill(0);
      throw error;
    }
    // Kept under the id this client drew and signed, whatever the answer says.
    this.parts.keyring.put(roomId, 1, roomKey, wrapped.hybrid);
    await this.parts.chains.adopt(roomId, record, room.lastSeq);
    return room;
  }

  /** Adds contacts as members; a new key goes to everyone in the group after it. */
  add(roomId: string, users: readonly PublicUser[]): Promise<void> {
    return this.change(roomId, async (state, room) => {
      requireAdmin(state, this.parts.meId, 'add');
      if (users.length === 0) throw new GroupChangeError(say('groups.refusal.chooseToAdd'));
      requireJoinable(state, users, this.parts.isContact, this.parts.chains.maxMembers);
      const entries = await this.entriesFor(users);
      return { action: 'add', entries, info: await this.currentInfo(state, room), joining: users };
    });
  }

  /** Removes members; a new key goes to everyone who stays, none to those removed. */
  remove(roomId: string, userIds: readonly string[]): Promise<void> {
    return this.change(roomId, async (state, room) => {
      requireAdmin(state, this.parts.meId, 'remove');
      requireRemovable(state, userIds, this.parts.meId, nameIn(room));
      const entries = userIds.map((userId): GroupEntry => ({ userId, role: 'none', signPublicKey: NO_KEY }));
      return { action: 'remove', entries, info: await this.currentInfo(state, room), joining: [] };
    });
  }

  /** Leaves the group. The leaver must not know the next key: one who stays posts it (finishEpoch). */
  leave(roomId: string): Promise<void> {
    return this.change(roomId, async (state) => {
      requireLeavable(state, this.parts.meId);
      return { action: 'leave', entries: [], info: null, joining: [] };
    });
  }

  setRole(roomId: string, userId: string, role: 'member' | 'admin'): Promise<void> {
    return this.change(roomId, async (state, room) => {
      requireAdmin(state, this.parts.meId, 'role');
      requireRoleChange(state, userId, role, this.parts.meId, nameIn(room));
      return { action: 'role', entries: [{ userId, role, signPublicKey: NO_KEY }], info: null, joining: [] };
    });
  }

  /** A new name (and picture), sealed under the current epoch's key. */
  rename(roomId: string, info: GroupInfo): Promise<void> {
    return this.change(roomId, async (state) => {
      requireAdmin(state, this.parts.meId, 'rename');
      // Refuses a name the readers would refuse before any key is fetched (a throwaway key).
      sealInfo(info, new Uint8Array(32));
      return { action: 'rename', entries: [], info, joining: [] };
    });
  }

  /**
   * Posts the current epoch's key when nobody has (after a leave, or a signer who
   * dropped before posting it): a fresh key for exactly the members who started the
   * epoch. Another member's set taken first (409) is read instead.
   */
  async finishEpoch(roomId: string): Promise<FinishOutcome> {
    const ready = await this.readyOrNull(roomId);
    if (!ready || (await this.holdsKey(ready.room, ready.state.epoch))) return { kind: 'not-needed' };
    const { state, room } = ready;
    const roomKey = newRoomKey();
    let wrapped: WrappedKeys;
    try {
      const memberIds = groupMembersAtEpoch(state, state.epoch) ?? [];
      const keys = await checkedMemberKeys(this.parts, state, memberIds, room.members);
      wrapped = await wrapForMembers(this.parts, roomKey, roomId, state.epoch, keys);
      await this.parts.api.startEpoch(roomId, { epoch: state.epoch, keys: wrapped.keys });
    } catch (error) {
      roomKey.fill(0);
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      await this.parts.keyring.get(room, state.epoch);
      return { kind: 'taken' };
    }
    this.parts.keyring.put(roomId, state.epoch, roomKey, wrapped.hybrid);
    return { kind: 'posted' };
  }

  /** Plans, signs and posts a change on the verified state; a 409 chain_changed re-syncs and tries once more. */
  private async change(roomId: string, plan: (state: GroupState, room: Room) => Promise<Draft>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { state, room } = await this.ready(roomId);
      try {
        return await this.post(state, room, await plan(state, room));
      } catch (error) {
        if (attempt > 1 || !(error instanceof ApiError && error.code === 'chain_changed')) throw error;
        await this.parts.chains.sync(roomId);
      }
    }
  }

  private async post(state: GroupState, room: Room, draft: Draft): Promise<void> {
    const fresh = draft.action === 'add' || draft.action === 'remove' ? newRoomKey() : null;
    let record: Uint8Array;
    let wrapped: WrappedKeys | null = null;
    let afterSeq: number;
    try {
      const info = await this.infoBytes(state, room, draft.info, fresh);
      record = await this.sign(state, room.id, draft.action, draft.entries, info);
      const next = await this.check(state, room.id, record);
      if (fresh) wrapped = await this.wrap(next, [...room.members, ...draft.joining], fresh);
      const body = { record: toBase64(record), ...(wrapped ? { keys: wrapped.keys } : {}) };
      ({ afterSeq } = await this.parts.api.appendGroupRecord(room.id, body));
    } catch (error) {
      fresh?.fill(0);
      throw error;
    }
    if (fresh) this.parts.keyring.put(room.id, state.epoch + 1, fresh, wrapped!.hybrid);
    await this.parts.chains.adopt(room.id, record, afterSeq);
  }

  /** The next record's fields on `state` (null: the first record), signed by this account. */
  private sign(
    state: GroupState | null,
    roomId: string,
    action: GroupAction,
    entries: GroupEntry[],
    info: Uint8Array,
  ): Promise<Uint8Array> {
    const fields: GroupRecordFields = {
      roomId,
      index: state ? state.index + 1 : 0,
      previous: state ? state.head : new Uint8Array(GROUP_RECORD_DIGEST_BYTES),
      signerId: this.parts.meId,
      epoch: (state?.epoch ?? 0) + (startsEpoch(action) ? 1 : 0),
      sentAt: (this.parts.now ?? Date.now)(),
      action,
      entries,
      info,
    };
    return signGroupRecordAsync(fields, this.parts.identity);
  }

  /** The chain's own rules over the record: what readers would refuse is never posted. */
  private async check(state: GroupState | null, roomId: string, record: Uint8Array): Promise<GroupState> {
    try {
      return await applyGroupRecordAsync(state, record, { roomId, maxMembers: this.parts.chains.maxMembers });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      throw new GroupChangeError(say('groups.failure.wouldNotCheckOut', { reason: chainReason(error) }));
    }
  }

  /** The new key wrapped for exactly every member of `next`, their keys checked against it. */
  private async wrap(next: GroupState, users: readonly PublicUser[], roomKey: Uint8Array): Promise<WrappedKeys> {
    const keys = await checkedMemberKeys(this.parts, next, next.members.keys(), users);
    return wrapForMembers(this.parts, roomKey, next.roomId, next.epoch, keys);
  }

  /** Entries for people joining as members, with the signing keys the directory trusts. */
  private async entriesFor(users: readonly PublicUser[]): Promise<GroupEntry[]> {
    await this.parts.directory.prepare(users);
    return users.map((user) => ({
      userId: user.id,
      role: 'member',
      signPublicKey: trustedKeys(this.parts.directory, user).signPublicKey,
    }));
  }

  private myEntry(): GroupEntry {
    return { userId: this.parts.meId, role: 'admin', signPublicKey: this.parts.identity.signPublicKey };
  }

  /** The sealed info a record carries: under the new key (add, remove), the current one (rename), or none. */
  private async infoBytes(
    state: GroupState,
    room: Room,
    info: GroupInfo | null,
    fresh: Uint8Array | null,
  ): Promise<Uint8Array> {
    if (!info) return new Uint8Array(0);
    return sealInfo(info, fresh ?? (await this.keyOf(room, state.epoch)));
  }

  /** The group's name and picture as they are, to be carried under the new key. */
  private async currentInfo(state: GroupState, room: Room): Promise<GroupInfo> {
    const read = await readGroupInfo(state, (epoch) => this.keyOf(room, epoch));
    if (read.kind !== 'open') {
      throw new GroupChangeError(say('groups.failure.nameNotCarried'));
    }
    return read.info;
  }

  private async keyOf(room: Room, epoch: number): Promise<Uint8Array> {
    try {
      return await this.parts.keyring.get(room, epoch);
    } catch (error) {
      if (!(error instanceof VerifyError)) throw error;
      throw new GroupChangeError(say('groups.failure.keyUnusable', { reason: error.message }));
    }
  }

  /** Whether this account holds the epoch's key (network failures pass on). */
  private async holdsKey(room: Room, epoch: number): Promise<boolean> {
    try {
      await this.parts.keyring.get(room, epoch);
      return true;
    } catch (error) {
      if (error instanceof VerifyError) return false;
      throw error;
    }
  }

  /** The verified state (synced first when there is none) and the room; refuses what sendBlock refuses. */
  private async ready(roomId: string): Promise<{ state: GroupState; room: Room }> {
    if (!this.parts.chains.stateOf(roomId)) await this.parts.chains.sync(roomId);
    const block = this.parts.chains.sendBlock(roomId, this.parts.meId);
    if (block) throw new GroupChangeError(block);
    const room = this.parts.room(roomId);
    if (!room) throw new GroupChangeError(say('groups.refusal.notListed'));
    return { state: this.parts.chains.stateOf(roomId)!, room };
  }

  /** Like ready, but null where there is nothing this account may do. */
  private async readyOrNull(roomId: string): Promise<{ state: GroupState; room: Room } | null> {
    try {
      return await this.ready(roomId);
    } catch (error) {
      if (error instanceof GroupChangeError) return null;
      throw error;
    }
  }
}

/** Seals the info, refusing a name or picture the readers would refuse. */
function sealInfo(info: GroupInfo, roomKey: Uint8Array): Uint8Array {
  try {
    return sealGroupInfo(stripUndefined(info), roomKey);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    const reason = error.message.replace(/^The group info is invalid: /, '');
    throw new GroupChangeError(reason.charAt(0).toUpperCase() + reason.slice(1));
  }
}

/** { name, picture: undefined } is { name }. */
function stripUndefined(info: GroupInfo): GroupInfo {
  return info.picture === undefined ? { name: info.name } : { name: info.name, picture: info.picture };
}

/** Names of the group's members as the server lists them (for refusals), else the id. */
function nameIn(room: Room): (userId: string) => string {
  return (userId) => room.members.find((member) => member.id === userId)?.username ?? userId;
}
