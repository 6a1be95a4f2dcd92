// Trust in a conversation's members: every member's keys checked (and pinned on first
// sight), sending blocked while a contact's key is changed, and safety numbers. A
// group's members are the ones its verified chain has, never the server's word: only
// they are pinned, and only the chain decides whether anything may be sent there.

import type { Room, User } from '@onionchat/contract';
import { safetyNumber, type Identity, type SafetyNumber } from '@onionchat/protocol';
import { VerifyError, type KeyDirectory, type PeerTrust } from '../trust/index.js';
import { DirectMembers, membersChangedWarning } from './direct-members.js';
import { isGroup, type GroupRooms } from './group-rooms.js';
import { sayer } from '../present/phrasebook.js';
import { CONVERSATION_PHRASES } from './conversation-phrases.js';

const say = sayer(CONVERSATION_PHRASES);

export class RoomTrust {
  constructor(
    private readonly me: User,
    private readonly identity: Identity,
    private readonly directory: KeyDirectory,
    /** Shared with the room store, which keeps a refused room's first members. */
    private readonly members: DirectMembers,
    private readonly groups: Pick<GroupRooms, 'checkable' | 'sendBlock' | 'signKeyOf'>,
  ) {}

  /**
   * Checks (and pins, on first sight) every other member's keys, so a changed key
   * blocks sending at once. False for a direct room whose members the server changed:
   * nothing of that listing is used, not even to pin whoever was put in. In a group,
   * only the members of its verified chain are checked (pinning someone the server
   * slipped in would vouch for them).
   */
  checkMembers(room: Room): boolean {
    if (this.members.note(room)) return false;
    for (const member of this.groups.checkable(room)) {
      if (member.id === this.me.id) continue;
      try {
        // In a group, keys that are not the chain's are shown as such and never pinned.
        this.directory.learn(
          member,
          isGroup(room) ? (this.groups.signKeyOf(room.id, member.id) ?? undefined) : undefined,
        );
      } catch {
        // Recorded in the directory; shown as the room's trust state.
      }
    }
    return true;
  }

  /** The warning for a direct room whose members the server changed, or null. */
  membersWarning(roomId: string): string | null {
    return this.members.changed(roomId) ? membersChangedWarning() : null;
  }

  /** How far a member's keys are trusted (null until they were checked). */
  peer(userId: string): PeerTrust | null {
    return this.directory.trust(userId);
  }

  /** Why nothing may be sent to `room` now, or null. */
  sendBlock(room: Room): string | null {
    if (isGroup(room)) return this.groups.sendBlock(room.id);
    const changed = this.membersWarning(room.id);
    if (changed) return changed;
    for (const member of room.members) {
      if (member.id === this.me.id) continue;
      const state = this.directory.trust(member.id)?.state;
      if (state === 'changed' || state === 'changed-verified') {
        return say('conversation.trust.safetyNumberChanged', { name: member.username });
      }
      if (state === 'invalid') return say('conversation.trust.keysInvalid', { name: member.username });
    }
    return null;
  }

  /** The safety number of this account and a contact, for the keys presented now. */
  safetyNumberWith(userId: string): Promise<SafetyNumber> {
    const trust = this.directory.trust(userId);
    if (!trust?.presented) return Promise.reject(new VerifyError(say('conversation.trust.noValidKeys')));
    return safetyNumber(
      { userId: this.me.id, username: this.me.username, signPublicKey: this.identity.signPublicKey },
      { userId, username: trust.username, signPublicKey: trust.presented.signPublicKey },
    );
  }
}
