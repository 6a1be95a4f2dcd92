import type { GroupMember, GroupState } from '@onionchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { groupView } from '../chat/group-view.js';
import { setSpeaker, type PhraseValues } from '../present/phrasebook.js';
import { GroupChains } from './group-chains.js';
import type { GroupChange } from './group-change.js';
import { groupNotice } from './group-notices.js';

const names: Record<string, string> = { a: 'Alice', c: 'Carol', d: 'Dave' };
const nameOf = (id: string) => names[id] ?? id;

function notice(signerId: string, action: GroupChange['action'], entries: string[] = [], me = 'z') {
  const listed = entries.map((userId) => ({ userId, role: 'member' as const }));
  return groupNotice({ signerId, action, entries: listed }, me, nameOf);
}

/** Words every sentence as its key and values, so a spec sees what was asked for. */
function keysAndValues(key: string, values: PhraseValues | undefined): string {
  const shown = Object.entries(values ?? {}).map(([name, value]) => `${name}=${value}`);
  return [key, ...shown].join(' ');
}

describe('the groups’ sentences in the reader’s language', () => {
  afterEach(() => setSpeaker(null));

  it('says a change by this account, to it, and between others by different keys', () => {
    setSpeaker({ phrase: keysAndValues, duration: (seconds) => `${seconds}s`, list: () => null });
    expect(notice('z', 'leave')).toBe('groups.notice.leftMine');
    expect(notice('a', 'leave')).toBe('groups.notice.left name=Alice');
    expect(notice('a', 'add', ['z'])).toBe('groups.notice.addedYou name=Alice');
    expect(notice('a', 'remove', ['c', 'd'])).toBe('groups.notice.removed name=Alice names=Carol and Dave');
    expect(notice('z', 'role', ['c'])).toBe('groups.notice.madeMemberMine name=z names=Carol');
    // This account among others is worded inside the list.
    expect(notice('a', 'add', ['c', 'z'])).toBe(
      'groups.notice.added name=Alice names=Carol and groups.notice.youInList',
    );
  });

  it('words the chain’s warnings when they are read, not when the problem was found', () => {
    const chains = new GroupChains({ api: { groupRecords: async () => ({ records: [], hasMore: false }) } });
    expect(chains.sendBlock('r', 'z')).toBe('This group’s members have not been checked yet.');
    setSpeaker({
      phrase: (key) => (key === 'groups.chain.notVerified' ? 'Aún no se han comprobado.' : null),
      duration: String,
      list: () => null,
    });
    expect(chains.sendBlock('r', 'z')).toBe('Aún no se han comprobado.');
  });

  it('falls back to the English where the speaker has no sentence', () => {
    setSpeaker({ phrase: () => null, duration: String, list: () => null });
    expect(notice('a', 'add', ['c', 'd'])).toBe('Alice added Carol and Dave');
    expect(notice('z', 'rename')).toBe('You renamed the group');
  });

  it('words a group’s title and member labels at the time the view is made', () => {
    const member = (userId: string, addedBy: string): GroupMember => ({
      userId,
      role: 'member',
      signPublicKey: new Uint8Array(32),
      addedBy,
      addedAt: 0,
    });
    const state = {
      members: new Map([
        ['z', member('z', 'a')],
        ['c', member('c', 'z')],
        ['d', member('d', 'a')],
      ]),
    };
    const chain = { roomId: 'r', state: state as unknown as GroupState, warning: null, changes: [], gone: false };
    const parts = { meId: 'z', nameOf, trust: () => null, isContact: () => false };
    expect(groupView(chain, null, parts).title).toBe('Group with Carol and Dave');
    // Lists are joined by the speaker too, in the reader's language.
    setSpeaker({ phrase: keysAndValues, duration: String, list: (items) => items.join(' · ') });
    const view = groupView(chain, null, parts);
    expect(view.title).toBe('groups.title.with names=Carol · Dave');
    expect(view.members.map((shown) => [shown.name, shown.label])).toEqual([
      ['Carol', 'groups.member.addedByYou'],
      ['Dave', 'groups.member.addedBy name=Alice'],
      ['groups.member.you', 'groups.member.checkYou'],
    ]);
  });
});
