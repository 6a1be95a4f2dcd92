import type { CSSProperties } from 'react';

/** A stable hue per username, so friends are easy to tell apart at a glance. */
function hue(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/** The first letter of a username in a coloured circle (decorative: the name is always next to it). */
export function Avatar({ name, size = 'md' }: { name: string; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <span
      className={`avatar chat-avatar chat-avatar-${size}`}
      style={{ '--avatar-hue': hue(name) } as CSSProperties}
      aria-hidden="true"
    >
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
