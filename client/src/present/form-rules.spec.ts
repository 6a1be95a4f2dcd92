// The rules' sentences: word for word the protocol's English, and said by key for the web.
import { passphraseProblem, usernameProblem } from '@onionchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { setSpeaker } from './phrasebook.js';
import { sayPassphraseProblem, sayUsernameProblem } from './form-rules.js';

const USERNAMES = ['al', 'a'.repeat(33), 'al-ice', '1alice', 'alice'];
const PASSPHRASES: [string, string][] = [
  ['', 'alice'],
  ['x'.repeat(1025), 'alice'],
  ['short one', 'alice'],
  ['alice in the garden today', 'alice'],
  ['abababababababab', 'bob'],
  ['password1234', 'bob'],
  ['pomegranate courtyard evening', 'bob'],
];

describe('the form rules in words', () => {
  afterEach(() => setSpeaker(null));

  it('says in English exactly what the protocol says', () => {
    for (const name of USERNAMES) expect(sayUsernameProblem(name), name).toBe(usernameProblem(name));
    for (const [phrase, name] of PASSPHRASES) {
      expect(sayPassphraseProblem(phrase, name), phrase.slice(0, 30)).toBe(passphraseProblem(phrase, name));
    }
  });

  it('says each rule by its key, with its limits, for another language', () => {
    setSpeaker({ phrase: (key, values) => `${key}${values ? ` ${JSON.stringify(values)}` : ''}`, duration: String });
    expect(sayUsernameProblem('al')).toBe('account.rules.usernameLength {"min":3,"max":32}');
    expect(sayUsernameProblem('1alice')).toBe('account.rules.usernameStart');
    expect(sayPassphraseProblem('short one', 'alice')).toBe('account.rules.passphraseTooShort {"min":12}');
    expect(sayPassphraseProblem('alice in the garden today', 'alice')).toBe('account.rules.passphraseContainsUsername');
    expect(sayPassphraseProblem('pomegranate courtyard evening', 'bob')).toBeNull();
  });
});
