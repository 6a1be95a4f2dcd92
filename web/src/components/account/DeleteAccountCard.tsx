'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDescribeError } from '../../i18n/describe-error';
import { errorField, type FormField } from '@onionchat/client';
import { PassphraseField, ShowPassphrase } from '../PassphraseField';
import { ErrorAlert, Field, StatusMessage, useFocusOnError } from '../ui';
import { useKeystore } from '../../hooks/keystore';
import { loadPageClient } from '../../hooks/client';

interface DeleteAccountCardProps {
  /** Called just before the keys are cleared, so the page does not send the person to log in. */
  onLeaving: () => void;
}

/** The account's last section: deleting it for good, after the passphrase and the username typed out. */
export function DeleteAccountCard({ onLeaving }: DeleteAccountCardProps) {
  const { t } = useTranslation();
  const describeError = useDescribeError();
  const keystore = useKeystore();
  const router = useRouter();
  const [confirmation, setConfirmation] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [errorAt, setErrorAt] = useState<FormField | null>(null);
  const [attempt, setAttempt] = useState(0);
  useFocusOnError(errorAt === 'username' ? 'delete-confirm' : errorAt ? 'delete-passphrase' : null, error, attempt);

  const { user, identity, vault } = keystore;
  if (!user || !identity) return null;
  const account = user;
  const keys = identity;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    setBusy(true);
    setError(null);
    setErrorAt(null);
    try {
      const client = await loadPageClient();
      // Leaving each group takes the chat's verified group chains: a session just for this.
      const { startChat } = await import('@onionchat/client');
      const session = startChat(client, { user: account, identity: keys, vault, onSessionLost: () => {} });
      session.start();
      try {
        await client.deleteAccount({
          user: account,
          knownIdentity: keys,
          groups: session,
          passphrase,
          confirmation,
          onProgress: setProgress,
        });
      } finally {
        session.stop();
      }
      onLeaving();
      setPassphrase('');
      keystore.clear(t('account.delete.done'));
      router.replace('/');
    } catch (caught) {
      setProgress(null);
      setError(describeError(caught));
      setErrorAt(errorField(caught));
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="delete-account-title">
      <h2 id="delete-account-title">{t('account.delete.title')}</h2>
      <p className="muted" id="delete-account-what">
        {t('account.delete.explain')}
      </p>
      <form className="form" onSubmit={onSubmit} noValidate aria-describedby="delete-account-what">
        <Field
          id="delete-confirm"
          label={t('account.delete.confirmLabel', { name: account.username })}
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={confirmation}
          readOnly={busy}
          onChange={(changed) => setConfirmation(changed.target.value)}
          invalid={errorAt === 'username'}
        />
        <PassphraseField
          id="delete-passphrase"
          label={t('account.delete.passphrase')}
          autoComplete="current-password"
          visible={show}
          value={passphrase}
          readOnly={busy}
          onChange={setPassphrase}
          invalid={errorAt !== null && errorAt !== 'username'}
        />
        <ShowPassphrase checked={show} onChange={setShow} label={t('passphrase.show')} />
        <ErrorAlert message={error} />
        <StatusMessage message={progress} />
        <div className="form-actions">
          <button type="submit" className="button danger-solid" disabled={busy}>
            {busy ? t('account.delete.deleting') : t('account.delete.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
