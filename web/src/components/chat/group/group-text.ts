// Words and small rules the group screens share.

import type { GroupView, PublicUser } from '@onionchat/client';
import { i18n } from '../../../i18n/i18n';

/** "1 member", "3 members". */
export function memberCount(count: number): string {
  return i18n.t('group.memberCount', { count });
}

/**
 * What a group's avatar is drawn from: its name, or while that cannot be opened its other
 * members' names (not the title, whose "Group with" is worded in the interface language).
 */
export function avatarSource(group: Pick<GroupView, 'name' | 'members'>): string {
  return (
    group.name ??
    group.members
      .filter((member) => !member.me)
      .map((member) => member.name)
      .join(' ')
  );
}

/** Up to two letters for a group without a picture: "Hikers" → "H", "Night shift" → "NS". */
export function groupInitials(source: string): string {
  const words = source.split(/[\s,]+/).filter((word) => /\p{L}|\p{N}/u.test(word));
  const letters = words.slice(0, 2).map((word) => [...word.replace(/^[^\p{L}\p{N}]+/u, '')][0] ?? '');
  return letters.join('').toUpperCase() || '#';
}

/**
 * Why `size` members (this account included) is too many, or null. `max` null: the
 * server's limit is not known yet (the core and the server still check it).
 */
export function sizeProblem(size: number, max: number | null): string | null {
  if (max === null || size <= max) return null;
  return i18n.t('group.tooMany', { max, others: max - 1, chosen: size - 1 });
}

/** The contacts a group could take in: friends not in it yet, by name. */
export function addableFriends(friends: readonly PublicUser[], group: GroupView | null): PublicUser[] {
  const inGroup = new Set(group?.members.map((member) => member.id) ?? []);
  return friends.filter((friend) => !inGroup.has(friend.id)).sort((a, b) => a.username.localeCompare(b.username));
}

/** A name the person must type: trimmed, 1 to `max` characters, no control characters. */
export function groupNameProblem(name: string, max: number): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0) return i18n.t('group.nameEmpty');
  if (trimmed.length > max) return i18n.t('group.nameTooLong', { max });
  if (/\p{Cc}/u.test(trimmed)) return i18n.t('group.nameControl');
  return null;
}
