import { type Invite, formatDateTime, formatRelative, isPast } from '@onionchat/client';

interface InviteItemProps {
  invite: Invite;
  /** This invite is being revoked right now. */
  revoking: boolean;
  disabled: boolean;
  onRevoke: () => void;
}

/** One invite: waiting, used or expired; a waiting one can be revoked. */
export function InviteItem({ invite, revoking, disabled, onRevoke }: InviteItemProps) {
  const used = Boolean(invite.usedAt);
  const expired = !used && isPast(invite.expiresAt);
  return (
    <li className="list-item">
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
          onClick={onRevoke}
          disabled={disabled}
          aria-label={`Revoke invite created ${formatDateTime(invite.createdAt)}`}
        >
          {revoking ? 'Revoking…' : 'Revoke'}
        </button>
      )}
    </li>
  );
}
