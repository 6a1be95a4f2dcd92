'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckingRegistration } from './signup/CheckingRegistration';
import { InviteNeeded } from './signup/InviteNeeded';
import { NewAccountForm } from './signup/NewAccountForm';
import { useFocusOnError, type Feedback } from './ui';
import {
  sayPassphraseProblem,
  sayUsernameProblem,
  canonicalUsername,
  errorField,
  parseInviteToken,
  readInviter,
  afterSignupPath,
  type ContactLink,
  type FormField,
  type ServerConfig,
  confirmationFeedback,
  newPassphraseFeedback,
} from '@onionchat/client';
import { useDescribeError } from '../i18n/describe-error';
import { useKeystore } from '../hooks/keystore';
import { pageApi } from '../hooks/api';
import { loadPageClient, usePageCoreSoon } from '../hooks/client';
import { warmMessenger } from './chat/load-messenger';

type Registration = ServerConfig['registration'] | 'unknown';

export function SignupForm() {
  const keystore = useKeystore();
  const router = useRouter();
  const { t } = useTranslation();
  const describeError = useDescribeError();

  const [registration, setRegistration] = useState<Registration | null>(null);
  const [inviteToken, setInviteToken] = useState<string | null>(null);
  const [inviteInput, setInviteInput] = useState('');
  const [inviteInputError, setInviteInputError] = useState<string | null>(null);
  // Who made the invite (from=…&fp=…): offered as a verified contact once the account exists.
  const [inviter, setInviter] = useState<{ inviter: ContactLink | null; problem: string | null }>({
    inviter: null,
    problem: null,
  });

  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [touched, setTouched] = useState({ username: false, passphrase: false, confirm: false });

  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errorAt, setErrorAt] = useState<FormField | null>(null);
  const [attempt, setAttempt] = useState(0);
  useFocusOnError(errorAt, error, attempt);
  // The account flows and their cryptography: fetched while the person types.
  usePageCoreSoon();

  // The invite token rides in the URL fragment (#invite=...), which never reaches the server's logs.
  useEffect(() => {
    const read = () => {
      const token = parseInviteToken(window.location.hash);
      if (token) {
        setInviteToken(token);
        setInviter(readInviter(window.location.hash));
      }
    };
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, []);

  useEffect(() => {
    let cancelled = false;
    pageApi()
      .config()
      .then(
        (config) => {
          if (!cancelled) setRegistration(config.registration);
        },
        () => {
          // Can't tell: show the form and let the server decide.
          if (!cancelled) setRegistration('unknown');
        },
      );
    return () => {
      cancelled = true;
    };
  }, []);

  // Once the account exists, start chatting.
  useEffect(() => {
    if (keystore.status === 'unlocked' && done) router.replace(afterSignupPath(inviter.inviter));
  }, [keystore.status, done, router, inviter]);

  const canonical = canonicalUsername(username);
  const nameProblem = canonical.length > 0 ? sayUsernameProblem(canonical) : null;
  const phraseProblem = passphrase.length > 0 ? sayPassphraseProblem(passphrase, canonical) : null;
  const mismatch = confirm.length > 0 && confirm !== passphrase;

  const usernameFeedback: Feedback | null =
    touched.username && nameProblem
      ? { text: nameProblem, tone: 'bad' }
      : canonical.length > 0 && !nameProblem && canonical !== username
        ? { text: t('signup.appearAs', { name: canonical }), tone: 'neutral' }
        : null;
  const passphraseFeedback = newPassphraseFeedback(passphrase, phraseProblem, touched.passphrase);
  const confirmFeedback = confirmationFeedback(confirm, passphrase, touched.confirm);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setTouched({ username: true, passphrase: true, confirm: true });
    setAttempt((n) => n + 1);

    const fail = (message: string, field: FormField | null) => {
      setError(message);
      setErrorAt(field);
    };
    if (canonical.length === 0) return fail(t('signup.chooseUsername'), 'username');
    if (nameProblem) return fail(nameProblem, 'username');
    if (passphrase.length === 0) return fail(t('signup.choosePassphrase'), 'passphrase');
    if (phraseProblem) return fail(phraseProblem, 'passphrase');
    if (confirm !== passphrase) {
      return fail(t('signup.mismatch'), 'passphrase-confirm');
    }

    setBusy(true);
    setError(null);
    setErrorAt(null);
    // The chat is where this goes next: its chunk travels while the keys are made.
    warmMessenger();
    try {
      const { account } = await loadPageClient();
      const { user, identity, vault } = await account.signUp(username, passphrase, inviteToken, setProgress);
      keystore.unlocked(user, identity, vault);
      setProgress(t('signup.createdOpening'));
      setDone(true);
    } catch (caught) {
      setProgress(null);
      fail(describeError(caught), errorField(caught));
      setBusy(false);
    }
  }

  function onInviteSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const token = parseInviteToken(inviteInput);
    if (!token) {
      setInviteInputError(t('signup.notAnInvite'));
      return;
    }
    setInviteInputError(null);
    setInviteToken(token);
    setInviter(readInviter(inviteInput));
  }

  // With an invite in hand there is nothing to wait for: invites work in either mode.
  if (registration === null && !inviteToken) return <CheckingRegistration />;

  if (registration === 'invite' && !inviteToken) {
    return (
      <InviteNeeded value={inviteInput} error={inviteInputError} onChange={setInviteInput} onSubmit={onInviteSubmit} />
    );
  }

  const setters = { username: setUsername, passphrase: setPassphrase, confirm: setConfirm };

  return (
    <NewAccountForm
      invited={Boolean(inviteToken)}
      inviter={inviter}
      loggedInAs={keystore.user && keystore.status !== 'loading' && !busy && !done ? keystore.user.username : null}
      values={{ username, passphrase, confirm }}
      invalid={{
        username: (touched.username && nameProblem !== null) || errorAt === 'username',
        passphrase: (touched.passphrase && phraseProblem !== null) || errorAt === 'passphrase',
        confirm: (touched.confirm && mismatch) || errorAt === 'passphrase-confirm',
      }}
      feedback={{ username: usernameFeedback, passphrase: passphraseFeedback, confirm: confirmFeedback }}
      show={show}
      busy={busy}
      error={error}
      progress={progress}
      onChange={(input, value) => setters[input](value)}
      onBlur={(input) => setTouched((was) => ({ ...was, [input]: true }))}
      onShow={setShow}
      onSubmit={onSubmit}
    />
  );
}
