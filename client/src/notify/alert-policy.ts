// Whether a new message calls for the person's attention, and how: a sound, a system
// notification. Never for this account's own messages, notices or timer changes, nor
// for the conversation the person is looking at. A system notification is shown by
// the operating system, which may keep it in a history or a log, so by default it says
// who wrote, never what: a preview of the content is an opt-in.

import { CONVERSATION_PHRASES } from '../chat/conversation-phrases.js';
import type { ChatItem } from '../chat/items.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(CONVERSATION_PHRASES);

/** Characters of a message shown in a notification preview (when the person allowed previews). */
export const PREVIEW_MAX_CHARS = 80;

export interface NotifySettings {
  /** A short sound for a new message. */
  sound: boolean;
  /** A system notification, where the browser shows them and the person allowed it. */
  system: boolean;
  /** The system notification shows the start of the message (off: only who wrote). */
  preview: boolean;
  /** Conversations that never alert (their unread count still shows). */
  muted: ReadonlySet<string>;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = Object.freeze({
  sound: true,
  system: true,
  preview: false,
  muted: new Set<string>(),
});

/** Where the person is when the message arrives. */
export interface AlertContext {
  /** The conversation open in this tab, or null. */
  activeRoomId: string | null;
  /** The tab is shown (not a background tab, not minimised). */
  visible: boolean;
  /** The tab has the keyboard focus (the person is in this window). */
  focused: boolean;
  /** System notifications can be shown here (the API exists and permission is granted). */
  systemAllowed: boolean;
}

/** New messages in one conversation. */
export interface IncomingMessages {
  roomId: string;
  /** The conversation's name: the friend's username, or the group's name. */
  title: string;
  group: boolean;
  items: readonly ChatItem[];
  /** A member's name as shown here. */
  nameOf: (userId: string) => string;
}

export interface SystemNotice {
  title: string;
  body: string;
  /** One notification per conversation: a newer one takes the older one's place. */
  tag: string;
}

export interface AlertDecision {
  sound: boolean;
  system: SystemNotice | null;
}

const QUIET: AlertDecision = Object.freeze({ sound: false, system: null });

/** Someone else's message or file, not a notice or a timer change. */
function alerts(item: ChatItem): boolean {
  return !item.mine && item.state !== 'notice' && (item.timer ?? null) === null;
}

/** The person is reading this conversation now. */
export function isReading(roomId: string, context: AlertContext): boolean {
  return context.activeRoomId === roomId && context.visible && context.focused;
}

function previewOf(item: ChatItem): string {
  if (item.file) return say('conversation.notify.filePreview', { name: item.file.name });
  const text = (item.text ?? '').replace(/\s+/gu, ' ').trim();
  const characters = [...text];
  return characters.length > PREVIEW_MAX_CHARS ? `${characters.slice(0, PREVIEW_MAX_CHARS).join('')}…` : text;
}

/** The system notification's words: who wrote (and where), and the content only when previews are on. */
export function systemNotice(message: IncomingMessages, shown: readonly ChatItem[], preview: boolean): SystemNotice {
  const senders = [...new Set(shown.map((item) => message.nameOf(item.senderId)))];
  const count = shown.length;
  const last = shown[shown.length - 1];
  return {
    title: noticeTitle(count, senders.length === 1 ? senders[0]! : null, message.group ? message.title : null),
    body: preview && last ? previewOf(last) : say('conversation.notify.hiddenBody'),
    tag: `onionchat-${message.roomId}`,
  };
}

/** "New message from Alice", "3 new messages in Book club": the sender when there is one, the group's name in a group. */
function noticeTitle(count: number, name: string | null, group: string | null): string {
  if (name !== null && group !== null) return say('conversation.notify.titleFromInGroup', { count, name, group });
  if (name !== null) return say('conversation.notify.titleFrom', { count, name });
  if (group !== null) return say('conversation.notify.titleInGroup', { count, group });
  return say('conversation.notify.title', { count });
}

/** What to do about new messages in one conversation. */
export function decideAlert(message: IncomingMessages, context: AlertContext, settings: NotifySettings): AlertDecision {
  const shown = message.items.filter(alerts);
  if (shown.length === 0 || settings.muted.has(message.roomId) || isReading(message.roomId, context)) return QUIET;
  const system = settings.system && context.systemAllowed ? systemNotice(message, shown, settings.preview) : null;
  return { sound: settings.sound, system };
}
