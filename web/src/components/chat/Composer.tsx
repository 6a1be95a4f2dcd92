'use client';

import { MAX_TEXT_CHARS } from '@onionchat/protocol';
import { useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { chatErrorMessage, type ChatSession } from '../../lib/chat';
import { ErrorAlert } from '../ui';

/** Show the character counter from this many characters before the limit. */
const COUNTER_FROM = MAX_TEXT_CHARS - 500;

interface ComposerProps {
  session: ChatSession;
  roomId: string;
  peerName: string;
  drafts: Map<string, string>;
  disabled: boolean;
}

export function Composer({ session, roomId, peerName, drafts, disabled }: ComposerProps) {
  const [text, setText] = useState(() => drafts.get(roomId) ?? '');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);

  // Grow with the text, up to a limit (then it scrolls).
  useLayoutEffect(() => {
    const area = ref.current;
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${area.scrollHeight + 2}px`;
  }, [text]);

  function update(value: string) {
    setText(value);
    if (value) drafts.set(roomId, value);
    else drafts.delete(roomId);
    if (error) setError(null);
  }

  function send() {
    if (disabled || text.trim().length === 0) return;
    try {
      session.send(roomId, text);
      update('');
    } catch (caught) {
      setError(chatErrorMessage(caught));
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
    ref.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.currentTarget.blur();
      return;
    }
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.nativeEvent.isComposing) return; // choosing a character in an input method
    event.preventDefault();
    send();
  }

  const length = text.length;
  const remaining = MAX_TEXT_CHARS - length;
  const showCounter = length >= COUNTER_FROM;

  return (
    <form className="composer" onSubmit={onSubmit} noValidate>
      {error ? <ErrorAlert message={error} className="compact-alert" /> : null}
      <div className="composer-row">
        <label htmlFor="composer" className="visually-hidden">
          Message to {peerName}
        </label>
        <textarea
          id="composer"
          ref={ref}
          rows={1}
          value={text}
          maxLength={MAX_TEXT_CHARS}
          placeholder={`Message ${peerName}`}
          enterKeyHint="send"
          autoComplete="off"
          aria-describedby="composer-help composer-counter"
          onChange={(event) => update(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          className="send-button"
          disabled={disabled || text.trim().length === 0}
          aria-label="Send"
          title="Send (Enter)"
        >
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M3 10 17 3.5 12.5 17l-2.3-5.2L3 10Z" fill="currentColor" />
          </svg>
        </button>
      </div>
      <div className="composer-foot">
        <p id="composer-help" className="composer-help">
          <kbd>Enter</kbd> to send, <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
        </p>
        <p
          id="composer-counter"
          className={remaining <= 100 ? 'composer-counter composer-counter-warn' : 'composer-counter'}
          hidden={!showCounter}
        >
          {showCounter ? `${remaining.toLocaleString('en-US')} character${remaining === 1 ? '' : 's'} left` : ''}
        </p>
      </div>
    </form>
  );
}
