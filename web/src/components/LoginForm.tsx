'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { PassphraseField, ShowPassphrase } from './PassphraseField';
import { ErrorAlert, Field, Loading, StatusMessage, useFocusOnError } from './ui';
import { errorField, type FormField } from '@onionchat/client';
import { useDescribeError } from '../i18n/describe-error';
import { useKeystore, useNotice } from '../hooks/keystore';
import { loadPageClient, loadPageCore, usePageCoreSoon } from '../hooks/client';
import { warmMessenger } from './chat/load-messenger';

export function LoginForm() {
  const keystore = useKeystore();
  const notice = useNotice();
  const router = useRouter();
  const { t } = useTranslation();
  const describeError = useDescribeError();

  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [errorAt, setErrorAt] = useState<FormField | null>(null);
  const [attempt, setAttempt] = useState(0);
  useFocusOnError(errorAt, error, attempt);
  // The account flows and their cryptography: fetched while the person types.
  usePageCoreSoon();

  const { status, user } = keystore;

  useEffect(() => {
    if (status !== 'unlocked') return;
    // Back to where the person was sent from (#next=/chat/...), else to the chat. (Unlocked
    // keys came through the page client, so it is here: this resolves at once.)
    let cancelled = false;
    void loadPageCore().then((core) => {
      if (!cancelled) router.replace(core.afterLoginPath(window.location.hash));
    });
    return () => {
      cancelled = true;
    };
  }, [status, router]);

  if (status === 'loading') {
    return (
      <div className="card js-only">
        <Loading label={t('login.checkingSession')} />
      </div>
    );
  }

  const unlocking = status === 'locked' && user !== null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    setBusy(true);
    setError(null);
    setErrorAt(null);
    try {
      const core = await loadPageCore();
      // Where this goes next is usually the chat: its chunk travels while the keys are derived.
      if (core.afterLoginPath(window.location.hash).startsWith('/chat/')) warmMessenger();
      const { account } = core.pageClient();
      const result =
        unlocking && user
          ? await account.unlock(user, passphrase, setProgress)
          : await account.logIn(username, passphrase, setProgress);
      setProgress(t('login.unlockedOpening'));
      keystore.unlocked(result.user, result.identity, result.vault);
    } catch (caught) {
      setProgress(null);
      setError(describeError(caught));
      setErrorAt(errorField(caught) ?? 'passphrase');
      setBusy(false);
    }
  }

  async function switchAccount() {
    if (busy) return;
    setBusy(true);
    setError(null);
    setProgress(t('login.loggingOut'));
    try {
      const { account } = await loadPageClient();
      await account.logOut();
      keystore.clear();
      setPassphrase('');
      setProgress(null);
    } catch (caught) {
      setProgress(null);
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card js-only">
      {unlocking ? (
        <>
          <h1>{t('login.unlockTitle')}</h1>
          <p className="lead">
            <Trans
              i18nKey="login.unlockLead"
              values={{ name: user.username }}
              components={{ b: <strong data-testid="unlock-username" dir="auto" /> }}
            />
          </p>
        </>
      ) : (
        <>
          <h1>{t('login.title')}</h1>
          <p className="lead">{t('login.lead')}</p>
        </>
      )}
      {notice ? <p className="notice">{notice}</p> : null}

      <form className="form" onSubmit={onSubmit} noValidate>
        {unlocking ? (
          // Tells password managers which account the passphrase belongs to.
          <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
        ) : (
          <Field
            id="username"
            label={t('login.username')}
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            maxLength={64}
            required
            value={username}
            readOnly={busy}
            onChange={(event) => setUsername(event.target.value)}
            invalid={errorAt === 'username'}
          />
        )}
        <PassphraseField
          id="passphrase"
          label={t('login.passphrase')}
          autoComplete="current-password"
          visible={show}
          value={passphrase}
          readOnly={busy}
          onChange={setPassphrase}
          invalid={errorAt === 'passphrase'}
        />
        <ShowPassphrase checked={show} onChange={setShow} />

        <ErrorAlert message={error} />
        <StatusMessage message={progress} />

        <div className="form-actions">
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy
              ? t(unlocking ? 'login.unlocking' : 'login.loggingIn')
              : t(unlocking ? 'login.unlock' : 'login.submit')}
          </button>
          {unlocking ? (
            <button type="button" className="button ghost wide" onClick={switchAccount} disabled={busy}>
              {t('login.differentAccount')}
            </button>
          ) : null}
        </div>
      </form>

      {unlocking ? null : (
        <>
          <details className="disclosure">
            <summary>{t('login.forgotTitle')}</summary>
            <p>{t('login.forgotText')}</p>
          </details>
          <p className="form-footer">
            <Trans i18nKey="login.newHere" components={{ a: <Link href="/signup/" /> }} />
          </p>
        </>
      )}
    </div>
  );
}
