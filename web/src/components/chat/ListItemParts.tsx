// What every entry of the conversation list shows, a direct conversation or a group.
import { formatActivity, formatFull } from '@onionchat/client';

/** When the conversation last moved, or nothing before it has. */
export function ActivityTime({ at }: { at: number | null }) {
  if (!at) return null;
  return (
    <time className="friend-time" dateTime={new Date(at).toISOString()} title={formatFull(at)}>
      {formatActivity(at)}
    </time>
  );
}

/** The unread count, read out as "N unread". */
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="unread-badge">
      <span data-testid="unread">{count}</span>
      <span className="visually-hidden"> unread</span>
    </span>
  );
}
