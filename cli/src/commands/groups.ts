// `onionchat groups`: the groups this account is in, each with its members as this
// client verified them from the group's signed records (never the server's list), their
// roles and how far each is checked, and any warning the core raises.

import type { GroupMemberCheck, GroupView, RoomState, User } from '@onionchat/client';
import { isOutOfGroup } from '../conversation-names.js';
import { say, type Context } from '../context.js';
import { groupsLoaded } from './friend-lookup.js';
import { withChat } from './with-chat.js';

export interface GroupEntry {
  /** The group's id: `send`, `read` take it as well as the name. */
  roomId: string;
  /** The name an admin gave it (null while it cannot be read: see nameWarning). */
  name: string | null;
  /** The name, or "Group with …" while the name cannot be read. */
  title: string;
  /** This account's role; null once out of the group. */
  myRole: 'admin' | 'member' | null;
  /** This account is no longer in it (removed, or left). */
  gone: boolean;
  /** The members were verified from the chain of signed records (false: nothing checked yet). */
  verified: boolean;
  unread: number;
  members: GroupMemberEntry[];
  /** The server handed out a change that does not check out, or null. */
  warning: string | null;
  /** Why the name cannot be read, or null. */
  nameWarning: string | null;
}

export interface GroupMemberEntry {
  username: string;
  userId: string;
  role: 'admin' | 'member';
  me: boolean;
  /** 'you', 'verified', 'contact', 'added-by', 'mismatch' (keys other than the group's) or 'changed'. */
  check: GroupMemberCheck;
  /** The check in words: "verified", "contact", "added by alice", … */
  label: string;
}

export async function groups(context: Context, options: { json?: boolean }): Promise<void> {
  await withChat(context, async ({ chat, user }) => {
    const entries = (await groupsLoaded(chat)).map((room) => groupEntry(room, user));
    entries.sort((a, b) => a.title.localeCompare(b.title));
    if (entries.length === 0 && !options.json) say(context.io.stderr, 'You are in no group.');
    for (const entry of entries) {
      if (options.json) say(context.io.stdout, JSON.stringify(entry));
      else for (const line of groupLines(entry)) say(context.io.stdout, line);
    }
  });
}

export function groupEntry(room: RoomState, me: Pick<User, 'username'>): GroupEntry {
  const view: GroupView = room.group!;
  return {
    roomId: room.room.id,
    name: view.name,
    title: view.title,
    myRole: isOutOfGroup(view) ? null : view.myRole,
    gone: isOutOfGroup(view),
    verified: view.verified,
    unread: room.room.unread,
    members: view.members.map((member) => ({
      username: member.me ? me.username : member.name,
      userId: member.id,
      role: member.role,
      me: member.me,
      check: member.check,
      label: member.label,
    })),
    warning: view.warning,
    nameWarning: view.nameWarning,
  };
}

/** "Hikers  (3 members, you are an admin; id …)", then one line per member and the warnings. */
export function groupLines(entry: GroupEntry): string[] {
  const count = `${entry.members.length} ${entry.members.length === 1 ? 'member' : 'members'}`;
  const state = entry.gone
    ? 'you are no longer in it'
    : `${count}${entry.myRole === 'admin' ? ', you are an admin' : ''}${entry.unread > 0 ? `, ${entry.unread} unread` : ''}`;
  const width = Math.max(0, ...entry.members.map((member) => member.username.length));
  return [
    `${entry.title}  (${state}; id ${entry.roomId})`,
    ...entry.members.map(
      (member) => `  ${member.username.padEnd(width)}  ${member.role.padEnd(6)}  ${member.me ? 'you' : member.label}`,
    ),
    ...[entry.warning, entry.nameWarning]
      .filter((warning) => warning !== null)
      .map((warning) => `  Warning: ${warning}`),
  ];
}
