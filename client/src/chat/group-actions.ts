// What a person does with groups: make one with some of their contacts, add and remove
// members, leave, make someone an admin (or not), rename. Each change is made on the
// chain this client verified (GroupChanges), shown at once, and refused with a sentence
// the person understands when it cannot be made.

import type { FriendsList, PublicUser } from '@onionchat/contract';
import type { GroupInfo } from '@onionchat/protocol';
import { describeError } from '../describe-error.js';
import type { GroupChains } from '../groups/group-chains.js';
import { GroupChangeError } from '../groups/group-change-error.js';
import type { GroupChanges } from '../groups/group-changes.js';
import { GROUP_PHRASES } from '../groups/group-phrases.js';
import { sayer } from '../present/phrasebook.js';
import type { RoomStore } from './room-store.js';
import type { RoomSync } from './sync.js';

const say = sayer(GROUP_PHRASES);

export interface NewGroupInput {
  name: string;
  /** A data: URL (PNG or JPEG, at most GROUP_PICTURE_MAX_CHARS). */
  picture?: string;
  /** The first members besides this account: ids of its contacts. */
  memberIds: readonly string[];
}

export interface GroupActionParts {
  changes: Pick<GroupChanges, 'create' | 'add' | 'remove' | 'leave' | 'setRole' | 'rename'>;
  chains: Pick<GroupChains, 'isGone'>;
  store: Pick<RoomStore, 'remove'>;
  /** The friends lists as last loaded (null: not yet). */
  friends: () => FriendsList | null;
  sync: Pick<RoomSync, 'refreshAfterChange'>;
}

export class GroupActions {
  constructor(private readonly parts: GroupActionParts) {}

  /** Makes the group, listed at once; returns its room id. */
  async create(input: NewGroupInput): Promise<string> {
    const room = await sentence(() =>
      this.parts.changes.create({ name: input.name, picture: input.picture, members: this.contacts(input.memberIds) }),
    );
    await this.parts.sync.refreshAfterChange();
    return room.id;
  }

  add(roomId: string, userIds: readonly string[]): Promise<void> {
    return this.change(() => this.parts.changes.add(roomId, this.contacts(userIds)));
  }

  remove(roomId: string, userIds: readonly string[]): Promise<void> {
    return this.change(() => this.parts.changes.remove(roomId, userIds));
  }

  /**
   * Leaves the group and drops its conversation (the server answers as to a stranger
   * from then on). A group this account was removed from is only dropped.
   */
  async leave(roomId: string): Promise<void> {
    if (!this.parts.chains.isGone(roomId)) await sentence(() => this.parts.changes.leave(roomId));
    this.parts.store.remove(roomId);
  }

  setRole(roomId: string, userId: string, role: 'member' | 'admin'): Promise<void> {
    return this.change(() => this.parts.changes.setRole(roomId, userId, role));
  }

  rename(roomId: string, info: GroupInfo): Promise<void> {
    return this.change(() => this.parts.changes.rename(roomId, info));
  }

  private async change(task: () => Promise<void>): Promise<void> {
    await sentence(task);
    await this.parts.sync.refreshAfterChange();
  }

  /** The contacts' records (their keys are checked against their pins before anything is signed). */
  private contacts(userIds: readonly string[]): PublicUser[] {
    const friends = this.parts.friends();
    if (!friends) throw new GroupChangeError(say('groups.refusal.contactsNotLoaded'));
    return userIds.map((userId) => {
      const friend = friends.friends.find((candidate) => candidate.user.id === userId);
      if (!friend) throw new GroupChangeError(say('groups.refusal.onlyContacts'));
      return friend.user;
    });
  }
}

/** Runs a change; whatever stops it becomes a GroupChangeError with a sentence for the person. */
async function sentence<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof GroupChangeError) throw error;
    throw new GroupChangeError(describeError(error));
  }
}
