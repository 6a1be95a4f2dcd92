import { useTranslation } from 'react-i18next';
import { ErrorAlert, Loading } from '../ui';
import { SessionItem } from './SessionItem';
import { type Session } from '@onionchat/client';

interface SessionsCardProps {
  /** In the order to show them; null while loading. */
  sessions: Session[] | null;
  /** What went wrong in this section. */
  error: string | null;
  /** The action under way, if any (one at a time). */
  busy: string | null;
  onEnd: (session: Session) => void;
  onLogOut: () => void;
  onLogOutEverywhere: () => void;
}

/** The sessions section: where the account is logged in, and the log-out buttons. */
export function SessionsCard({ sessions, error, busy, onEnd, onLogOut, onLogOutEverywhere }: SessionsCardProps) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('account.sessions.title')}</h2>
      <p className="muted">{t('account.sessions.explain')}</p>
      {sessions === null ? (
        error !== null ? null : (
          <Loading label={t('account.sessions.loading')} />
        )
      ) : (
        <ul className="list">
          {sessions.map((session) => (
            <SessionItem
              key={session.id}
              session={session}
              ending={busy === `end:${session.id}`}
              disabled={busy !== null}
              onEnd={() => onEnd(session)}
            />
          ))}
        </ul>
      )}
      {error !== null ? <ErrorAlert message={error} className="section-alert" /> : null}
      <div className="actions-row">
        <button type="button" className="button" onClick={onLogOut} disabled={busy !== null}>
          {t('account.sessions.logOut')}
        </button>
        <button type="button" className="button danger" onClick={onLogOutEverywhere} disabled={busy !== null}>
          {t('account.sessions.logOutEverywhere')}
        </button>
      </div>
      <p className="hint">{t('account.sessions.hint')}</p>
    </section>
  );
}
