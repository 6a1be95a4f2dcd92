// The line under a friend's name in the conversation list: the newest message, in short.

import type { RoomState } from '../chat/index.js';

/** How much of a message (or a file's name) the line shows. */
export const PREVIEW_CHARS = 120;

/**
 * "You: see you at 8", "Sent a file: photo.jpg", "No messages yet", or '' while the
 * conversation has not been loaded. `meId`: this account's user id.
 */
export function conversationPreview(state: Pick<RoomState, 'last' | 'loaded'> | undefined, meId: string): string {
  const last = state?.last ?? null;
  if (!last) return state?.loaded ? 'No messages yet' : '';
  if (last.state === 'unverified') return '⚠ Unverified message';
  const mine = last.senderId === meId;
  const line = content(last, mine);
  // A message the server delivered again or at the wrong time is not the newest word from
  // the sender: the list must not pass it off as an answer just given.
  if (!mine && last.flag)
    return `⚠ ${last.flag.kind === 'replayed' ? 'Delivered again' : 'Delivered at the wrong time'}: ${line}`;
  return line;
}

function content(last: NonNullable<RoomState['last']>, mine: boolean): string {
  // A notice (a disappearing timer set) already says who did it.
  if (last.state === 'notice' && last.text !== null) return last.text.slice(0, PREVIEW_CHARS);
  if (last.deleted) return mine ? 'You deleted a message' : 'A message was deleted';
  if (last.text !== null) return `${mine ? 'You: ' : ''}${last.text.replace(/\s+/g, ' ').slice(0, PREVIEW_CHARS)}`;
  if (last.file !== null) return `${mine ? 'You sent' : 'Sent'} a file: ${last.file.name.slice(0, PREVIEW_CHARS)}`;
  return 'Unsupported message';
}
