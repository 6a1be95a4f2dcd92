'use client';

import { useLayoutEffect, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react';
import { AttachIcon, SendIcon } from './icons';
import { ErrorAlert } from '../ui';
import { MAX_TEXT_CHARS, characterCounter, describeError, type ChatSession } from '@onionchat/client';

interface ComposerProps {
  session: ChatSession;
  roomId: string;
  peerName: string;
  drafts: Map<string, string>;
  disabled: boolean;
  /** Sends files (picked, pasted or dropped); an error is shown here. */
  onFiles: (files: File[]) => void;
  /** Why the last files could not be sent. */
  fileError: string | null;
}

export function Composer({ session, roomId, peerName, drafts, disabled, onFiles, fileError }: ComposerProps) {
  const [text, setText] = useState(() => drafts.get(roomId) ?? '');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

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
      setError(describeError(caught));
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
    ref.current?.focus();
  }

  /** Pasting a file (a screenshot, say) sends it like a picked one. */
  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files];
    if (files.length === 0 || disabled) return;
    event.preventDefault();
    onFiles(files);
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

  const counter = characterCounter(text.length);

  return (
    <form className="composer" onSubmit={onSubmit} noValidate>
      {error || fileError ? <ErrorAlert message={error ?? fileError} className="compact-alert" /> : null}
      <div className="composer-row">
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          data-testid="file-input"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            // Cleared, so picking the same file again still counts as a change.
            event.target.value = '';
            if (files.length > 0) onFiles(files);
          }}
        />
        <button
          type="button"
          className="attach-button"
          disabled={disabled}
          aria-label="Attach files"
          title="Attach files (encrypted on this device before they are uploaded)"
          onClick={() => fileInput.current?.click()}
        >
          <AttachIcon />
        </button>
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
          onPaste={onPaste}
        />
        <button
          type="submit"
          className="send-button"
          disabled={disabled || text.trim().length === 0}
          aria-label="Send"
          title="Send (Enter)"
        >
          <SendIcon />
        </button>
      </div>
      <div className="composer-foot">
        <p id="composer-help" className="composer-help">
          <kbd>Enter</kbd> to send, <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line. Drop files here to send them
        </p>
        <p
          id="composer-counter"
          className={counter.warn ? 'composer-counter composer-counter-warn' : 'composer-counter'}
          hidden={!counter.show}
        >
          {counter.text}
        </p>
      </div>
    </form>
  );
}
