// What the chain would refuse (PROTOCOL.md §19), refused here first with a sentence the
// person can act on, before anything is signed: only admins change a group, nobody is
// added twice, the group stays within its limit and never loses its last admin.

import type { PublicUser } from '@onionchat/contract';
import type { GroupState } from '@onionchat/protocol';
import { GroupChangeError } from './group-change-error.js';
import type { NameOf } from './group-change.js';
import { GROUP_PHRASES } from './group-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(GROUP_PHRASES);

/** The changes only an admin may make, each refused with its own sentence. */
export type AdminChange = 'add' | 'remove' | 'role' | 'rename';

const ADMIN_ONLY = {
  add: 'groups.refusal.adminOnlyAdd',
  remove: 'groups.refusal.adminOnlyRemove',
  role: 'groups.refusal.adminOnlyRole',
  rename: 'groups.refusal.adminOnlyRename',
} as const;

export function requireAdmin(state: GroupState, meId: string, change: AdminChange): void {
  if (state.members.get(meId)?.role !== 'admin') throw new GroupChangeError(say(ADMIN_ONLY[change]));
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
    const name = user.username;
    if (seen.has(user.id)) throw new GroupChangeError(say('groups.refusal.listedTwice', { name }));
    seen.add(user.id);
    if (state?.members.has(user.id)) throw new GroupChangeError(say('groups.refusal.alreadyInGroup', { name }));
    if (!isContact(user.id)) throw new GroupChangeError(say('groups.refusal.notContact', { name }));
  }
  const size = (state?.members.size ?? 1) + users.length;
  if (size > maxMembers) throw new GroupChangeError(say('groups.refusal.tooMany', { count: maxMembers }));
}

/** Members to remove: at least one, each once, each in the group, never this account. */
export function requireRemovable(state: GroupState, userIds: readonly string[], meId: string, nameOf: NameOf): void {
  if (userIds.length === 0) throw new GroupChangeError(say('groups.refusal.chooseToRemove'));
  if (new Set(userIds).size !== userIds.length) throw new GroupChangeError(say('groups.refusal.memberListedTwice'));
  for (const userId of userIds) {
    if (userId === meId) throw new GroupChangeError(say('groups.refusal.cannotRemoveSelf'));
    if (!state.members.has(userId)) {
      throw new GroupChangeError(say('groups.refusal.notInGroup', { name: nameOf(userId) }));
    }
  }
}

/** Leaving must not leave members without an admin. */
export function requireLeavable(state: GroupState, meId: string): void {
  if (state.members.size > 1 && isOnlyAdmin(state, meId)) {
    throw new GroupChangeError(say('groups.refusal.onlyAdminLeaving'));
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
  // About this account, "You are …"; about another member, "Carol is …".
  const you = userId === meId ? 'You' : '';
  const values = { name: nameOf(userId) };
  if (!member) throw new GroupChangeError(say(`groups.refusal.notInGroup${you}`, values));
  if (member.role === role) {
    const already = role === 'admin' ? 'alreadyAdmin' : 'alreadyMember';
    throw new GroupChangeError(say(`groups.refusal.${already}${you}`, values));
  }
  if (role === 'member' && isOnlyAdmin(state, userId)) {
    throw new GroupChangeError(say(`groups.refusal.onlyAdmin${you}`, values));
  }
}

function isOnlyAdmin(state: GroupState, userId: string): boolean {
  const admins = [...state.members.values()].filter((member) => member.role === 'admin');
  return admins.length === 1 && admins[0]!.userId === userId;
}
