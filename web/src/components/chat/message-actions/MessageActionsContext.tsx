'use client';

import { createContext, useContext } from 'react';
import type { ChatItem } from '@onionchat/client';

/** What can be done with a message from its row; the conversation decides how. */
export interface MessageActions {
  reply(item: ChatItem): void;
  edit(item: ChatItem): void;
  /** Asks first: deleting for everyone cannot be undone. */
  remove(item: ChatItem): void;
  /** The same emoji again takes this account's reaction back. */
  react(item: ChatItem, emoji: string): void;
  /** Scrolls to a message (a reply's quote) by its item key and marks it for a moment. */
  show(key: string): void;
  /** Who someone is, in words ("You" for this account). */
  nameOf(userId: string): string;
}

export const MessageActionsContext = createContext<MessageActions | null>(null);

export function useMessageActions(): MessageActions | null {
  return useContext(MessageActionsContext);
}

/** The reactions offered with one press; any single emoji a member sends is shown. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

/** Actions need a message the server stored and this client verified (and not one deleted). */
export function actionable(item: ChatItem): boolean {
  return item.state === 'sent' && item.seq !== null && item.messageId !== null && !item.deleted;
}
