import { type Session, formatDateTime, formatRelative } from '@onionchat/client';
import { Trans, useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/use-locale';

interface SessionItemProps {
  session: Session;
  /** This session is being ended right now. */
  ending: boolean;
  disabled: boolean;
  onEnd: () => void;
}

/** One browser where the account is logged in; others can be ended from here. */
export function SessionItem({ session, ending, disabled, onEnd }: SessionItemProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <li className="list-item">
      <div className="list-text">
        <p className="list-title">
          {session.current ? (
            <span className="badge badge-good">{t('account.session.thisDevice')}</span>
          ) : (
            <span className="badge">{t('account.session.otherBrowser')}</span>
          )}
          <span>
            <Trans
              i18nKey="account.session.loggedIn"
              values={{ date: formatDateTime(session.createdAt, locale) }}
              components={{ time: <time dateTime={session.createdAt} /> }}
            />
          </span>
        </p>
        <p className="muted small">
          {t('account.session.activity', {
            lastSeen: formatRelative(session.lastSeenAt, undefined, locale),
            expires: formatRelative(session.expiresAt, undefined, locale),
          })}
        </p>
      </div>
      {session.current ? null : (
        <button
          type="button"
          className="button small"
          onClick={onEnd}
          disabled={disabled}
          aria-label={t('account.session.endLabel', { date: formatDateTime(session.createdAt, locale) })}
        >
          {ending ? t('account.session.ending') : t('account.session.end')}
        </button>
      )}
    </li>
  );
}
