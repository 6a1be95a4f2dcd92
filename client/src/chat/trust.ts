// Trust in the conversation: every member's keys checked (and pinned on first
// sight), sending blocked while a contact's key is changed, and what the person
// decides after comparing safety numbers.

import { safetyNumber, type SafetyNumber } from '@onionchat/protocol';
import type { Room } from '../api';
import { VerifyError } from '../keys';
import type { ChatCore } from './core';
import type { RoomHistory } from './history';

export class ChatTrust {
  constructor(
    private readonly core: ChatCore,
    private readonly history: RoomHistory,
    private readonly scheduleSync: () => void,
  ) {}

  /** Checks (and pins, on first sight) every other member's keys, so a changed key blocks sending at once. */
  checkMembers(room: Room): void {
    for (const member of room.members) {
      if (member.id === this.core.me.id) continue;
      try {
        this.core.directory.learn(member);
      } catch {
        // Recorded in the directory; shown as the room's trust state.
      }
    }
  }

  /** Why nothing may be sent to `room` now, or null. */
  sendBlock(room: Room): string | null {
    for (const member of room.members) {
      if (member.id === this.core.me.id) continue;
      const state = this.core.directory.trust(member.id)?.state;
      if (state === 'changed' || state === 'changed-verified') {
        return `${member.username}'s safety number changed. Review it before sending anything more.`;
      }
      if (state === 'invalid') return `${member.username}'s keys do not check out, so nothing can be sent to them.`;
    }
    return null;
  }

  /** The safety number of this account and a contact, for the keys presented now. */
  safetyNumberWith(userId: string): Promise<SafetyNumber> {
    const trust = this.core.directory.trust(userId);
    if (!trust?.presented) return Promise.reject(new VerifyError('there are no valid keys for this person'));
    return safetyNumber(
      { username: this.core.me.username, signPublicKey: this.core.identity.signPublicKey },
      { username: trust.username, signPublicKey: trust.presented.signPublicKey },
    );
  }

  /**
   * The person compared the safety number (verified) or accepts the key as it is
   * now: it is pinned, saved to the account, the contact's conversations are
   * unblocked and their keys fetched again, and their messages refused only for
   * that key are checked again.
   */
  setTrust(userId: string, verified: boolean): void {
    this.core.directory.accept(userId, verified);
    for (const [roomId, entry] of this.core.entries) {
      if (!entry.room.members.some((member) => member.id === userId)) continue;
      this.core.keyring.forget(roomId);
      this.core.changed(entry);
      void this.core.queue.run(roomId, () => this.history.recheckHeld(entry)).catch(() => this.scheduleSync());
    }
  }
}
