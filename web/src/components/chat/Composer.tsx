'use client';

import { useLayoutEffect, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { AttachIcon, SendIcon } from './icons';
import { useDescribeError } from '../../i18n/describe-error';
import { formatNumber } from '../../i18n/format';
import { useLocale } from '../../i18n/use-locale';
import { ErrorAlert } from '../ui';
import { MAX_TEXT_CHARS, characterCounter, type ChatItem, type ChatSession } from '@onionchat/client';

/** What the next send does besides sending: answer a message, or replace the text of one. */
export interface ComposerTarget {
  kind: 'reply' | 'edit';
  item: ChatItem;
  /** Whose message, in words. */
  senderName: string;
}

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
  /** A message being answered or edited, or null. */
  target?: ComposerTarget | null;
  onClearTarget?: () => void;
}

export function Composer({
  session,
  roomId,
  peerName,
  drafts,
  disabled,
  onFiles,
  fileError,
  target = null,
  onClearTarget,
}: ComposerProps) {
  const { t } = useTranslation();
  const describeError = useDescribeError();
  const locale = useLocale();
  const [text, setText] = useState(() => drafts.get(roomId) ?? '');
  const editing = target?.kind === 'edit' ? target.item : null;
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
    // An edit in progress is not the draft.
    if (!editing) {
      if (value) drafts.set(roomId, value);
      else drafts.delete(roomId);
    }
    if (error) setError(null);
  }

  // Editing starts from the message's text; leaving the edit gives the draft back.
  useLayoutEffect(() => {
    if (!editing) return;
    const draft = drafts.get(roomId) ?? '';
    setText(editing.text ?? '');
    ref.current?.focus();
    return () => setText(draft);
  }, [editing, drafts, roomId]);

  useLayoutEffect(() => {
    if (target?.kind === 'reply') ref.current?.focus();
  }, [target]);

  function send() {
    if (disabled || text.trim().length === 0) return;
    try {
      if (editing) {
        session.edit(roomId, editing, text);
        onClearTarget?.();
        return;
      }
      session.send(roomId, text, target?.kind === 'reply' ? target.item : null);
      update('');
      onClearTarget?.();
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
      if (target) onClearTarget?.();
      else event.currentTarget.blur();
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
      {target ? <TargetBar target={target} onClear={() => onClearTarget?.()} /> : null}
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
          aria-label={t('chat.composer.attach')}
          title={t('chat.composer.attachTitle')}
          onClick={() => fileInput.current?.click()}
        >
          <AttachIcon />
        </button>
        <label htmlFor="composer" className="visually-hidden">
          {t('chat.composer.label', { name: peerName })}
        </label>
        <textarea
          id="composer"
          ref={ref}
          rows={1}
          value={text}
          maxLength={MAX_TEXT_CHARS}
          placeholder={t('chat.composer.placeholder', { name: peerName })}
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
          aria-label={editing ? t('chat.composer.saveEdit') : t('chat.composer.send')}
          title={editing ? t('chat.composer.saveEditTitle') : t('chat.composer.sendTitle')}
        >
          <SendIcon />
        </button>
      </div>
      <div className="composer-foot">
        <p id="composer-help" className="composer-help">
          <Trans i18nKey="chat.composer.help" components={{ kbd: <kbd /> }} />
        </p>
        <p
          id="composer-counter"
          className={counter.warn ? 'composer-counter composer-counter-warn' : 'composer-counter'}
          hidden={!counter.show}
        >
          {counter.show
            ? t('chat.composer.charsLeft', {
                count: MAX_TEXT_CHARS - text.length,
                n: formatNumber(MAX_TEXT_CHARS - text.length, locale),
              })
            : ''}
        </p>
      </div>
    </form>
  );
}

const QUOTE_CHARS = 80;

/** "Replying to bob: …" or "Editing your message", with a way out (✕ or Escape). */
function TargetBar({ target, onClear }: { target: ComposerTarget; onClear: () => void }) {
  const { t } = useTranslation();
  const words =
    target.item.text ?? (target.item.file ? t('chat.composer.fileQuote', { name: target.item.file.name }) : '');
  const short = words.length > QUOTE_CHARS ? `${words.slice(0, QUOTE_CHARS)}…` : words;
  return (
    <div className="composer-target" data-testid="composer-target" role="status">
      <p>
        <strong>
          {target.kind === 'edit'
            ? t('chat.composer.editing')
            : t('chat.composer.replying', { name: target.senderName })}
        </strong>
        {target.kind === 'reply' ? (
          <span className="composer-target-text" dir="auto">
            {' '}
            {short}
          </span>
        ) : null}
      </p>
      <button
        type="button"
        className="icon-button"
        aria-label={target.kind === 'edit' ? t('chat.composer.cancelEdit') : t('chat.composer.cancelReply')}
        title={t('chat.composer.cancelTitle')}
        onClick={onClear}
      >
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  );
}
