'use client';

import { passphraseProblem, usernameProblem } from '@onionchat/protocol';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { canonicalUsername, errorField, errorMessage, parseInviteToken, signUp, type FormField } from '../lib/account';
import { api, type ServerConfig } from '../lib/api';
import { useKeystore } from '../lib/keystore';
import { confirmationFeedback, newPassphraseFeedback } from '../lib/passphrase-feedback';
import { ErrorAlert, Field, ShowPassphrase, StatusMessage, useFocusOnError, type Feedback, VERBATIM_INPUT } from './ui';

type Registration = ServerConfig['registration'] | 'unknown';

export function SignupForm() {
  const keystore = useKeystore();
  const router = useRouter();

  const [registration, setRegistration] = useState<Registration | null>(null);
  const [inviteToken, setInviteToken] = useState<string | null>(null);
  const [inviteInput, setInviteInput] = useState('');
  const [inviteInputError, setInviteInputError] = useState<string | null>(null);

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

  // The invite token rides in the URL fragment (#invite=...), which never reaches the server's logs.
  useEffect(() => {
    const read = () => {
      const token = parseInviteToken(window.location.hash);
      if (token) setInviteToken(token);
    };
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.config().then(
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
    if (keystore.status === 'unlocked' && done) router.replace('/chat/');
  }, [keystore.status, done, router]);

  const canonical = canonicalUsername(username);
  const nameProblem = canonical.length > 0 ? usernameProblem(canonical) : null;
  const phraseProblem = passphrase.length > 0 ? passphraseProblem(passphrase, canonical) : null;
  const mismatch = confirm.length > 0 && confirm !== passphrase;

  const usernameFeedback: Feedback | null =
    touched.username && nameProblem
      ? { text: nameProblem, tone: 'bad' }
      : canonical.length > 0 && !nameProblem && canonical !== username
        ? { text: `You will appear as “${canonical}”.`, tone: 'neutral' }
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
    if (canonical.length === 0) return fail('Choose a username.', 'username');
    if (nameProblem) return fail(nameProblem, 'username');
    if (passphrase.length === 0) return fail('Choose a passphrase.', 'passphrase');
    if (phraseProblem) return fail(phraseProblem, 'passphrase');
    if (confirm !== passphrase) {
      return fail("The two passphrases don't match. Type it again.", 'passphrase-confirm');
    }

    setBusy(true);
    setError(null);
    setErrorAt(null);
    try {
      const { user, identity, vault } = await signUp(username, passphrase, inviteToken, setProgress);
      keystore.unlocked(user, identity, vault);
      setProgress('Account created. Opening your conversations…');
      setDone(true);
    } catch (caught) {
      setProgress(null);
      fail(errorMessage(caught), errorField(caught));
      setBusy(false);
    }
  }

  function onInviteSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const token = parseInviteToken(inviteInput);
    if (!token) {
      setInviteInputError("That doesn't look like an invite link. It should contain “#invite=”.");
      return;
    }
    setInviteInputError(null);
    setInviteToken(token);
  }

  // With an invite in hand there is nothing to wait for: invites work in either mode.
  if (registration === null && !inviteToken) {
    return (
      <div className="card js-only" aria-busy="true">
        <h1>Create your account</h1>
        <p className="muted">Checking how sign-up works on this server…</p>
      </div>
    );
  }

  if (registration === 'invite' && !inviteToken) {
    return (
      <div className="card js-only">
        <h1>Invite needed</h1>
        <p>
          Registration on this OnionChat server is <strong>invite-only</strong>. Ask someone who already has an account
          to create an invite link for you on their account page, then open that link in Tor Browser.
        </p>
        <form className="form compact" onSubmit={onInviteSubmit} noValidate>
          <Field
            id="invite"
            label="Already have an invite link? Paste it here"
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            value={inviteInput}
            onChange={(event) => setInviteInput(event.target.value)}
            invalid={inviteInputError !== null}
          />
          <ErrorAlert message={inviteInputError} />
          <div className="form-actions">
            <button type="submit" className="button">
              Use invite
            </button>
          </div>
        </form>
        <p className="form-footer">
          Already have an account? <Link href="/login/">Log in</Link>
        </p>
      </div>
    );
  }

  const inputType = show ? 'text' : 'password';

  return (
    <div className="card js-only">
      <h1>Create your account</h1>
      {inviteToken ? (
        <p className="badge-line">
          <span className="badge badge-good">Invite link</span>
          <span className="muted">You were invited: this link can be used once.</span>
        </p>
      ) : null}
      {keystore.user && keystore.status !== 'loading' && !busy && !done ? (
        <p className="muted small">
          This browser is logged in as <strong>{keystore.user.username}</strong>. Creating a new account logs you in as
          the new account instead.
        </p>
      ) : null}

      <form className="form" onSubmit={onSubmit} noValidate aria-describedby="signup-warning">
        <Field
          id="username"
          label="Username"
          hint="3 to 32 characters: letters, digits and _; start with a letter. Others find you by it."
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
          onBlur={() => setTouched((t) => ({ ...t, username: true }))}
          invalid={(touched.username && nameProblem !== null) || errorAt === 'username'}
          feedback={usernameFeedback}
        />
        <Field
          id="passphrase"
          label="Passphrase"
          hint="At least 12 characters. A few unrelated words are easy to remember and hard to guess."
          type={inputType}
          autoComplete="new-password"
          {...VERBATIM_INPUT}
          value={passphrase}
          readOnly={busy}
          onChange={(event) => setPassphrase(event.target.value)}
          onBlur={() => setTouched((t) => ({ ...t, passphrase: true }))}
          invalid={(touched.passphrase && phraseProblem !== null) || errorAt === 'passphrase'}
          feedback={passphraseFeedback}
        />
        <Field
          id="passphrase-confirm"
          label="Confirm passphrase"
          type={inputType}
          autoComplete="new-password"
          {...VERBATIM_INPUT}
          value={confirm}
          readOnly={busy}
          onChange={(event) => setConfirm(event.target.value)}
          onBlur={() => setTouched((t) => ({ ...t, confirm: true }))}
          invalid={(touched.confirm && mismatch) || errorAt === 'passphrase-confirm'}
          feedback={confirmFeedback}
        />
        <ShowPassphrase checked={show} onChange={setShow} />

        <div className="callout callout-warn" id="signup-warning">
          <h2>Your passphrase cannot be recovered</h2>
          <p>
            There is no “forgot passphrase” button. Your passphrase never leaves this browser, so the server never has
            it and nobody can reset it for you. If you lose it, the account and its keys are gone for good. Write it
            down somewhere safe.
          </p>
        </div>

        <ErrorAlert message={error} />
        <StatusMessage message={progress} />

        <div className="form-actions">
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Creating account…' : 'Create account'}
          </button>
        </div>
      </form>
      <p className="form-footer">
        Already have an account? <Link href="/login/">Log in</Link>
      </p>
    </div>
  );
}
