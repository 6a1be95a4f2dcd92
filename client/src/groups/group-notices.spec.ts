import { describe, expect, it } from 'vitest';
import type { GroupChange } from './group-change.js';
import { groupNotice } from './group-notices.js';

const names: Record<string, string> = { a: 'Alice', b: 'Bob', c: 'Carol', d: 'Dave' };
const nameOf = (id: string) => names[id] ?? id;

function notice(
  signerId: string,
  action: GroupChange['action'],
  entries: [string, GroupChange['entries'][0]['role']][] = [],
  me = 'z',
) {
  return groupNotice({ signerId, action, entries: entries.map(([userId, role]) => ({ userId, role })) }, me, nameOf);
}

describe('groupNotice', () => {
  it('says who did what to whom', () => {
    expect(
      notice('a', 'create', [
        ['a', 'admin'],
        ['b', 'member'],
      ]),
    ).toBe('Alice created the group');
    expect(notice('a', 'add', [['c', 'member']])).toBe('Alice added Carol');
    expect(
      notice('a', 'add', [
        ['c', 'member'],
        ['d', 'member'],
      ]),
    ).toBe('Alice added Carol and Dave');
    expect(
      notice('a', 'add', [
        ['b', 'member'],
        ['c', 'member'],
        ['d', 'admin'],
      ]),
    ).toBe('Alice added Bob, Carol and Dave');
    expect(notice('a', 'role', [['c', 'admin']])).toBe('Alice made Carol an admin');
    expect(notice('a', 'role', [['c', 'member']])).toBe('Alice made Carol a member');
    expect(notice('a', 'rename')).toBe('Alice renamed the group');
  });

  it('says a new key is in use when someone went', () => {
    expect(notice('b', 'leave')).toBe('Bob left; a new key is in use');
    expect(notice('a', 'remove', [['d', 'none']])).toBe('Alice removed Dave; a new key is in use');
  });

  it('calls this account "You"', () => {
    expect(notice('a', 'remove', [['d', 'none']], 'a')).toBe('You removed Dave; a new key is in use');
    expect(notice('a', 'add', [['z', 'member']])).toBe('Alice added you');
    expect(notice('a', 'role', [['z', 'admin']])).toBe('Alice made you an admin');
    expect(notice('z', 'leave')).toBe('You left; a new key is in use');
  });
});
