// New messages from others, as they arrive (for a live region, a "New messages"
// pill, notifications).

import type { ChatItem } from './items.js';

export type IncomingListener = (roomId: string, items: ChatItem[]) => void;

export class IncomingFeed {
  private readonly listeners = new Set<IncomingListener>();

  listen(listener: IncomingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tell(roomId: string, items: ChatItem[]): void {
    if (items.length === 0) return;
    for (const listener of this.listeners) listener(roomId, items);
  }

  clear(): void {
    this.listeners.clear();
  }
}
