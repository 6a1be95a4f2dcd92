'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { PassphraseField, ShowPassphrase } from './PassphraseField';
import { ErrorAlert, Loading, StatusMessage, useFocusOnError } from './ui';
import {
  passphraseProblem,
  errorField,
  describeError,
  type FormField,
  confirmationFeedback,
  newPassphraseFeedback,
} from '@onionchat/client';
import { useKeystore } from '../hooks/keystore';
import { loadPageClient, usePageCoreSoon } from '../hooks/client';

export function ChangePassphraseForm() {
  const keystore = useKeystore();
  const router = useRouter();
  const { status, user, identity } = keystore;

  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [touched, setTouched] = useState({ next: false, confirm: false });

  const [busy, setBusy] = useState(false);
  const [message, setStatus] = useState<{ text: string; tone: 'progress' | 'success' } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [errorAt, setErrorAt] = useState<FormField | null>(null);
  const [attempt, setAttempt] = useState(0);
  useFocusOnError(errorAt, error, attempt);
  // The account flows and their cryptography: fetched while the person types.
  usePageCoreSoon();

  // Changing the passphrase only needs a session: it opens the sealed keys itself.
  useEffect(() => {
    if (status === 'anonymous') router.replace('/login/');
  }, [status, router]);

  if (status === 'loading' || status === 'anonymous' || !user) {
    return (
      <div className="card js-only">
        <Loading label={status === 'loading' ? 'Loading your account…' : 'Redirecting to log in…'} />
      </div>
    );
  }
  const account = user;

  const problem = next.length > 0 ? passphraseProblem(next, account.username) : null;
  const mismatch = confirm.length > 0 && confirm !== next;

  const nextFeedback = newPassphraseFeedback(next, problem, touched.next);
  const confirmFeedback = confirmationFeedback(confirm, next, touched.confirm);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setTouched({ next: true, confirm: true });
    setAttempt((n) => n + 1);
    const fail = (message: string, field: FormField | null) => {
      setStatus(null);
      setError(message);
      setErrorAt(field);
    };
    if (current.length === 0) return fail('Enter your current passphrase.', 'current-passphrase');
    if (next.length === 0) return fail('Choose a new passphrase.', 'new-passphrase');
    if (problem) return fail(problem, 'new-passphrase');
    if (confirm !== next) {
      return fail("The two new passphrases don't match. Type it again.", 'new-passphrase-confirm');
    }

    setBusy(true);
    setError(null);
    setErrorAt(null);
    try {
      const client = await loadPageClient();
      const result = await client.account.changePassphrase(account, identity, current, next, (text) =>
        setStatus({ text, tone: 'progress' }),
      );
      keystore.unlocked(result.user, result.identity, result.vault);
      setCurrent('');
      setNext('');
      setConfirm('');
      setTouched({ next: false, confirm: false });
      setStatus({
        text: 'Passphrase changed. Every other session has been logged out; use the new passphrase from now on.',
        tone: 'success',
      });
    } catch (caught) {
      fail(describeError(caught), errorField(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card js-only">
      <p className="back-link">
        <Link href="/account/">
          <span aria-hidden="true">← </span>Back to your account
        </Link>
      </p>
      <h1>Change passphrase</h1>
      <p className="lead">
        Your keys stay the same, so your contacts won&apos;t notice anything. They are re-sealed with the new passphrase
        here in the browser, and every other session is logged out.
      </p>

      <form className="form" onSubmit={onSubmit} noValidate>
        {/* Lets password managers know which account this is for. */}
        <input type="text" name="username" autoComplete="username" value={account.username} readOnly hidden />
        <PassphraseField
          id="current-passphrase"
          label="Current passphrase"
          autoComplete="current-password"
          visible={show}
          value={current}
          readOnly={busy}
          onChange={setCurrent}
          invalid={errorAt === 'current-passphrase'}
        />
        <PassphraseField
          id="new-passphrase"
          label="New passphrase"
          hint="At least 12 characters. A few unrelated words work well."
          autoComplete="new-password"
          visible={show}
          value={next}
          readOnly={busy}
          onChange={setNext}
          onBlur={() => setTouched((t) => ({ ...t, next: true }))}
          invalid={(touched.next && problem !== null) || errorAt === 'new-passphrase'}
          feedback={nextFeedback}
        />
        <PassphraseField
          id="new-passphrase-confirm"
          label="Confirm new passphrase"
          autoComplete="new-password"
          visible={show}
          value={confirm}
          readOnly={busy}
          onChange={setConfirm}
          onBlur={() => setTouched((t) => ({ ...t, confirm: true }))}
          invalid={(touched.confirm && mismatch) || errorAt === 'new-passphrase-confirm'}
          feedback={confirmFeedback}
        />
        <ShowPassphrase checked={show} onChange={setShow} label="Show passphrases" />

        <div className="callout callout-warn">
          <p>As before, nobody can recover this passphrase for you. Store it somewhere safe before you continue.</p>
        </div>

        <ErrorAlert message={error} />
        <StatusMessage message={message?.text ?? null} tone={message?.tone ?? 'progress'} />

        <div className="form-actions">
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Changing passphrase…' : 'Change passphrase'}
          </button>
        </div>
      </form>
    </div>
  );
}
