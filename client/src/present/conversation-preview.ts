// The line under a friend's name in the conversation list: the newest message, in short.
// `conversationPreviewPhrase` names the line for an interface with its own catalogue (the
// web app); `conversationPreview` is the same line in English (the terminal).

import type { RoomState } from '../chat/index.js';

/** How much of a message (or a file's name) the line shows. */
export const PREVIEW_CHARS = 120;

const ENGLISH = {
  'chat.preview.empty': () => 'No messages yet',
  'chat.preview.unverified': () => '⚠ Unverified message',
  'chat.preview.notice': ({ text }) => text ?? '',
  'chat.preview.deletedMine': () => 'You deleted a message',
  'chat.preview.deleted': () => 'A message was deleted',
  'chat.preview.textMine': ({ text }) => `You: ${text}`,
  'chat.preview.text': ({ text }) => text ?? '',
  'chat.preview.fileMine': ({ name }) => `You sent a file: ${name}`,
  'chat.preview.file': ({ name }) => `Sent a file: ${name}`,
  'chat.preview.unsupported': () => 'Unsupported message',
} satisfies Record<string, (values: { text?: string; name?: string }) => string>;

const FLAG_ENGLISH = {
  'chat.preview.replayed': (line: string) => `⚠ Delivered again: ${line}`,
  'chat.preview.late': (line: string) => `⚠ Delivered at the wrong time: ${line}`,
};

export type PreviewKey = keyof typeof ENGLISH;

/**
 * The line as a message key and its values; `flag`, when set, is the key of the warning
 * that wraps it (its value `line` is the line itself).
 */
export interface PreviewPhrase {
  key: PreviewKey;
  values?: { text?: string; name?: string };
  flag?: keyof typeof FLAG_ENGLISH;
}

/**
 * "You: see you at 8", "Sent a file: photo.jpg", "No messages yet", or '' while the
 * conversation has not been loaded. `meId`: this account's user id.
 */
export function conversationPreview(state: Pick<RoomState, 'last' | 'loaded'> | undefined, meId: string): string {
  const phrase = conversationPreviewPhrase(state, meId);
  if (!phrase) return '';
  const line = ENGLISH[phrase.key](phrase.values ?? {});
  return phrase.flag ? FLAG_ENGLISH[phrase.flag](line) : line;
}

/** Which line `conversationPreview` says (null for none), for an interface in another language. */
export function conversationPreviewPhrase(
  state: Pick<RoomState, 'last' | 'loaded'> | undefined,
  meId: string,
): PreviewPhrase | null {
  const last = state?.last ?? null;
  if (!last) return state?.loaded ? { key: 'chat.preview.empty' } : null;
  if (last.state === 'unverified') return { key: 'chat.preview.unverified' };
  const mine = last.senderId === meId;
  const line = content(last, mine);
  // A message the server delivered again or at the wrong time is not the newest word from
  // the sender: the list must not pass it off as an answer just given.
  if (!mine && last.flag)
    return { ...line, flag: last.flag.kind === 'replayed' ? 'chat.preview.replayed' : 'chat.preview.late' };
  return line;
}

function content(last: NonNullable<RoomState['last']>, mine: boolean): PreviewPhrase {
  // A notice (a disappearing timer set) already says who did it.
  if (last.state === 'notice' && last.text !== null) {
    return { key: 'chat.preview.notice', values: { text: last.text.slice(0, PREVIEW_CHARS) } };
  }
  if (last.deleted) return { key: mine ? 'chat.preview.deletedMine' : 'chat.preview.deleted' };
  if (last.text !== null) {
    const text = last.text.replace(/\s+/g, ' ').slice(0, PREVIEW_CHARS);
    return { key: mine ? 'chat.preview.textMine' : 'chat.preview.text', values: { text } };
  }
  if (last.file !== null) {
    const name = last.file.name.slice(0, PREVIEW_CHARS);
    return { key: mine ? 'chat.preview.fileMine' : 'chat.preview.file', values: { name } };
  }
  return { key: 'chat.preview.unsupported' };
}
