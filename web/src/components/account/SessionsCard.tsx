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
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <p className="muted">
        Browsers where you are logged in. Changing your passphrase ends all of them except this one.
      </p>
      {sessions === null ? (
        error !== null ? null : (
          <Loading label="Loading sessions…" />
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
  );
}
