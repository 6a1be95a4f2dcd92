'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BuildHashCard } from './account/BuildHashCard';
import { DeleteAccountCard } from './account/DeleteAccountCard';
import { InvitesCard } from './account/InvitesCard';
import { ProfileCard } from './account/ProfileCard';
import { SessionsCard } from './account/SessionsCard';
import { Loading } from './ui';
import {
  describeError,
  type Invite,
  type AccountFlows,
  type Session,
  invitesInOrder,
  sessionsInOrder,
} from '@onionchat/client';
import { useKeystore } from '../hooks/keystore';
import { loadPageClient } from '../hooks/client';

/** Runs one of the account flows (a chunk of their own, fetched when first needed). */
async function account<T>(action: (flows: AccountFlows) => Promise<T>): Promise<T> {
  return action((await loadPageClient()).account);
}

type Section = 'sessions' | 'invites';

interface SectionError {
  section: Section;
  message: string;
}

export function AccountView() {
  const keystore = useKeystore();
  const router = useRouter();
  const { t } = useTranslation();
  const { status, user, fingerprint } = keystore;

  // Set while logging out, so the "not unlocked → go to /login/" redirect stays quiet.
  const leaving = useRef(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<SectionError | null>(null);

  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [created, setCreated] = useState<{ id: string; link: string; expiresAt: string } | null>(null);

  useEffect(() => {
    if (leaving.current) return;
    if (status === 'anonymous' || status === 'locked')
      router.replace(`/login/#next=${encodeURIComponent('/account/')}`);
  }, [status, router]);

  const loadSessions = useCallback(async () => {
    try {
      setSessions(await account((flows) => flows.listSessions()));
    } catch (caught) {
      setError({ section: 'sessions', message: describeError(caught) });
    }
  }, []);

  const loadInvites = useCallback(async () => {
    try {
      setInvites(await account((flows) => flows.listInvites()));
    } catch (caught) {
      setError({ section: 'invites', message: describeError(caught) });
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
        <Loading label={status === 'loading' ? t('account.loading') : t('account.redirecting')} />
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
      setError({ section, message: describeError(caught) });
    } finally {
      setBusy(null);
    }
  }

  const onLogOut = () =>
    run('logout', 'sessions', async () => {
      leaving.current = true;
      await account((flows) => flows.logOut());
      keystore.clear(t('account.loggedOut'));
      router.replace('/');
    });

  const onLogOutEverywhere = () =>
    run('logout-all', 'sessions', async () => {
      leaving.current = true;
      const done = await account((flows) => flows.logOutEverywhere());
      keystore.clear(done ? t('account.loggedOutEverywhere') : t('account.sessionAlreadyEnded'));
      router.replace('/');
    });

  const onEndSession = (session: Session) =>
    run(`end:${session.id}`, 'sessions', async () => {
      await account((flows) => flows.endSession(session.id));
      await loadSessions();
    });

  const onCreateInvite = () =>
    run('invite', 'invites', async () => {
      const result = await account((flows) => flows.createInvite({ username: user.username, fingerprint }));
      setCreated({ id: result.invite.id, link: result.link, expiresAt: result.invite.expiresAt });
      await loadInvites();
    });

  const onRevoke = (invite: Invite) =>
    run(`revoke:${invite.id}`, 'invites', async () => {
      await account((flows) => flows.revokeInvite(invite.id));
      if (created?.id === invite.id) setCreated(null);
      await loadInvites();
    });

  const sortedSessions = sessions ? sessionsInOrder(sessions) : null;
  const sortedInvites = invites ? invitesInOrder(invites) : null;

  return (
    <div className="stack js-only">
      <p className="back-link back-link-flush">
        <Link href="/chat/">
          <span aria-hidden="true">← </span>
          {t('account.backToChats')}
        </Link>
      </p>
      <ProfileCard user={user} fingerprint={fingerprint} />
      <SessionsCard
        sessions={sortedSessions}
        error={error?.section === 'sessions' ? error.message : null}
        busy={busy}
        onEnd={onEndSession}
        onLogOut={onLogOut}
        onLogOutEverywhere={onLogOutEverywhere}
      />
      <InvitesCard
        invites={sortedInvites}
        created={created}
        error={error?.section === 'invites' ? error.message : null}
        busy={busy}
        onCreate={onCreateInvite}
        onRevoke={onRevoke}
      />
      <BuildHashCard />
      <DeleteAccountCard onLeaving={() => (leaving.current = true)} />
    </div>
  );
}
