'use client';

import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatItem } from '@onionchat/client';
import { QUICK_REACTIONS, actionable, useMessageActions } from './MessageActionsContext';
import './message-actions.css';

/**
 * The actions on one message: react (a row of emoji), reply, and for this account's
 * own messages edit (text only) and delete for everyone. Shown on hover and focus; one
 * Tab stop per message (React), the arrow keys move between its buttons.
 */
export function MessageToolbar({ item, senderName }: { item: ChatItem; senderName: string }) {
  const { t } = useTranslation();
  const actions = useMessageActions();
  const [picking, setPicking] = useState(false);
  const pickerId = useId();
  const bar = useRef<HTMLDivElement>(null);
  // The picker's buttons disappear when it closes: the focus goes back to React, not to the page.
  const reactButton = useRef<HTMLButtonElement>(null);
  if (!actions || !actionable(item)) return null;
  const canEdit = item.mine && item.text !== null && item.file === null;
  const mineNow = item.reactions?.find((reaction) => reaction.mine)?.emoji ?? null;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape' && picking) {
      event.stopPropagation();
      setPicking(false);
      reactButton.current?.focus();
      return;
    }
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const buttons = [...(bar.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const forward = (event.key === 'ArrowRight') === (getComputedStyle(event.currentTarget).direction !== 'rtl');
    event.preventDefault();
    buttons[(index + (forward ? 1 : -1) + buttons.length) % buttons.length]?.focus();
  }

  return (
    <div
      ref={bar}
      className="msg-toolbar"
      role="toolbar"
      aria-label={t('chat.actions.toolbar', { name: senderName })}
      data-testid="message-toolbar"
      onKeyDown={onKeyDown}
    >
      <button
        ref={reactButton}
        type="button"
        className="msg-tool"
        aria-expanded={picking}
        aria-controls={pickerId}
        aria-label={t('chat.actions.react')}
        title={t('chat.actions.react')}
        onClick={() => setPicking((open) => !open)}
      >
        <span aria-hidden="true">☺</span>
      </button>
      {picking ? (
        <div id={pickerId} className="msg-reaction-picker" role="group" aria-label={t('chat.actions.reactions')}>
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              tabIndex={-1}
              className={emoji === mineNow ? 'msg-tool msg-tool-chosen' : 'msg-tool'}
              aria-pressed={emoji === mineNow}
              aria-label={t('chat.actions.reactWith', { emoji })}
              onClick={() => {
                setPicking(false);
                reactButton.current?.focus();
                actions.react(item, emoji);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      ) : null}
      <button
        type="button"
        tabIndex={-1}
        className="msg-tool"
        aria-label={t('chat.actions.reply')}
        title={t('chat.actions.reply')}
        onClick={() => actions.reply(item)}
      >
        <span aria-hidden="true">↩</span>
      </button>
      {canEdit ? (
        <button
          type="button"
          tabIndex={-1}
          className="msg-tool"
          aria-label={t('chat.actions.edit')}
          title={t('chat.actions.edit')}
          onClick={() => actions.edit(item)}
        >
          <span aria-hidden="true">✎</span>
        </button>
      ) : null}
      {item.mine ? (
        <button
          type="button"
          tabIndex={-1}
          className="msg-tool msg-tool-danger"
          aria-label={t('chat.actions.delete')}
          title={t('chat.actions.delete')}
          onClick={() => actions.remove(item)}
        >
          <span aria-hidden="true">🗑</span>
        </button>
      ) : null}
    </div>
  );
}
