import { describe, expect, it } from 'vitest';
import { checkFriendName } from './friend-form.js';

describe('checkFriendName', () => {
  it('an empty name asks for one (the field takes focus)', () => {
    const empty = { ok: false, error: 'Enter the username of the person you want to add.', focusField: true };
    expect(checkFriendName('', 'alice')).toEqual(empty);
    expect(checkFriendName('   ', 'alice')).toEqual(empty);
  });

  it('a name that can’t be one says why (the field takes focus)', () => {
    expect(checkFriendName('b', 'alice')).toEqual({
      ok: false,
      error: 'A username must be 3 to 32 characters long.',
      focusField: true,
    });
    expect(checkFriendName('bob!', 'alice')).toEqual({
      ok: false,
      error: 'A username may only contain the letters a-z, the digits 0-9 and the underscore (_).',
      focusField: true,
    });
    expect(checkFriendName('9bob', 'alice')).toEqual({
      ok: false,
      error: 'A username must start with a letter.',
      focusField: true,
    });
  });

  it('my own name, however typed, is refused (focus stays where it is)', () => {
    const self = { ok: false, error: 'That’s you. Add someone else by their username.', focusField: false };
    expect(checkFriendName('alice', 'alice')).toEqual(self);
    expect(checkFriendName('  Alice ', 'alice')).toEqual(self);
  });

  it('anyone else: their canonical name', () => {
    expect(checkFriendName('bob', 'alice')).toEqual({ ok: true, name: 'bob' });
    expect(checkFriendName('  Bob_2 ', 'alice')).toEqual({ ok: true, name: 'bob_2' });
  });
});
