import { describe, expect, it } from 'vitest';
import { groupMember, groupRoom, groupView, ME } from '../test-support/tui-fixtures.js';
import { groupEntry, groupLines } from './groups.js';

describe('onionchat groups', () => {
  const view = groupView('Hikers', [
    groupMember(ME.username, { role: 'admin' }),
    groupMember('bob', { check: 'verified', label: 'verified' }),
    groupMember('dave', { check: 'added-by', label: 'added by bob' }),
  ]);

  it('has a stable JSON shape: the verified members, by username, with their roles and checks', () => {
    const room = groupRoom('r-hikers', view, []);
    const entry = groupEntry({ ...room, room: { ...room.room, unread: 2 } }, ME);
    expect(JSON.parse(JSON.stringify(entry))).toEqual({
      roomId: 'r-hikers',
      name: 'Hikers',
      title: 'Hikers',
      myRole: 'admin',
      gone: false,
      verified: true,
      unread: 2,
      members: [
        { username: 'alice', userId: ME.id, role: 'admin', me: true, check: 'you', label: 'you' },
        { username: 'bob', userId: 'u-bob', role: 'member', me: false, check: 'verified', label: 'verified' },
        { username: 'dave', userId: 'u-dave', role: 'member', me: false, check: 'added-by', label: 'added by bob' },
      ],
      warning: null,
      nameWarning: null,
    });
    expect(groupLines(entry)).toEqual([
      'Hikers  (3 members, you are an admin, 2 unread; id r-hikers)',
      '  alice  admin   you',
      '  bob    member  verified',
      '  dave   member  added by bob',
    ]);
  });

  it('says when this account is out of a group, and what the core warns of', () => {
    const gone = groupView('Group with bob', view.members, {
      name: null,
      gone: true,
      myRole: null,
      nameWarning: 'The name could not be read.',
    });
    const entry = groupEntry(groupRoom('r-x', gone, []), ME);
    expect(entry).toMatchObject({ myRole: null, gone: true, name: null, title: 'Group with bob' });
    const lines = groupLines(entry);
    expect(lines[0]).toBe('Group with bob  (you are no longer in it; id r-x)');
    expect(lines.at(-1)).toBe('  Warning: The name could not be read.');
  });
});
