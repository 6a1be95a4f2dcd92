import { type Invite, formatDateTime, formatRelative, isPast } from '@onionchat/client';
import { Trans, useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/use-locale';

interface InviteItemProps {
  invite: Invite;
  /** This invite is being revoked right now. */
  revoking: boolean;
  disabled: boolean;
  onRevoke: () => void;
}

/** One invite: waiting, used or expired; a waiting one can be revoked. */
export function InviteItem({ invite, revoking, disabled, onRevoke }: InviteItemProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const used = Boolean(invite.usedAt);
  const expired = !used && isPast(invite.expiresAt);
  return (
    <li className="list-item">
      <div className="list-text">
        <p className="list-title">
          {used ? (
            <span className="badge badge-good">{t('account.invite.used')}</span>
          ) : expired ? (
            <span className="badge badge-muted">{t('account.invite.expired')}</span>
          ) : (
            <span className="badge badge-accent">{t('account.invite.waiting')}</span>
          )}
          <span>
            <Trans
              i18nKey="account.invite.created"
              values={{ date: formatDateTime(invite.createdAt, locale) }}
              components={{ time: <time dateTime={invite.createdAt} /> }}
            />
          </span>
        </p>
        <p className="muted small">
          {used && invite.usedAt
            ? t('account.invite.usedAt', { date: formatDateTime(invite.usedAt, locale) })
            : t(expired ? 'account.invite.expiredAgo' : 'account.invite.expires', {
                when: formatRelative(invite.expiresAt, undefined, locale),
              })}
        </p>
      </div>
      {used || expired ? null : (
        <button
          type="button"
          className="button small"
          onClick={onRevoke}
          disabled={disabled}
          aria-label={t('account.invite.revokeLabel', { date: formatDateTime(invite.createdAt, locale) })}
        >
          {revoking ? t('account.invite.revoking') : t('account.invite.revoke')}
        </button>
      )}
    </li>
  );
}
