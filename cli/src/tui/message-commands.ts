// Acting on messages from the input line (PROTOCOL.md §21): the terminal has no pointer,
// so each command acts on the latest message it can: /reply and /react on the latest
// from someone else, /edit on this account's latest text, /delete on its latest message.

import type { ChatItem, RoomState } from '@onionchat/client';

/** Stored, verified and not deleted: what an action may name. */
function actionable(item: ChatItem): boolean {
  return item.state === 'sent' && item.seq !== null && item.messageId !== null && !item.deleted;
}

/** The latest message from someone else, or a sentence why there is none. */
export function latestFromOthers(room: RoomState | undefined): ChatItem {
  const item = [...(room?.items ?? [])].reverse().find((candidate) => !candidate.mine && actionable(candidate));
  if (!item) throw new Error('There is no message from someone else here to act on yet.');
  return item;
}

/** This account's latest message (text only for an edit), or a sentence why there is none. */
export function latestOwn(room: RoomState | undefined, textOnly: boolean): ChatItem {
  const item = [...(room?.items ?? [])]
    .reverse()
    .find((candidate) => candidate.mine && actionable(candidate) && (!textOnly || candidate.file === null));
  if (!item) {
    throw new Error(
      textOnly ? 'You have no sent text message here to edit.' : 'You have no sent message here to delete.',
    );
  }
  return item;
}
