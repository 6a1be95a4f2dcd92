// The conversation list: one entry per friend and per group (the core's order: most
// recently active first) with its unread count, trust warnings and the newest message
// in short; a group is marked "#", with its warnings, and says so once this account is
// out of it. Then friend requests waiting either way, with what to type.

import {
  allConversations,
  conversationPreview,
  formatActivity,
  type ChatSnapshot,
  type ListedConversation,
} from '@onionchat/client';
import { isOutOfGroup, personName } from '../conversation-names.js';
import { line, seg, type Line, type Style } from './lines.js';
import { cleanText, fit, textWidth, truncate } from './text.js';

export interface ListContext {
  meId: string;
  selectedRoomId: string | null;
  focused: boolean;
  now?: number;
}

/** What marks a group in the list. */
export const GROUP_MARK = '# ';

export function listEntries(snapshot: Pick<ChatSnapshot, 'friends' | 'rooms'>): ListedConversation[] {
  return allConversations(snapshot);
}

/** "(3)" for three unread messages, '' for none. */
export function unreadBadge(entry: Pick<ListedConversation, 'state'>): string {
  const unread = entry.state?.room.unread ?? 0;
  return unread > 0 ? `(${unread > 999 ? '999+' : unread})` : '';
}

/** Every line of the list (the layout shows the part around the selection). */
export function conversationListLines(
  snapshot: ChatSnapshot,
  width: number,
  context: ListContext,
): { lines: Line[]; selectedLine: number } {
  const lines: Line[] = [];
  let selectedLine = 0;
  if (!snapshot.friends) {
    lines.push(
      line(
        snapshot.error ? truncate(`⚠ ${snapshot.error}`, width) : 'Loading friends…',
        snapshot.error ? 'danger' : 'dim',
      ),
    );
    return { lines, selectedLine };
  }
  const entries = listEntries(snapshot);
  if (entries.length === 0) {
    lines.push(line(truncate('No friends yet.', width), 'dim'));
    lines.push(line(truncate('/request NAME or /add LINK', width), 'dim'));
  }
  for (const entry of entries) {
    const selected = entry.roomId === context.selectedRoomId;
    if (selected) selectedLine = lines.length;
    lines.push(...entryLines(entry, width, selected, context));
  }
  const { incoming, outgoing } = snapshot.friends;
  if (incoming.length > 0) {
    lines.push(line(''), line(fit('Friend requests', width), 'bold'));
    for (const request of incoming) {
      const name = cleanText(request.user.username);
      lines.push(line(truncate(`→ ${name} asks to be friends`, width), 'accent'));
      lines.push(line(truncate(`  /accept ${name}  /decline ${name}`, width), 'dim'));
    }
  }
  if (outgoing.length > 0) {
    lines.push(line(''), line(fit('Sent requests', width), 'bold'));
    for (const request of outgoing) {
      const name = cleanText(request.user.username);
      lines.push(line(truncate(`… ${name} (/cancel ${name})`, width), 'dim'));
    }
  }
  return { lines, selectedLine };
}

function entryLines(entry: ListedConversation, width: number, selected: boolean, context: ListContext): Line[] {
  const marker = selected ? (context.focused ? '▶ ' : '› ') : '  ';
  const badge = unreadBadge(entry);
  const trust = entry.state?.trust?.state;
  const group = entry.state?.group ?? null;
  const out = isOutOfGroup(group);
  const memberAlarm = group?.members.some((member) => member.check === 'mismatch' || member.check === 'changed');
  const alarm =
    trust === 'changed' ||
    trust === 'changed-verified' ||
    trust === 'invalid' ||
    entry.state?.membersChanged ||
    group?.warning ||
    group?.nameWarning ||
    memberAlarm ||
    out;
  const flag = alarm ? ' ⚠' : trust === 'verified' ? ' ✓' : '';
  const time = entry.state?.lastActivity ? formatActivity(entry.state.lastActivity, context.now) : '';
  const right = [badge, time].filter(Boolean).join(' ');
  const nameRoom = Math.max(1, width - textWidth(marker) - textWidth(flag) - textWidth(right) - 1);
  const title = entry.kind === 'group' ? `${GROUP_MARK}${entry.title}` : entry.title;
  const name = fit(cleanText(title), nameRoom);
  const nameStyle: Style = selected ? 'selected' : badge ? 'bold' : 'normal';
  const first: Line = [
    seg(marker, nameStyle),
    seg(name, nameStyle),
    seg(flag, alarm ? 'danger' : 'ok'),
    seg(' ', nameStyle),
    seg(badge, 'accent'),
    seg(badge && time ? ' ' : '', 'dim'),
    seg(time, 'dim'),
  ];
  const preview = cleanText(out ? '⚠ You are no longer in this group' : previewOf(entry, context.meId));
  const previewStyle: Style = preview.startsWith('⚠') ? 'warn' : 'dim';
  return [first, line(fit(`  ${preview}`, width), previewStyle)];
}

/** The newest message in short; in a group, someone else's under their name. */
function previewOf(entry: ListedConversation, meId: string): string {
  const preview = conversationPreview(entry.state, meId);
  const last = entry.state?.last;
  if (entry.kind !== 'group' || !last || last.mine || last.state === 'unverified' || preview.startsWith('⚠')) {
    return preview;
  }
  return `${personName(entry.state, last.senderId)}: ${preview}`;
}
