// Direct conversations refuse member changes (docs/PROTOCOL.md §8): a direct room is
// two people for its whole life, so once this page has seen who is in one, a listing
// that names anyone else (the other person swapped, or a third added) can only come
// from a server trying to listen in. Such a room is refused for good: nothing is sent
// there, and its messages and keys are checked against the members seen first, never
// against whoever the server put in.
//
// Kept in memory for the page's lifetime, not in the account: storing it would mean
// writing the sealed key bundle (a request over Tor, and a revision other sessions must
// merge) for every new conversation. After a reload the first listing is taken as it
// comes; a swapped-in member still shows by name and safety number, just not as a change.

import type { PublicUser, Room } from '@onionchat/contract';
import { DIRECT_ROOM_KIND } from '@onionchat/protocol';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

/** What a refused direct conversation says, in the reader's language (said when shown). */
export function membersChangedWarning(): string {
  return say('account.direct.membersChanged');
}

/** The warning's English, for what compares with it before it is said (specs, the terminal's tests). */
export const MEMBERS_CHANGED_WARNING = ACCOUNT_PHRASES['account.direct.membersChanged'];

export class DirectMembers {
  /** The members of each direct room as first listed, by room id; kept after a room is gone from the list. */
  private readonly first = new Map<string, PublicUser[]>();
  private readonly refused = new Set<string>();

  /**
   * Takes a listing of a room: remembers a direct room's members the first time, and
   * refuses the room once a listing differs from them. Returns whether it is refused.
   */
  note(room: Room): boolean {
    if (room.kind !== DIRECT_ROOM_KIND) return false;
    const first = this.first.get(room.id);
    if (!first) {
      this.first.set(room.id, room.members);
      return false;
    }
    // Sticks even when a later listing goes back: the server has shown it will swap members here.
    if (!sameIds(first, room.members)) this.refused.add(room.id);
    return this.refused.has(room.id);
  }

  /** The server changed this room's members since this page first saw them. */
  changed(roomId: string): boolean {
    return this.refused.has(roomId);
  }

  /** The room as it may be used: a refused room keeps the members first seen. */
  admit(room: Room): Room {
    const first = this.first.get(room.id);
    return first && this.refused.has(room.id) ? { ...room, members: first } : room;
  }
}

/** Ids compare as text: a UUID has one spelling. */
function sameIds(a: readonly PublicUser[], b: readonly PublicUser[]): boolean {
  const left = new Set(a.map((member) => member.id));
  const right = new Set(b.map((member) => member.id));
  return left.size === right.size && [...left].every((id) => right.has(id));
}
