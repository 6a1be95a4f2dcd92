// Who is who in a conversation, for the full-screen chat and the one-shot commands
// alike: a group's title, a sender's name (a group's verified members first, then the
// server's listing and the friend list, for someone who has left since), and whether
// this account is still in a group.

import { canonicalUsername, type Friend, type GroupView, type RoomState } from '@onionchat/client';

/** What the commands refuse with once this account is out of a group. */
export const NOT_IN_GROUP =
  'You are no longer in this group: nothing can be sent to it, and what comes after is not for you.';

/** What the chat says once this account is out of a group, and what to do. */
export const OUT_OF_GROUP = `${NOT_IN_GROUP} /leave removes it from your list.`;

/** Said for someone no listing names. */
export const SOMEONE = 'someone';

/** This account is out of the group: removed or left (the server answers as to a stranger), or the verified chain no longer has it. */
export function isOutOfGroup(view: GroupView | null | undefined): boolean {
  if (!view) return false;
  return view.gone || (view.verified && view.myRole === null);
}

/** The group's view is as far as it gets for now: its chain checked (or refused, or gone), its name read or said why not. */
export function groupSettled(view: GroupView): boolean {
  if (view.gone || view.warning !== null) return true;
  return view.verified && (view.name !== null || view.nameWarning !== null);
}

/**
 * A person's name in a conversation: as the group's verified chain has them, else as
 * the server lists the room's members, else as a friend, else "someone". This account
 * by its own username (a group's view calls it "You").
 */
export function personName(
  room: RoomState | undefined,
  userId: string,
  options: { me?: { id: string; username: string }; friends?: readonly Friend[] } = {},
): string {
  if (options.me && userId === options.me.id) return options.me.username;
  const member = room?.group?.members.find((entry) => entry.id === userId);
  if (member && !member.me) return member.name;
  const listed = room?.room.members.find((entry) => entry.id === userId);
  if (listed) return listed.username;
  const friend = options.friends?.find((entry) => entry.user.id === userId);
  return friend?.user.username ?? SOMEONE;
}

/** Usernames compared as the server does (case, a leading @). */
export function sameUsername(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}

function canonicalName(name: string): string {
  return canonicalUsername(name.trim().replace(/^@/, ''));
}

/** "bob", "bob and carol", "bob, carol and dave". */
export function listOfNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
