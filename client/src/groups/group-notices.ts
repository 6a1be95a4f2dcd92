// The sentences a conversation shows for its membership changes, one per verified
// record: who did what to whom, and, when someone went, that a new key is in use (so
// the reader knows the one who went cannot read on).

import type { GroupChange, NameOf } from './group-change.js';

/** "Alice added Carol", "You removed Dave; a new key is in use", … ("You" for this account). */
export function groupNotice(
  change: Pick<GroupChange, 'signerId' | 'action' | 'entries'>,
  meId: string,
  nameOf: NameOf,
): string {
  const who = (userId: string, start: boolean) => (userId === meId ? (start ? 'You' : 'you') : nameOf(userId));
  const signer = who(change.signerId, true);
  const whom = listOf(change.entries.map((entry) => who(entry.userId, false)));
  switch (change.action) {
    case 'create':
      return `${signer} created the group`;
    case 'add':
      return `${signer} added ${whom}`;
    case 'remove':
      return `${signer} removed ${whom}; a new key is in use`;
    case 'leave':
      return `${signer} left; a new key is in use`;
    case 'role':
      return `${signer} made ${whom} ${change.entries[0]?.role === 'admin' ? 'an admin' : 'a member'}`;
    case 'rename':
      return `${signer} renamed the group`;
  }
}

/** "Carol", "Carol and Dave", "Carol, Dave and Erin". */
function listOf(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
