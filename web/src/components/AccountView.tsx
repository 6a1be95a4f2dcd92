'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  createInvite,
  endSession,
  errorMessage,
  listInvites,
  listSessions,
  logOut,
  logOutEverywhere,
  revokeInvite,
} from '../lib/account';
import type { Invite, Session } from '../lib/api';
import { formatDate, formatDateTime, formatRelative, isPast } from '../lib/format';
import { useKeystore } from '../lib/keystore';
import { ErrorAlert, Loading } from './ui';

type Section = 'sessions' | 'invites';

interface SectionError {
  section: Section;
  message: string;
}

export function AccountView() {
  const keystore = useKeystore();
  const router = useRouter();
  const { status, user, fingerprint } = keystore;

  // Set while logging out, so the "not unlocked → go to /login/" redirect stays quiet.
  const leaving = useRef(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<SectionError | null>(null);

  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [created, setCreated] = useState<{ id: string; link: string; expiresAt: string } | null>(null);
  const [copyNote, setCopyNote] = useState('');
  const linkRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (leaving.current) return;
    if (status === 'anonymous' || status === 'locked')
      router.replace(`/login/#next=${encodeURIComponent('/account/')}`);
  }, [status, router]);

  const loadSessions = useCallback(async () => {
    try {
      setSessions(await listSessions());
    } catch (caught) {
      setError({ section: 'sessions', message: errorMessage(caught) });
    }
  }, []);

  const loadInvites = useCallback(async () => {
    try {
      setInvites(await listInvites());
    } catch (caught) {
      setError({ section: 'invites', message: errorMessage(caught) });
    }
  }, []);

  useEffect(() => {
    if (status !== 'unlocked') return;
    void loadSessions();
    void loadInvites();
  }, [status, loadSessions, loadInvites]);

  if (status !== 'unlocked' || !user || !fingerprint) {
    return (
      <div className="card js-only">
        <Loading label={status === 'loading' ? 'Loading your account…' : 'Redirecting to log in…'} />
      </div>
    );
  }

  /** Runs one action at a time; errors land in the section the action belongs to. */
  async function run(label: string, section: Section, action: () => Promise<void>) {
    if (busy) return;
    setBusy(label);
    setError(null);
    try {
      await action();
    } catch (caught) {
      leaving.current = false;
      setError({ section, message: errorMessage(caught) });
    } finally {
      setBusy(null);
    }
  }

  const onLogOut = () =>
    run('logout', 'sessions', async () => {
      leaving.current = true;
      await logOut();
      keystore.clear('You have been logged out. Your keys were removed from this tab.');
      router.replace('/');
    });

  const onLogOutEverywhere = () =>
    run('logout-all', 'sessions', async () => {
      leaving.current = true;
      const done = await logOutEverywhere();
      keystore.clear(
        done
          ? 'You have been logged out on every device.'
          : 'Your session had already ended, so other devices could not be logged out from here. Log in again to do that.',
      );
      router.replace('/');
    });

  const onEndSession = (session: Session) =>
    run(`end:${session.id}`, 'sessions', async () => {
      await endSession(session.id);
      await loadSessions();
    });

  const onCreateInvite = () =>
    run('invite', 'invites', async () => {
      const result = await createInvite();
      setCopyNote('');
      setCreated({ id: result.invite.id, link: result.link, expiresAt: result.invite.expiresAt });
      await loadInvites();
    });

  const onRevoke = (invite: Invite) =>
    run(`revoke:${invite.id}`, 'invites', async () => {
      await revokeInvite(invite.id);
      if (created?.id === invite.id) setCreated(null);
      await loadInvites();
    });

  async function onCopy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.link);
      setCopyNote('Copied to the clipboard.');
    } catch {
      const element = linkRef.current;
      const selection = window.getSelection();
      if (element && selection) {
        const range = document.createRange();
        range.selectNodeContents(element);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopyNote('The link is selected: press Ctrl+C (or ⌘C) to copy it.');
    }
  }

  const sortedSessions = sessions
    ? [...sessions].sort(
        (a, b) => Number(b.current) - Number(a.current) || Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt),
      )
    : null;
  const sortedInvites = invites ? [...invites].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)) : null;

  return (
    <div className="stack js-only">
      <p className="back-link back-link-flush">
        <Link href="/chat/">
          <span aria-hidden="true">← </span>Back to your conversations
        </Link>
      </p>
      <section className="card profile-card" aria-labelledby="profile-title">
        <h1 id="profile-title" className="visually-hidden">
          Your account
        </h1>
        <div className="profile">
          <span className="avatar avatar-lg" aria-hidden="true">
            {user.username.slice(0, 1).toUpperCase()}
          </span>
          <div className="profile-text">
            <p className="eyebrow">Your account</p>
            <p className="profile-name" data-testid="account-username">
              {user.username}
            </p>
            <p className="muted small">
              Member since <time dateTime={user.createdAt}>{formatDate(user.createdAt)}</time>
            </p>
          </div>
          <Link href="/account/passphrase/" className="button profile-action">
            Change passphrase
          </Link>
        </div>

        <div className="fingerprint-block">
          <h2 className="h3">Public key fingerprint</h2>
          <code className="fingerprint" data-testid="fingerprint">
            {fingerprint}
          </code>
          <p className="hint">
            Compare this with what your contacts see for you, in person or over another channel. If it matches, nobody
            is sitting in the middle.
          </p>
        </div>
      </section>

      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p className="muted">
          Browsers where you are logged in. Changing your passphrase ends all of them except this one.
        </p>
        {sortedSessions === null ? (
          error?.section === 'sessions' ? null : (
            <Loading label="Loading sessions…" />
          )
        ) : (
          <ul className="list">
            {sortedSessions.map((session) => (
              <li key={session.id} className="list-item">
                <div className="list-text">
                  <p className="list-title">
                    {session.current ? (
                      <span className="badge badge-good">This device</span>
                    ) : (
                      <span className="badge">Other browser</span>
                    )}
                    <span>
                      Logged in <time dateTime={session.createdAt}>{formatDateTime(session.createdAt)}</time>
                    </span>
                  </p>
                  <p className="muted small">
                    Last active {formatRelative(session.lastSeenAt)} · expires {formatRelative(session.expiresAt)}
                  </p>
                </div>
                {session.current ? null : (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => onEndSession(session)}
                    disabled={busy !== null}
                    aria-label={`End session from ${formatDateTime(session.createdAt)}`}
                  >
                    {busy === `end:${session.id}` ? 'Ending…' : 'End'}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {error?.section === 'sessions' ? <ErrorAlert message={error.message} className="section-alert" /> : null}
        <div className="actions-row">
          <button type="button" className="button" onClick={onLogOut} disabled={busy !== null}>
            Log out
          </button>
          <button type="button" className="button danger" onClick={onLogOutEverywhere} disabled={busy !== null}>
            Log out everywhere
          </button>
        </div>
        <p className="hint">
          Logging out removes your keys from this tab. “Log out everywhere” also ends every other session, on every
          device.
        </p>
      </section>

      <section className="card" aria-labelledby="invites-title">
        <div className="section-head">
          <h2 id="invites-title">Invites</h2>
          <button type="button" className="button primary" onClick={onCreateInvite} disabled={busy !== null}>
            Create invite link
          </button>
        </div>
        <p className="muted">
          Invite someone you trust. Each link works once and expires after a while. Send it over a private channel:
          anyone holding it can use it.
        </p>

        {created ? (
          <div className="invite-created">
            <p className="invite-created-title">New invite link</p>
            <div className="copy-row">
              <code className="invite-link" data-testid="invite-link" ref={linkRef}>
                {created.link}
              </code>
              <button type="button" className="button small" onClick={onCopy}>
                Copy link
              </button>
            </div>
            <p className="muted small" aria-live="polite">
              {copyNote || `Expires ${formatRelative(created.expiresAt)}. It is only shown once.`}
            </p>
          </div>
        ) : null}

        {error?.section === 'invites' ? <ErrorAlert message={error.message} className="section-alert" /> : null}

        {sortedInvites === null ? (
          error?.section === 'invites' ? null : (
            <Loading label="Loading invites…" />
          )
        ) : sortedInvites.length === 0 ? (
          <p className="empty">You haven&apos;t created any invites yet.</p>
        ) : (
          <ul className="list">
            {sortedInvites.map((invite) => {
              const used = Boolean(invite.usedAt);
              const expired = !used && isPast(invite.expiresAt);
              return (
                <li key={invite.id} className="list-item">
                  <div className="list-text">
                    <p className="list-title">
                      {used ? (
                        <span className="badge badge-good">Used</span>
                      ) : expired ? (
                        <span className="badge badge-muted">Expired</span>
                      ) : (
                        <span className="badge badge-accent">Waiting</span>
                      )}
                      <span>
                        Created <time dateTime={invite.createdAt}>{formatDateTime(invite.createdAt)}</time>
                      </span>
                    </p>
                    <p className="muted small">
                      {used && invite.usedAt
                        ? `Used ${formatDateTime(invite.usedAt)}`
                        : expired
                          ? `Expired ${formatRelative(invite.expiresAt)}`
                          : `Expires ${formatRelative(invite.expiresAt)}`}
                    </p>
                  </div>
                  {used || expired ? null : (
                    <button
                      type="button"
                      className="button small"
                      onClick={() => onRevoke(invite)}
                      disabled={busy !== null}
                      aria-label={`Revoke invite created ${formatDateTime(invite.createdAt)}`}
                    >
                      {busy === `revoke:${invite.id}` ? 'Revoking…' : 'Revoke'}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
