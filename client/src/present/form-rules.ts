// The protocol's username and passphrase rules, said in the reader's language: the
// sign-up, log-in, passphrase and add-friend forms show these, never the protocol's own
// English (which the protocol keeps for its errors and the terminal's exact words).

import {
  MIN_DISTINCT_CHARS,
  PASSPHRASE_MAX_BYTES,
  PASSPHRASE_MIN_CHARS,
  USERNAME_MAX,
  USERNAME_MIN,
  passphraseRuleBroken,
  usernameRuleBroken,
} from '@onionchat/protocol';
import { RULE_PHRASES } from '../account/rule-phrases.js';
import { sayer } from './phrasebook.js';

const say = sayer(RULE_PHRASES);

/** Why `canonical` is not a valid username, or null. */
export function sayUsernameProblem(canonical: string): string | null {
  switch (usernameRuleBroken(canonical)) {
    case 'length':
      return say('account.rules.usernameLength', { min: USERNAME_MIN, max: USERNAME_MAX });
    case 'characters':
      return say('account.rules.usernameCharacters');
    case 'start':
      return say('account.rules.usernameStart');
    case null:
      return null;
  }
}

/** What to change in a new passphrase, or null when it is acceptable. */
export function sayPassphraseProblem(passphrase: string, username: string): string | null {
  switch (passphraseRuleBroken(passphrase, username)) {
    case 'empty':
      return say('account.rules.passphraseEmpty');
    case 'tooLong':
      return say('account.rules.passphraseTooLong', { max: PASSPHRASE_MAX_BYTES });
    case 'tooShort':
      return say('account.rules.passphraseTooShort', { min: PASSPHRASE_MIN_CHARS });
    case 'containsUsername':
      return say('account.rules.passphraseContainsUsername');
    case 'fewDistinct':
      return say('account.rules.passphraseFewDistinct', { min: MIN_DISTINCT_CHARS });
    case 'common':
      return say('account.rules.passphraseCommon');
    case null:
      return null;
  }
}
