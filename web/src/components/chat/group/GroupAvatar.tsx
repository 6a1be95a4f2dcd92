import type { CSSProperties } from 'react';
import { groupInitials } from './group-text';

/** A stable hue per title, like a person's avatar. */
function hue(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/**
 * A group's picture (a data: URL the group's admins set, opened in this page) or its
 * initials. Decorative: the group's title is always next to it.
 */
export function GroupAvatar({
  title,
  picture,
  size = 'md',
}: {
  title: string;
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
      style={{ '--avatar-hue': hue(title) } as CSSProperties}
      aria-hidden="true"
    >
      {groupInitials(title)}
    </span>
  );
}
