'use client';

import { useTranslation } from 'react-i18next';
import { ErrorAlert, Loading } from '../ui';
import { CreatedInvite } from './CreatedInvite';
import { InviteItem } from './InviteItem';
import { type Invite } from '@onionchat/client';

interface InvitesCardProps {
  /** In the order to show them; null while loading. */
  invites: Invite[] | null;
  /** The link created in this visit, shown once. */
  created: { link: string; expiresAt: string } | null;
  /** What went wrong in this section. */
  error: string | null;
  /** The action under way, if any (one at a time). */
  busy: string | null;
  onCreate: () => void;
  onRevoke: (invite: Invite) => void;
}

/** The invites section: create a link, and the invites made so far. */
export function InvitesCard(props: InvitesCardProps) {
  const { t } = useTranslation();
  const { invites, created, error, busy, onRevoke } = props;
  return (
    <section className="card" id="invites" aria-labelledby="invites-title">
      <div className="section-head">
        <h2 id="invites-title">{t('account.invites.title')}</h2>
        <button type="button" className="button primary" onClick={props.onCreate} disabled={busy !== null}>
          {t('account.invites.create')}
        </button>
      </div>
      <p className="muted">{t('account.invites.explain')}</p>

      {created ? <CreatedInvite link={created.link} expiresAt={created.expiresAt} /> : null}

      {error !== null ? <ErrorAlert message={error} className="section-alert" /> : null}

      {invites === null ? (
        error !== null ? null : (
          <Loading label={t('account.invites.loading')} />
        )
      ) : invites.length === 0 ? (
        <p className="empty">{t('account.invites.none')}</p>
      ) : (
        <ul className="list">
          {invites.map((invite) => (
            <InviteItem
              key={invite.id}
              invite={invite}
              revoking={busy === `revoke:${invite.id}`}
              disabled={busy !== null}
              onRevoke={() => onRevoke(invite)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
