// Trust in a conversation's members: every member's keys checked (and pinned on first
// sight), sending blocked while a contact's key is changed, and safety numbers.

import type { Room, User } from '@onionchat/contract';
import { safetyNumber, type Identity, type SafetyNumber } from '@onionchat/protocol';
import { VerifyError, type KeyDirectory, type PeerTrust } from '../trust/index.js';

export class RoomTrust {
  constructor(
    private readonly me: User,
    private readonly identity: Identity,
    private readonly directory: KeyDirectory,
  ) {}

  /** Checks (and pins, on first sight) every other member's keys, so a changed key blocks sending at once. */
  checkMembers(room: Room): void {
    for (const member of room.members) {
      if (member.id === this.me.id) continue;
      try {
        this.directory.learn(member);
      } catch {
        // Recorded in the directory; shown as the room's trust state.
      }
    }
  }

  /** How far a member's keys are trusted (null until they were checked). */
  peer(userId: string): PeerTrust | null {
    return this.directory.trust(userId);
  }

  /** Why nothing may be sent to `room` now, or null. */
  sendBlock(room: Room): string | null {
    for (const member of room.members) {
      if (member.id === this.me.id) continue;
      const state = this.directory.trust(member.id)?.state;
      if (state === 'changed' || state === 'changed-verified') {
        return `${member.username}'s safety number changed. Review it before sending anything more.`;
      }
      if (state === 'invalid') return `${member.username}'s keys do not check out, so nothing can be sent to them.`;
    }
    return null;
  }

  /** The safety number of this account and a contact, for the keys presented now. */
  safetyNumberWith(userId: string): Promise<SafetyNumber> {
    const trust = this.directory.trust(userId);
    if (!trust?.presented) return Promise.reject(new VerifyError('there are no valid keys for this person'));
    return safetyNumber(
      { userId: this.me.id, username: this.me.username, signPublicKey: this.identity.signPublicKey },
      { userId, username: trust.username, signPublicKey: trust.presented.signPublicKey },
    );
  }
}
