// The conversation list: one entry per friend (the core's order: most recently active
// first) with its unread count, trust warnings and the newest message in short; then
// friend requests waiting either way, with what to type.

import {
  conversationList,
  conversationPreview,
  formatActivity,
  type ChatSnapshot,
  type ConversationEntry,
} from '@onionchat/client';
import { line, seg, type Line, type Style } from './lines.js';
import { cleanText, fit, textWidth, truncate } from './text.js';

export interface ListContext {
  meId: string;
  selectedRoomId: string | null;
  focused: boolean;
  now?: number;
}

export function listEntries(snapshot: Pick<ChatSnapshot, 'friends' | 'rooms'>): ConversationEntry[] {
  return conversationList(snapshot);
}

/** "(3)" for three unread messages, '' for none. */
export function unreadBadge(entry: ConversationEntry): string {
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
    const selected = entry.friend.roomId === context.selectedRoomId;
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

function entryLines(entry: ConversationEntry, width: number, selected: boolean, context: ListContext): Line[] {
  const marker = selected ? (context.focused ? '▶ ' : '› ') : '  ';
  const badge = unreadBadge(entry);
  const trust = entry.state?.trust?.state;
  const alarm =
    trust === 'changed' || trust === 'changed-verified' || trust === 'invalid' || entry.state?.membersChanged;
  const flag = alarm ? ' ⚠' : trust === 'verified' ? ' ✓' : '';
  const time = entry.state?.lastActivity ? formatActivity(entry.state.lastActivity, context.now) : '';
  const right = [badge, time].filter(Boolean).join(' ');
  const nameRoom = Math.max(1, width - textWidth(marker) - textWidth(flag) - textWidth(right) - 1);
  const name = fit(cleanText(entry.friend.user.username), nameRoom);
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
  const preview = cleanText(conversationPreview(entry.state, context.meId));
  const previewStyle: Style = preview.startsWith('⚠') ? 'warn' : 'dim';
  return [first, line(fit(`  ${preview}`, width), previewStyle)];
}
