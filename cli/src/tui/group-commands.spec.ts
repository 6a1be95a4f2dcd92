import { describe, expect, it } from 'vitest';
import { friend, groupMember, groupView, ME } from '../test-support/tui-fixtures.js';
import { findMember, friendIds, membersPanel, parseGroupCreate, splitNames } from './group-commands.js';

describe('group commands', () => {
  it('reads a group’s name and its friends in the ways people type them', () => {
    expect(parseGroupCreate(['Hikers', 'with', 'bob,', 'carol'])).toEqual({
      name: 'Hikers',
      members: ['bob', 'carol'],
    });
    expect(parseGroupCreate(['Night', 'shift', 'WITH', 'bob,carol', '@dave'])).toEqual({
      name: 'Night shift',
      members: ['bob', 'carol', 'dave'],
    });
    // A name holding "with" is quoted (one token), so the first bare "with" after it splits.
    expect(parseGroupCreate(['Tea with friends', 'with', 'bob'])).toEqual({
      name: 'Tea with friends',
      members: ['bob'],
    });
    expect(splitNames(['bob , carol', ',', 'dave'])).toEqual(['bob', 'carol', 'dave']);
  });

  it('says what is missing from /group', () => {
    expect(parseGroupCreate(['Hikers'])).toMatchObject({ error: expect.stringContaining('Usage: /group NAME with') });
    expect(parseGroupCreate(['with', 'bob'])).toMatchObject({ error: expect.stringContaining('Usage') });
    expect(parseGroupCreate(['Hikers', 'with'])).toEqual({
      error: 'Say who is in it: /group NAME with FRIEND[,FRIEND…].',
    });
    expect(parseGroupCreate(['x'.repeat(65), 'with', 'bob'])).toEqual({
      error: 'A group’s name can be at most 64 characters.',
    });
  });

  it('finds friends and members by name, any case, and says who is not there', () => {
    const friends = [friend('bob'), friend('carol')];
    expect(friendIds(friends, ['Carol', '@bob'])).toEqual(['u-carol', 'u-bob']);
    expect(() => friendIds(friends, ['bob', 'zed'])).toThrow(
      'zed is not one of your friends; only friends can be added to a group.',
    );
    const view = groupView('Hikers', [groupMember(ME.username, { role: 'admin' }), groupMember('bob')]);
    expect(findMember(view, 'BOB', ME.username).id).toBe('u-bob');
    expect(findMember(view, ME.username, ME.username).me).toBe(true);
    expect(() => findMember(view, '@carol', ME.username)).toThrow('carol is not in this group. /members lists who is.');
  });

  it('lists the members with their roles and how far each is checked', () => {
    const view = groupView('Hikers', [
      groupMember(ME.username, { role: 'admin' }),
      groupMember('bob', { check: 'verified', label: 'verified' }),
      groupMember('dave', { check: 'added-by', label: 'added by bob' }),
      groupMember('eve', { check: 'mismatch', label: 'keys do not match the group’s' }),
    ]);
    const panel = membersPanel(view, ME.username);
    expect(panel[0]).toBe('Hikers: 4 members, you are an admin');
    expect(panel).toContain('  alice (you)  admin   you');
    expect(panel).toContain('  bob          member  ✓ verified');
    expect(panel).toContain('  dave         member  added by bob');
    expect(panel).toContain('  eve          member  ⚠ keys do not match the group’s');
    expect(panel.join('\n')).toContain('/kick MEMBER');

    const out = membersPanel({ ...view, gone: true, myRole: null, warning: 'The server dropped a change.' }, 'alice');
    expect(out[0]).toBe('Hikers: you are no longer in this group.');
    expect(out).toContain('⚠ The server dropped a change.');
    expect(out.join('\n')).not.toContain('/kick');
  });
});
