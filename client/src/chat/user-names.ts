// People's names for what a group shows (its notices, its members, a chain warning):
// every name a listing of this session carried is kept, so someone who has left a group
// (and is listed nowhere now) still has a name in "Alice removed Dave".

import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

export class UserNames {
  private readonly names = new Map<string, string>();

  constructor(me: { id: string; username: string }) {
    this.names.set(me.id, me.username);
  }

  note(users: Iterable<{ id: string; username: string }>): void {
    for (const user of users) this.names.set(user.id, user.username);
  }

  /** The name; "someone" (in the reader's language) for whom no listing of this session named. */
  nameOf = (userId: string): string => this.names.get(userId) ?? say('account.names.unknown');
}
