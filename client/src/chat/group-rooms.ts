// The session's groups, as the chat's parts need them: the verified chains judge a
// group's messages (GroupJudge), say who may be pinned and whether anything may be sent,
// give the epoch a message is sealed under, and make the group's part of the view.

import type { PublicUser, Room, ServerMessage } from '@onionchat/contract';
import { groupMembersAtEpoch, type GroupState } from '@onionchat/protocol';
import type { GroupChains } from '../groups/group-chains.js';
import type { GroupChange } from '../groups/group-change.js';
import type { GroupChanges } from '../groups/group-changes.js';
import type { KeyDirectory } from '../trust/key-directory.js';
import { groupNotVerified, type RoomKeyring } from '../trust/room-keyring.js';
import { VerifyError } from '../trust/verify-error.js';
import { withDeliveryCounts } from './delivery-counts.js';
import { GROUP_ROOM_KIND, type GroupJudge } from './group-open.js';
import { GroupNames } from './group-names.js';
import { GroupRecheck } from './group-recheck.js';
import { noticeItem, withNotices } from './group-timeline.js';
import { groupView, type GroupView } from './group-view.js';
import type { ChatItem } from './items.js';
import type { RoomStore } from './room-store.js';
import type { UserNames } from './user-names.js';

export function isGroup(room: Pick<Room, 'kind'>): boolean {
  return room.kind === GROUP_ROOM_KIND;
}

export interface GroupRoomsParts {
  meId: string;
  chains: GroupChains;
  changes: Pick<GroupChanges, 'finishEpoch'>;
  keyring: Pick<RoomKeyring, 'get' | 'peek'>;
  directory: Pick<KeyDirectory, 'trust'>;
  store: RoomStore;
  names: UserNames;
  isContact: (userId: string) => boolean;
  /** Opens stored messages again, each in its old item's place (RoomHistory.reopen). */
  reopen: (roomId: string, messages: readonly ServerMessage[]) => Promise<void>;
}

export class GroupRooms implements GroupJudge {
  readonly infos: GroupNames;
  readonly recheck: GroupRecheck;

  constructor(private readonly parts: GroupRoomsParts) {
    this.infos = new GroupNames(parts.keyring, (roomId) => parts.store.invalidate(roomId));
    this.recheck = new GroupRecheck({ store: parts.store, chains: parts.chains, reopen: parts.reopen });
  }

  // ---------------------------------------------------------------- judging messages

  async stateFor(roomId: string, epoch: number): Promise<GroupState | null> {
    const { chains } = this.parts;
    const state = chains.stateOf(roomId);
    if (state && groupMembersAtEpoch(state, epoch) !== null) return state;
    // A message under a change announced but not verified yet (it raced the chain): fetch the chain first.
    await chains.sync(roomId);
    return chains.stateOf(roomId);
  }

  epochEndedAt(roomId: string, epoch: number): number | null {
    return this.parts.chains.epochEndedAt(roomId, epoch);
  }

  signKeyOf(roomId: string, userId: string): Uint8Array | null {
    return this.parts.chains.signKeyOf(roomId, userId);
  }

  waitForChain(message: ServerMessage): void {
    this.recheck.waitForChain(message);
  }

  // ---------------------------------------------------------------- members and sending

  /** The listed members whose keys may be checked and pinned: of a group, only those its verified chain has. */
  checkable(room: Room): readonly PublicUser[] {
    if (!isGroup(room)) return room.members;
    const state = this.parts.chains.stateOf(room.id);
    return room.members.filter((member) => state?.members.has(member.id) ?? false);
  }

  sendBlock(roomId: string): string | null {
    return this.parts.chains.sendBlock(roomId, this.parts.meId);
  }

  /** The epoch a message to `room` is sealed under now: a group's verified one, never the server's. */
  currentEpoch(room: Room): number {
    return isGroup(room) ? (this.parts.chains.stateOf(room.id)?.epoch ?? room.epoch) : room.epoch;
  }

  /**
   * The epoch to seal under once its key is held: in a group whose epoch nobody has
   * posted a key for yet (after a leave), this member posts one first.
   */
  async sealEpoch(room: Room): Promise<number> {
    if (!isGroup(room)) return room.epoch;
    const state = this.parts.chains.stateOf(room.id);
    if (!state) throw new VerifyError(groupNotVerified());
    if (!this.parts.keyring.peek(room.id, state.epoch)) await this.holdKey(room, state.epoch);
    return state.epoch;
  }

  private async holdKey(room: Room, epoch: number): Promise<void> {
    try {
      await this.parts.keyring.get(room, epoch);
    } catch (error) {
      if (!(error instanceof VerifyError)) throw error;
      await this.parts.changes.finishEpoch(room.id);
    }
  }

  // ---------------------------------------------------------------- views

  view(roomId: string): GroupView {
    const { meId, chains, names, directory, isContact } = this.parts;
    return groupView(chains.view(roomId), this.infos.current(roomId), {
      meId,
      nameOf: names.nameOf,
      trust: (userId) => directory.trust(userId),
      isContact,
    });
  }

  /** The messages, this account's with how many they reached, and the group's membership notices among them. */
  items(room: Room, messages: readonly ChatItem[], shownFrom: number | null): readonly ChatItem[] {
    const { meId, chains, names } = this.parts;
    const notice = (change: GroupChange) => noticeItem(room.id, change, meId, names.nameOf);
    const counted = withDeliveryCounts(messages, chains.stateOf(room.id), room.delivered, meId);
    return withNotices(counted, chains.view(room.id).changes, shownFrom, notice);
  }

  nameOf = (userId: string): string => this.parts.names.nameOf(userId);

  /** A group is gone from this session (left, or dropped): what was kept for it goes. */
  forget(roomId: string): void {
    this.parts.chains.forget(roomId);
    this.infos.forget(roomId);
    this.recheck.forget(roomId);
  }
}
