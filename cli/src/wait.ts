// One-shot commands wait for the chat session to know enough (the friend list, a
// conversation's messages, a send's outcome). The session retries for ever (Tor
// circuits drop); a command gives up after a while and says why.

import type { ChatSession, ChatSnapshot } from '@onionchat/client';
import { CliError, EXIT } from './exit-codes.js';

/** How long a command waits for the service before calling it unreachable. */
export const WAIT_MS = 120_000;

/**
 * Resolves with the first non-undefined value `select` finds in a snapshot; `select`
 * may throw to stop waiting. Rejects with an "unreachable" error after `timeoutMs`.
 */
export function until<T>(
  chat: ChatSession,
  select: (snapshot: ChatSnapshot) => T | undefined,
  what: string,
  timeoutMs = WAIT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let finished = false;
    const finish = (outcome: () => void) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      outcome();
    };
    const check = () => {
      try {
        const value = select(chat.getSnapshot());
        if (value !== undefined) finish(() => resolve(value));
      } catch (error) {
        finish(() => reject(error as Error));
      }
    };
    const timer = setTimeout(() => {
      const snapshot = chat.getSnapshot();
      const why = snapshot.refusal ?? snapshot.error ?? 'no answer in time';
      finish(() => reject(new CliError(`Gave up waiting for ${what} (${why}).`, EXIT.unreachable)));
    }, timeoutMs);
    const unsubscribe = chat.subscribe(check);
    check();
  });
}

/** The friend list, once loaded. */
export function friendsLoaded(chat: ChatSession) {
  return until(chat, (snapshot) => snapshot.friends ?? undefined, 'the friend list');
}
