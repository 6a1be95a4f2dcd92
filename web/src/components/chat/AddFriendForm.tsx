'use client';

// The add-friend form: a username, or a pasted contact link (whose keys are checked and
// marked verified). A contact link opened as /chat/#add=… fills it in and asks first.

import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDescribeError } from '../../i18n/describe-error';
import { ErrorAlert, StatusMessage } from '../ui';
import { ModalDialog } from './ModalDialog';
import { QrScanner, type ScannedCode } from '../qr-scan/QrScanner';
import {
  LinkMismatchError,
  checkFriendEntry,
  linkConfirmation,
  linkInFragment,
  linkOutcomeNote,
  type ChatSession,
  type ContactLink,
  type User,
} from '@onionchat/client';

interface AddFriendFormProps {
  session: ChatSession | null;
  me: User;
  /** Adding from a link accepted their waiting request: open the new conversation. */
  onAccepted: (roomId: string) => void;
}

export function AddFriendForm({ session, me, onAccepted }: AddFriendFormProps) {
  const { t } = useTranslation();
  const describeError = useDescribeError();
  const [entry, setEntry] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** A link from the page's address, waiting for the person to confirm. */
  const [pending, setPending] = useState<ContactLink | null>(null);
  /** Why the server's keys were refused: a blocking alert. */
  const [refused, setRefused] = useState<string | null>(null);

  // The confirmation has said its piece after a while.
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(null), 8_000);
    return () => clearTimeout(timer);
  }, [done]);

  useLinkInAddress(me.username, (text, found) => {
    setEntry(text);
    if (found.ok && found.kind === 'link') setPending(found.link);
    else if (!found.ok) setError(found.error);
  });

  async function addLink(link: ContactLink) {
    if (!session) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await session.addFromLink(link);
      setEntry('');
      setDone(linkOutcomeNote(outcome));
      if (outcome.kind === 'accepted') onAccepted(outcome.roomId);
    } catch (caught) {
      if (caught instanceof LinkMismatchError) {
        setEntry('');
        setRefused(caught.message);
      } else {
        setError(describeError(caught));
        document.getElementById('friend-username')?.focus();
      }
    } finally {
      setBusy(false);
    }
  }

  /** A scanned contact link goes the way one opened in the address bar does: shown, then confirmed. */
  function onScanned({ text }: ScannedCode) {
    setDone(null);
    const check = checkFriendEntry(text, me.username);
    if (check.ok && check.kind === 'link') {
      setError(null);
      setEntry(text);
      setPending(check.link);
    } else {
      setError(check.ok ? t('chat.addFriend.notALink') : check.error);
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !session) return;
    setDone(null);
    const check = checkFriendEntry(entry, me.username);
    if (!check.ok) {
      setError(check.error);
      if (check.focusField) document.getElementById('friend-username')?.focus();
      return;
    }
    if (check.kind === 'link') return addLink(check.link);
    setBusy(true);
    setError(null);
    try {
      await session.requestFriend(check.name);
      setEntry('');
      setDone(t('chat.addFriend.sent', { name: check.name }));
    } catch (caught) {
      setError(describeError(caught));
      document.getElementById('friend-username')?.focus();
    } finally {
      setBusy(false);
    }
  }

  const asked = pending ? linkConfirmation(pending) : null;
  return (
    <form className="add-friend" data-testid="add-friend-form" onSubmit={onSubmit} noValidate>
      <label htmlFor="friend-username" className="sidebar-title">
        {t('chat.addFriend.title')}
      </label>
      <div className="inline-field">
        <input
          id="friend-username"
          name="friend-username"
          type="text"
          placeholder={t('chat.addFriend.placeholder')}
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          maxLength={400}
          value={entry}
          onChange={(event) => {
            setEntry(event.target.value);
            if (error) setError(null);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby="add-friend-error"
          readOnly={busy}
        />
        <button type="submit" className="button primary small" disabled={busy || !session} aria-busy={busy}>
          {busy ? t('chat.addFriend.sending') : t('chat.addFriend.add')}
        </button>
      </div>
      <div id="add-friend-error">
        <ErrorAlert message={error} className="compact-alert" />
      </div>
      {done ? <StatusMessage message={done} tone="success" /> : null}
      {session ? (
        <QrScanner label={t('chat.addFriend.scanLabel')} testId="add-friend-scan" onResult={onScanned} />
      ) : null}

      <ModalDialog
        open={asked !== null}
        title={asked?.title ?? ''}
        testId="contact-link-confirm"
        onCancel={() => setPending(null)}
        actions={
          <>
            <button type="button" className="button" data-autofocus onClick={() => setPending(null)}>
              {t('chat.confirm.cancel')}
            </button>
            <button
              type="button"
              className="button primary"
              disabled={!session}
              onClick={() => {
                const link = pending;
                setPending(null);
                if (link) void addLink(link);
              }}
            >
              {asked?.confirmLabel}
            </button>
          </>
        }
      >
        <p>{asked?.body}</p>
      </ModalDialog>

      <ModalDialog
        open={refused !== null}
        title={t('chat.addFriend.refusedTitle')}
        testId="contact-link-refused"
        alert
        onCancel={() => setRefused(null)}
        actions={
          <button type="button" className="button primary" data-autofocus onClick={() => setRefused(null)}>
            {t('chat.addFriend.understood')}
          </button>
        }
      >
        <p>{refused}</p>
      </ModalDialog>
    </form>
  );
}

/**
 * Reads a contact link from the page's address (now and when it changes), hands it
 * over once, and takes it out of the address so a reload does not ask again.
 */
function useLinkInAddress(
  myUsername: string,
  found: (text: string, check: NonNullable<ReturnType<typeof linkInFragment>>) => void,
) {
  const latest = useRef(found);
  latest.current = found;
  const read = useCallback(() => {
    const hash = window.location.hash;
    const check = linkInFragment(hash, myUsername);
    if (!check) return;
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    latest.current(`${window.location.origin}${window.location.pathname}${hash}`, check);
  }, [myUsername]);
  useEffect(() => {
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, [read]);
}
