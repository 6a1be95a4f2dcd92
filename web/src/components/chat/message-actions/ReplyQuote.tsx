'use client';

import type { ChatItem } from '@onionchat/client';
import { useMessageActions } from './MessageActionsContext';

const QUOTE_CHARS = 140;

/**
 * The message a reply answers, as this client holds it (never words the reply itself
 * says about it): pressing it shows the original. Deleted or not loaded says so.
 */
export function ReplyQuote({ item }: { item: ChatItem }) {
  const actions = useMessageActions();
  const reply = item.reply;
  if (!reply) return null;
  if (reply.state !== 'shown') {
    return (
      <p className="msg-quote msg-quote-missing" data-testid="reply-quote">
        {reply.state === 'deleted'
          ? 'Reply to a message that was deleted'
          : 'Reply to an earlier message that is not loaded here'}
      </p>
    );
  }
  const who = reply.senderId ? (actions?.nameOf(reply.senderId) ?? 'someone') : 'someone';
  const words = reply.text ?? (reply.fileName ? `File: ${reply.fileName}` : '');
  const short = words.length > QUOTE_CHARS ? `${words.slice(0, QUOTE_CHARS)}…` : words;
  return (
    <button
      type="button"
      className="msg-quote"
      data-testid="reply-quote"
      aria-label={`Reply to ${who}: ${short}. Show the original message.`}
      onClick={() => actions?.show(reply.ref.seq)}
    >
      <span className="msg-quote-from" aria-hidden="true">
        {who}
      </span>
      <span className="msg-quote-text" aria-hidden="true" dir="auto">
        {short}
      </span>
    </button>
  );
}
