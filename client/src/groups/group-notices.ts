// The sentences a conversation shows for its membership changes, one per verified
// record: who did what to whom, and, when someone went, that a new key is in use (so
// the reader knows the one who went cannot read on). Made by this account, made to it,
// or between others are separate sentences: other languages conjugate each differently.

import { sayList, sayer } from '../present/phrasebook.js';
import type { GroupChange, NameOf } from './group-change.js';
import { GROUP_PHRASES } from './group-phrases.js';

const say = sayer(GROUP_PHRASES);

type ToWhom = 'added' | 'removed' | 'madeAdmin' | 'madeMember';

/** "Alice added Carol", "You removed Dave; a new key is in use", … ("You" for this account). */
export function groupNotice(
  change: Pick<GroupChange, 'signerId' | 'action' | 'entries'>,
  meId: string,
  nameOf: NameOf,
): string {
  const mine = change.signerId === meId;
  const name = nameOf(change.signerId);
  switch (change.action) {
    case 'create':
      return mine ? say('groups.notice.createdMine') : say('groups.notice.created', { name });
    case 'leave':
      return mine ? say('groups.notice.leftMine') : say('groups.notice.left', { name });
    case 'rename':
      return mine ? say('groups.notice.renamedMine') : say('groups.notice.renamed', { name });
    case 'add':
      return toWhom('added', change, meId, nameOf);
    case 'remove':
      return toWhom('removed', change, meId, nameOf);
    case 'role':
      return toWhom(change.entries[0]?.role === 'admin' ? 'madeAdmin' : 'madeMember', change, meId, nameOf);
  }
}

/** A change made to members: to this account alone ("…You"), or to a list of them. */
function toWhom(verb: ToWhom, change: Pick<GroupChange, 'signerId' | 'entries'>, meId: string, nameOf: NameOf): string {
  const mine = change.signerId === meId ? 'Mine' : '';
  const onlyMe = change.entries.length === 1 && change.entries[0]!.userId === meId;
  if (onlyMe) return say(`groups.notice.${verb}${mine}You`, { name: nameOf(change.signerId) });
  const names = sayList(
    change.entries.map((entry) => (entry.userId === meId ? say('groups.notice.youInList') : nameOf(entry.userId))),
  );
  return say(`groups.notice.${verb}${mine}`, { name: nameOf(change.signerId), names });
}
