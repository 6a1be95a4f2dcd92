'use client';

import type { ChatItem } from '@onionchat/client';
import { useTranslation } from 'react-i18next';
import { useMessageActions } from './MessageActionsContext';

const QUOTE_CHARS = 140;

/**
 * The message a reply answers, as this client holds it (never words the reply itself
 * says about it): pressing it shows the original. Deleted or not loaded says so.
 */
export function ReplyQuote({ item }: { item: ChatItem }) {
  const { t } = useTranslation();
  const actions = useMessageActions();
  const reply = item.reply;
  if (!reply) return null;
  if (reply.state !== 'shown') {
    return (
      <p className="msg-quote msg-quote-missing" data-testid="reply-quote">
        {reply.state === 'deleted' ? t('chat.actions.quoteDeleted') : t('chat.actions.quoteMissing')}
      </p>
    );
  }
  const someone = t('chat.actions.someone');
  const who = reply.senderId ? (actions?.nameOf(reply.senderId) ?? someone) : someone;
  const words = reply.text ?? (reply.fileName ? t('chat.composer.fileQuote', { name: reply.fileName }) : '');
  const short = words.length > QUOTE_CHARS ? `${words.slice(0, QUOTE_CHARS)}…` : words;
  return (
    <button
      type="button"
      className="msg-quote"
      data-testid="reply-quote"
      aria-label={t('chat.actions.quoteLabel', { name: who, text: short })}
      onClick={() => reply.key && actions?.show(reply.key)}
    >
      <span className="msg-quote-from" aria-hidden="true">
        {who}
      </span>{' '}
      <span className="msg-quote-text" aria-hidden="true" dir="auto">
        {short}
      </span>
    </button>
  );
}
