// What the chain would refuse (PROTOCOL.md §19), refused here first with a sentence the
// person can act on, before anything is signed: only admins change a group, nobody is
// added twice, the group stays within its limit and never loses its last admin.

import type { PublicUser } from '@onionchat/contract';
import type { GroupState } from '@onionchat/protocol';
import { GroupChangeError } from './group-change-error.js';
import type { NameOf } from './group-change.js';

export function requireAdmin(state: GroupState, meId: string, what: string): void {
  if (state.members.get(meId)?.role !== 'admin') throw new GroupChangeError(`Only an admin can ${what}.`);
}

/**
 * People who may join: listed once, not in the group yet, this account's contacts,
 * and few enough for the limit. `state` null: a group being created (with this account).
 */
export function requireJoinable(
  state: GroupState | null,
  users: readonly PublicUser[],
  isContact: (userId: string) => boolean,
  maxMembers: number,
): void {
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user.id)) throw new GroupChangeError(`${user.username} is listed twice.`);
    seen.add(user.id);
    if (state?.members.has(user.id)) throw new GroupChangeError(`${user.username} is already in the group.`);
    if (!isContact(user.id)) {
      throw new GroupChangeError(`${user.username} is not one of your contacts; only contacts can be added.`);
    }
  }
  const size = (state?.members.size ?? 1) + users.length;
  if (size > maxMembers) throw new GroupChangeError(`A group can have at most ${maxMembers} members.`);
}

/** Members to remove: at least one, each once, each in the group, never this account. */
export function requireRemovable(state: GroupState, userIds: readonly string[], meId: string, nameOf: NameOf): void {
  if (userIds.length === 0) throw new GroupChangeError('Choose at least one member to remove.');
  if (new Set(userIds).size !== userIds.length) throw new GroupChangeError('A member is listed twice.');
  for (const userId of userIds) {
    if (userId === meId) throw new GroupChangeError('You cannot remove yourself; leave the group instead.');
    if (!state.members.has(userId)) throw new GroupChangeError(`${nameOf(userId)} is not in the group.`);
  }
}

/** Leaving must not leave members without an admin. */
export function requireLeavable(state: GroupState, meId: string): void {
  if (state.members.size > 1 && isOnlyAdmin(state, meId)) {
    throw new GroupChangeError('You are the group’s only admin: make someone else an admin before you leave.');
  }
}

/** A role change: of a member, to another role, and never of the last admin to member. */
export function requireRoleChange(
  state: GroupState,
  userId: string,
  role: 'member' | 'admin',
  meId: string,
  nameOf: NameOf,
): void {
  const member = state.members.get(userId);
  const name = userId === meId ? 'You' : nameOf(userId);
  if (!member) throw new GroupChangeError(`${name} is not in the group.`);
  if (member.role === role) {
    throw new GroupChangeError(
      `${name} ${userId === meId ? 'are' : 'is'} already ${role === 'admin' ? 'an admin' : 'a member'}.`,
    );
  }
  if (role === 'member' && isOnlyAdmin(state, userId)) {
    throw new GroupChangeError(
      `${name} ${userId === meId ? 'are' : 'is'} the group’s only admin: make someone else an admin first.`,
    );
  }
}

function isOnlyAdmin(state: GroupState, userId: string): boolean {
  const admins = [...state.members.values()].filter((member) => member.role === 'admin');
  return admins.length === 1 && admins[0]!.userId === userId;
}
