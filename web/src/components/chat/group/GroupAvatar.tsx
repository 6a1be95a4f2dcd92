import type { CSSProperties } from 'react';
import { groupInitials } from './group-text';

/** A stable hue per group, like a person's avatar. */
function hue(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/**
 * A group's picture (a data: URL the group's admins set, opened in this page) or the
 * initials of `source` (its name: see `avatarSource`). Decorative: the group's title is
 * always next to it.
 */
export function GroupAvatar({
  source,
  picture,
  size = 'md',
}: {
  source: string;
  picture: string | null;
  size?: 'md' | 'lg';
}) {
  if (picture) {
    return (
      <img
        className={`avatar chat-avatar chat-avatar-${size} group-avatar group-picture`}
        src={picture}
        alt=""
        data-testid="group-picture"
        aria-hidden="true"
      />
    );
  }
  return (
    <span
      className={`avatar chat-avatar chat-avatar-${size} group-avatar`}
      style={{ '--avatar-hue': hue(source) } as CSSProperties}
      aria-hidden="true"
    >
      {groupInitials(source)}
    </span>
  );
}
