'use client';

// Search through the messages this tab holds. The core reads the decrypted timelines in
// memory on every keystroke; nothing is indexed, stored or sent. The results say which
// conversations were not searched, so "nothing found" is not taken for "not there".

import {
  MAX_QUERY_CHARS,
  formatActivity,
  formatFull,
  searchConversations,
  searchQueryProblem,
  type ListedConversation,
  type SearchHit,
  type SearchResults,
} from '@onionchat/client';
import { useDeferredValue, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useLocale } from '../../../i18n/use-locale';
import { ModalDialog } from '../ModalDialog';
import type { NameOf } from '../../../hooks/use-names';
import { Highlighted } from './Highlighted';
import './search.css';

interface SearchDialogProps {
  open: boolean;
  conversations: readonly ListedConversation[];
  nameOf: NameOf;
  onClose: () => void;
  /** A result was chosen: open its conversation at that message. */
  onPick: (roomId: string, key: string) => void;
}

export function SearchDialog({ open, conversations, nameOf, onClose, onPick }: SearchDialogProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const inputId = useId();
  const hintId = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const problem = searchQueryProblem(deferred);
  const results = useMemo(
    () => (open && !problem ? searchConversations(conversations, deferred) : null),
    [open, problem, conversations, deferred],
  );
  const searching = deferred.trim().length > 0;

  function close() {
    setQuery('');
    onClose();
  }

  /** Escape closes; ↓ from the field goes to the first result; ↑/↓ move between results, ↑ from the first back to the field. */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    // Escape in a search field only empties it (the dialog never hears it): here it closes.
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button[data-hit]') ?? [])];
    if (buttons.length === 0) return;
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    event.preventDefault();
    if (event.key === 'ArrowDown') buttons[Math.min(index + 1, buttons.length - 1)]?.focus();
    else if (index <= 0) document.getElementById(inputId)?.focus();
    else buttons[index - 1]?.focus();
  }

  return (
    <ModalDialog
      open={open}
      title={t('chat.sidebar.search')}
      className="search-dialog"
      testId="search-dialog"
      onCancel={close}
      actions={
        <button type="button" className="button" onClick={close}>
          {t('chat.safety.close')}
        </button>
      }
    >
      <div onKeyDown={onKeyDown}>
        <div className="field">
          <label htmlFor={inputId} className="visually-hidden">
            {t('chat.sidebar.search')}
          </label>
          <input
            id={inputId}
            type="search"
            className="search-input"
            placeholder={t('chat.sidebar.search')}
            autoComplete="off"
            spellCheck={false}
            // Room past the limit, so a pasted long text gets the sentence rather than being cut silently.
            maxLength={MAX_QUERY_CHARS * 2}
            aria-describedby={hintId}
            data-autofocus
            data-testid="search-input"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
        <p id={hintId} className="hint small">
          {t('chat.search.hint')}
        </p>
        <p className="visually-hidden" role="status" aria-live="polite" data-testid="search-status">
          {statusText(t, searching, problem, results)}
        </p>
        {problem ? (
          <p className="hint small" role="alert">
            {problem}
          </p>
        ) : null}
        <div ref={listRef} className="search-results" data-testid="search-results">
          {searching && results ? (
            <Results
              results={results}
              nameOf={nameOf}
              onPick={(roomId, key) => {
                setQuery('');
                onPick(roomId, key);
              }}
            />
          ) : null}
        </div>
      </div>
    </ModalDialog>
  );
}

function statusText(t: TFunction, searching: boolean, problem: string | null, results: SearchResults | null): string {
  if (problem || !searching || !results) return '';
  const { count, conversations, truncated } = results;
  if (count === 0) return t('chat.search.none');
  const values = {
    messages: t('chat.search.messages', { count }),
    where: t('chat.search.conversations', { count: conversations.length }),
  };
  return truncated ? t('chat.search.foundNewest', values) : t('chat.search.found', values);
}

function Results({
  results,
  nameOf,
  onPick,
}: {
  results: SearchResults;
  nameOf: NameOf;
  onPick: (roomId: string, key: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {results.count === 0 ? <p className="empty">{t('chat.search.none')}</p> : null}
      {results.conversations.map((conversation) => (
        <section
          key={conversation.roomId}
          className="search-group"
          data-testid="search-group"
          aria-label={conversation.title}
        >
          <h3 className="search-group-title">{conversation.title}</h3>
          <ul className="search-hits">
            {conversation.hits.map((hit) => (
              <li key={`${hit.key}:${hit.field}`}>
                <HitButton
                  hit={hit}
                  sender={hit.mine ? t('chat.conversation.you') : nameOf(hit.senderId)}
                  onPick={() => onPick(conversation.roomId, hit.key)}
                />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {results.truncated ? <p className="hint small">{t('chat.search.truncated', { count: results.count })}</p> : null}
      {results.unopened.length > 0 ? (
        <p className="hint small search-unsearched" data-testid="search-unopened">
          {t('chat.search.unopened', { names: names(results.unopened) })}
        </p>
      ) : null}
      {results.olderNotLoaded.length > 0 ? (
        <p className="hint small search-unsearched" data-testid="search-older">
          {t('chat.search.older', { names: names(results.olderNotLoaded) })}
        </p>
      ) : null}
    </>
  );
}

function names(refs: ReadonlyArray<{ title: string }>): string {
  return refs.map((ref) => ref.title).join(', ');
}

function HitButton({ hit, sender, onPick }: { hit: SearchHit; sender: string; onPick: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <button type="button" className="search-hit" data-hit data-testid="search-hit" onClick={onPick}>
      <span className="search-hit-top">
        <span className="search-hit-sender">{sender}</span>
        <time dateTime={new Date(hit.time).toISOString()} title={formatFull(hit.time, locale)}>
          {formatActivity(hit.time, undefined, locale)}
        </time>
      </span>
      <span className="search-hit-text" dir="auto">
        {hit.field === 'file' ? <span className="search-hit-kind">{t('chat.search.filePrefix')}</span> : null}
        <Highlighted snippet={hit.snippet} />
      </span>
    </button>
  );
}
