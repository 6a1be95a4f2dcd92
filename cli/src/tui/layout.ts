// The whole screen from the core's snapshot, the terminal's size and the UI's own
// state: a top bar, the conversation list and the open conversation side by side (one
// at a time below WIDE_COLUMNS), the latest notice and the input line. Pure: lines of
// styled text, each exactly as wide as the screen.

import type { ChatSnapshot, RoomState } from '@onionchat/client';
import { isOutOfGroup, personName } from '../conversation-names.js';
import { conversationListLines, listEntries } from './conversation-list-view.js';
import { conversationHeader, historyLines, NO_FILES, type FileLookup } from './conversation-view.js';
import { line, seg, type Line } from './lines.js';
import { noticeLines, statusLine } from './status-line.js';
import { charWidth, fit, textWidth, truncate, wrap } from './text.js';
import type { UiState } from './ui-state.js';

/** From this width on, the list and the conversation are shown side by side. */
export const WIDE_COLUMNS = 72;
/** The smallest screen drawn at all. */
export const MIN_COLUMNS = 20;
export const MIN_ROWS = 6;

export interface LayoutInput {
  snapshot: ChatSnapshot;
  ui: UiState;
  width: number;
  height: number;
  me: { id: string; username: string };
  files?: FileLookup;
  now?: number;
}

export interface Layout {
  /** Exactly `height` lines of exactly `width` columns. */
  lines: Line[];
  /** Where the cursor goes (0-based column and row). */
  cursor: { x: number; y: number };
  /** The conversations in list order (for the key reducer). */
  roomIds: string[];
  /** The open conversation's history: lines in all, and how many are shown. */
  historyLines: number;
  historyHeight: number;
  /** The scroll offset actually used (clamped). */
  scroll: number;
  /** Which panes are on screen. */
  panes: { list: boolean; conversation: boolean };
}

export function layout(input: LayoutInput): Layout {
  const { snapshot, ui, me } = input;
  const width = Math.max(MIN_COLUMNS, input.width);
  const height = Math.max(MIN_ROWS, input.height);
  const roomIds = listEntries(snapshot).map((entry) => entry.roomId);
  const room = ui.selectedRoomId ? snapshot.rooms.get(ui.selectedRoomId) : undefined;

  const prompt = inputLine(ui, room, width);
  const notices = noticeLines(ui.notices, width, Math.min(4, Math.floor(height / 4)));
  const bodyHeight = Math.max(1, height - 2 - notices.length);

  const wide = width >= WIDE_COLUMNS;
  const showList = wide || ui.focus === 'list';
  const showConversation = wide || ui.focus === 'conversation';
  const listWidth = wide ? Math.min(32, Math.max(20, Math.floor(width * 0.3))) : width;
  const convWidth = wide ? width - listWidth - 1 : width;

  let listPane: Line[] = [];
  if (showList) {
    const { lines, selectedLine } = conversationListLines(snapshot, listWidth, {
      meId: me.id,
      selectedRoomId: ui.selectedRoomId,
      focused: ui.focus === 'list',
      now: input.now,
    });
    listPane = windowAround(lines, selectedLine, bodyHeight);
  }

  let convPane: Line[] = [];
  let history = { total: 0, height: 0, scroll: 0 };
  if (showConversation) {
    const result = conversationPane(input, room, convWidth, bodyHeight);
    convPane = result.lines;
    history = result.history;
  }

  const body: Line[] = [];
  for (let row = 0; row < bodyHeight; row += 1) {
    if (wide) {
      body.push([...pad(listPane[row], listWidth), seg('│', 'dim'), ...pad(convPane[row], convWidth)]);
    } else {
      body.push(pad(showList ? listPane[row] : convPane[row], width));
    }
  }

  const lines = [statusLine(snapshot, me.username, width), ...body, ...notices, prompt.line];
  return {
    lines,
    cursor: { x: prompt.cursor, y: lines.length - 1 },
    roomIds,
    historyLines: history.total,
    historyHeight: history.height,
    scroll: history.scroll,
    panes: { list: showList, conversation: showConversation },
  };
}

function conversationPane(
  input: LayoutInput,
  room: RoomState | undefined,
  width: number,
  height: number,
): { lines: Line[]; history: { total: number; height: number; scroll: number } } {
  const { ui, snapshot } = input;
  if (ui.panel) {
    const lines = ui.panel.flatMap((text, index) =>
      wrap(text, width).map((part) => line(part, index === 0 ? 'bold' : 'normal')),
    );
    return { lines: lines.slice(0, height), history: { total: 0, height: 0, scroll: 0 } };
  }
  if (!ui.selectedRoomId) {
    const hint = listEntries(snapshot).length > 0 ? 'Choose a conversation: Up/Down, then Enter.' : '';
    const lines = [hint, 'Type /help for the commands.']
      .filter(Boolean)
      .flatMap((text) => wrap(text, width).map((part) => line(part, 'dim')));
    return { lines, history: { total: 0, height: 0, scroll: 0 } };
  }
  const friend = snapshot.friends?.friends.find((entry) => entry.roomId === ui.selectedRoomId);
  const peerName = friend?.user.username ?? room?.group?.title ?? room?.peer?.username ?? 'Conversation';
  const friends = snapshot.friends?.friends ?? [];
  // The header keeps at most half the pane, so the newest messages stay in view.
  const header = conversationHeader(room, peerName, width).slice(0, Math.max(1, Math.floor(height / 2)));
  header.push(line('─'.repeat(width), 'dim'));
  const historyHeight = Math.max(1, height - header.length);
  const all = historyLines(room, width, {
    peerName,
    offline: snapshot.connection !== 'connected',
    files: input.files ?? NO_FILES,
    now: input.now,
    // In a group, each message under its sender's name.
    senderName: room?.group ? (senderId) => personName(room, senderId, { friends }) : undefined,
  });
  const top = Math.max(0, all.length - historyHeight);
  const scroll = Math.min(ui.scroll, top);
  const end = all.length - scroll;
  const shown = all.slice(Math.max(0, end - historyHeight), end);
  if (scroll > 0 && shown.length > 0) {
    shown[shown.length - 1] = line(fit(`↓ ${scroll} more lines below: PgDn or End`, width), 'accent');
  }
  // Newest at the bottom, like a chat.
  const filler: Line[] = Array.from({ length: Math.max(0, historyHeight - shown.length) }, () => line(''));
  return {
    lines: [...header.slice(0, height), ...filler, ...shown].slice(0, height),
    history: { total: all.length, height: historyHeight, scroll },
  };
}

/** What an empty input line suggests. */
function inputHint(ui: UiState, room: RoomState | undefined): string {
  if (ui.prompt !== null && ui.promptShown) return 'y and Enter: yes · Enter or Esc: no';
  if (ui.prompt !== null) return 'typed hidden · Enter when done · Esc cancels';
  if (isOutOfGroup(room?.group)) return 'You are no longer in this group. /leave removes it from your list';
  if (room?.group && room.sendBlocked) return 'Sending is paused here (see above). /members';
  if (room?.sendBlocked) return 'Sending is paused here. /safety, /verify, /trust';
  return ui.selectedRoomId ? 'Write a message, or /help' : '/help for the commands';
}

/** The input line, scrolled sideways so the cursor stays in view; at a prompt, one dot per character typed. */
function inputLine(ui: UiState, room: RoomState | undefined, width: number): { line: Line; cursor: number } {
  // A question (shown as typed, answered in a word) may take more of the line than a passphrase's label.
  const share = ui.promptShown ? 0.75 : 0.5;
  const prefix = ui.prompt !== null ? `${truncate(ui.prompt, Math.floor(width * share))} ` : '> ';
  const room_ = width - prefix.length - 1;
  if (ui.input.length === 0) {
    const hint = fit(inputHint(ui, room), width - prefix.length);
    return { line: [seg(prefix, 'accent'), seg(hint, 'dim')], cursor: prefix.length };
  }
  const chars = ui.prompt !== null && !ui.promptShown ? Array.from(ui.input, () => '•') : [...ui.input];
  // Walk left from the cursor as far as fits: what is before it on screen.
  let start = Math.min(ui.cursor, chars.length);
  let before = 0;
  while (start > 0 && before + charWidth(chars[start - 1]!) <= room_) {
    start -= 1;
    before += charWidth(chars[start]!);
  }
  const visible = chars.slice(start, start + width * 2).join('');
  return {
    line: [seg(prefix, 'accent'), seg(fit(visible, width - prefix.length))],
    cursor: prefix.length + before,
  };
}

function windowAround(lines: Line[], focusLine: number, height: number): Line[] {
  if (lines.length <= height) return lines;
  const start = Math.min(Math.max(0, focusLine - Math.floor(height / 2)), lines.length - height);
  return lines.slice(start, start + height);
}

/** Exactly `width` columns: cut or padded. */
export function pad(value: Line | undefined, width: number): Line {
  const out: Line = [];
  let used = 0;
  for (const segment of value ?? []) {
    if (used >= width) break;
    const text = textWidth(segment.text) + used > width ? fit(segment.text, width - used) : segment.text;
    out.push({ text, style: segment.style });
    used += textWidth(text);
  }
  if (used < width) out.push(seg(' '.repeat(width - used)));
  return out;
}
