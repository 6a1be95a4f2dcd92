'use client';

import { useTranslation } from 'react-i18next';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { PassphraseField, ShowPassphrase } from './PassphraseField';
import { ErrorAlert, Loading, StatusMessage, useFocusOnError } from './ui';
import {
  sayPassphraseProblem,
  errorField,
  type FormField,
  confirmationFeedback,
  newPassphraseFeedback,
} from '@onionchat/client';
import { useDescribeError } from '../i18n/describe-error';
import { useKeystore } from '../hooks/keystore';
import { loadPageClient, usePageCoreSoon } from '../hooks/client';

export function ChangePassphraseForm() {
  const keystore = useKeystore();
  const router = useRouter();
  const { t } = useTranslation();
  const describeError = useDescribeError();
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
        <Loading label={status === 'loading' ? t('account.loading') : t('account.redirecting')} />
      </div>
    );
  }
  const account = user;

  const problem = next.length > 0 ? sayPassphraseProblem(next, account.username) : null;
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
    if (current.length === 0) return fail(t('passphraseChange.enterCurrent'), 'current-passphrase');
    if (next.length === 0) return fail(t('passphraseChange.chooseNew'), 'new-passphrase');
    if (problem) return fail(problem, 'new-passphrase');
    if (confirm !== next) {
      return fail(t('passphraseChange.mismatch'), 'new-passphrase-confirm');
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
        text: t('passphraseChange.changed'),
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
          <span aria-hidden="true">← </span>
          {t('passphraseChange.back')}
        </Link>
      </p>
      <h1>{t('passphraseChange.title')}</h1>
      <p className="lead">{t('passphraseChange.lead')}</p>

      <form className="form" onSubmit={onSubmit} noValidate>
        {/* Lets password managers know which account this is for. */}
        <input type="text" name="username" autoComplete="username" value={account.username} readOnly hidden />
        <PassphraseField
          id="current-passphrase"
          label={t('passphraseChange.current')}
          autoComplete="current-password"
          visible={show}
          value={current}
          readOnly={busy}
          onChange={setCurrent}
          invalid={errorAt === 'current-passphrase'}
        />
        <PassphraseField
          id="new-passphrase"
          label={t('passphraseChange.new')}
          hint={t('passphraseChange.newHint')}
          autoComplete="new-password"
          visible={show}
          value={next}
          readOnly={busy}
          onChange={setNext}
          onBlur={() => setTouched((was) => ({ ...was, next: true }))}
          invalid={(touched.next && problem !== null) || errorAt === 'new-passphrase'}
          feedback={nextFeedback}
        />
        <PassphraseField
          id="new-passphrase-confirm"
          label={t('passphraseChange.confirm')}
          autoComplete="new-password"
          visible={show}
          value={confirm}
          readOnly={busy}
          onChange={setConfirm}
          onBlur={() => setTouched((was) => ({ ...was, confirm: true }))}
          invalid={(touched.confirm && mismatch) || errorAt === 'new-passphrase-confirm'}
          feedback={confirmFeedback}
        />
        <ShowPassphrase checked={show} onChange={setShow} label={t('passphraseChange.show')} />

        <div className="callout callout-warn">
          <p>{t('passphraseChange.warning')}</p>
        </div>

        <ErrorAlert message={error} />
        <StatusMessage message={message?.text ?? null} tone={message?.tone ?? 'progress'} />

        <div className="form-actions">
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? t('passphraseChange.changing') : t('passphraseChange.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
