// People's names for what a group shows (its notices, its members, a chain warning):
// every name a listing of this session carried is kept, so someone who has left a group
// (and is listed nowhere now) still has a name in "Alice removed Dave".

/** Said for someone no listing of this session named. */
export const UNKNOWN_NAME = 'someone';

export class UserNames {
  private readonly names = new Map<string, string>();

  constructor(me: { id: string; username: string }) {
    this.names.set(me.id, me.username);
  }

  note(users: Iterable<{ id: string; username: string }>): void {
    for (const user of users) this.names.set(user.id, user.username);
  }

  nameOf = (userId: string): string => this.names.get(userId) ?? UNKNOWN_NAME;
}
