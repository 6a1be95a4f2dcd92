import { type Session, formatDateTime, formatRelative } from '@onionchat/client';

interface SessionItemProps {
  session: Session;
  /** This session is being ended right now. */
  ending: boolean;
  disabled: boolean;
  onEnd: () => void;
}

/** One browser where the account is logged in; others can be ended from here. */
export function SessionItem({ session, ending, disabled, onEnd }: SessionItemProps) {
  return (
    <li className="list-item">
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
          onClick={onEnd}
          disabled={disabled}
          aria-label={`End session from ${formatDateTime(session.createdAt)}`}
        >
          {ending ? 'Ending…' : 'End'}
        </button>
      )}
    </li>
  );
}
