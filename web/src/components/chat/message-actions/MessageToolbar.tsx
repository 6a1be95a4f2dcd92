'use client';

import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ChatItem } from '@onionchat/client';
import { QUICK_REACTIONS, actionable, useMessageActions } from './MessageActionsContext';
import './message-actions.css';

/**
 * The actions on one message: react (a row of emoji), reply, and for this account's
 * own messages edit (text only) and delete for everyone. Shown on hover and focus; one
 * Tab stop per message (React), the arrow keys move between its buttons.
 */
export function MessageToolbar({ item, senderName }: { item: ChatItem; senderName: string }) {
  const actions = useMessageActions();
  const [picking, setPicking] = useState(false);
  const pickerId = useId();
  const bar = useRef<HTMLDivElement>(null);
  if (!actions || !actionable(item)) return null;
  const canEdit = item.mine && item.text !== null && item.file === null;
  const mineNow = item.reactions?.find((reaction) => reaction.mine)?.emoji ?? null;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape' && picking) {
      event.stopPropagation();
      setPicking(false);
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
      aria-label={`Message actions for the message from ${senderName}`}
      data-testid="message-toolbar"
      onKeyDown={onKeyDown}
    >
      <button
        type="button"
        className="msg-tool"
        aria-expanded={picking}
        aria-controls={pickerId}
        aria-label="React"
        title="React"
        onClick={() => setPicking((open) => !open)}
      >
        <span aria-hidden="true">☺</span>
      </button>
      {picking ? (
        <div id={pickerId} className="msg-reaction-picker" role="group" aria-label="Reactions">
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              tabIndex={-1}
              className={emoji === mineNow ? 'msg-tool msg-tool-chosen' : 'msg-tool'}
              aria-pressed={emoji === mineNow}
              aria-label={`React with ${emoji}`}
              onClick={() => {
                setPicking(false);
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
        aria-label="Reply"
        title="Reply"
        onClick={() => actions.reply(item)}
      >
        <span aria-hidden="true">↩</span>
      </button>
      {canEdit ? (
        <button
          type="button"
          tabIndex={-1}
          className="msg-tool"
          aria-label="Edit"
          title="Edit"
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
          aria-label="Delete for everyone"
          title="Delete for everyone"
          onClick={() => actions.remove(item)}
        >
          <span aria-hidden="true">🗑</span>
        </button>
      ) : null}
    </div>
  );
}
