import { describe, expect, it } from 'vitest';
import { ProtocolError } from './errors.js';
import {
  USERNAME_MAX,
  USERNAME_MIN,
  canonicalUsername,
  encodeUsernameField,
  normalizeUsername,
  usernameProblem,
} from './username.js';

describe('usernames', () => {
  it('normalizes by trimming and lower-casing', () => {
    expect(normalizeUsername('  Alice_01\t')).toBe('alice_01');
  });

  it.each(['abc', 'alice', 'a_1', 'z'.repeat(USERNAME_MAX), 'x'.repeat(USERNAME_MIN)])('accepts %j', (name) => {
    expect(usernameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'characters long'],
    ['ab', 'characters long'],
    ['a'.repeat(USERNAME_MAX + 1), 'characters long'],
    ['1abc', 'start with a letter'],
    ['_abc', 'start with a letter'],
    ['ali ce', 'may only contain'],
    ['alice!', 'may only contain'],
    ['Alice', 'may only contain'],
    ['алиса', 'may only contain'],
  ])('rejects %j', (name, fragment) => {
    expect(usernameProblem(name)).toContain(fragment);
  });

  it('binds only valid canonical names into records', () => {
    expect(canonicalUsername(' BOB ')).toBe('bob');
    expect(encodeUsernameField('Bob')).toEqual(Uint8Array.of(3, 0x62, 0x6f, 0x62));
    expect(() => canonicalUsername('b')).toThrow(ProtocolError);
    expect(() => canonicalUsername('b\u00f6b')).toThrow(expect.objectContaining({ code: 'bad-encoding' }));
  });
});
