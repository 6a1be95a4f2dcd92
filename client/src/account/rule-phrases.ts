// English for the username and passphrase rules (keys account.rules.*, area `account`),
// data only. Apart from the rest of the account's sentences because the sign-up page
// needs them in its first load (see present/phrasebook.ts).

import type { PhraseTable } from '../present/phrasebook.js';

export const RULE_PHRASES = {
  'account.rules.usernameLength': 'A username must be {{min}} to {{max}} characters long.',
  'account.rules.usernameCharacters':
    'A username may only contain the letters a-z, the digits 0-9 and the underscore (_).',
  'account.rules.usernameStart': 'A username must start with a letter.',
  'account.rules.passphraseEmpty': 'Please enter a passphrase.',
  'account.rules.passphraseTooLong': 'That passphrase is too long: keep it under {{max}} bytes.',
  'account.rules.passphraseTooShort':
    'A passphrase needs at least {{min}} characters; a few unrelated words work well.',
  'account.rules.passphraseContainsUsername': 'A passphrase must not contain your username.',
  'account.rules.passphraseFewDistinct': 'A passphrase needs at least {{min}} different characters.',
  'account.rules.passphraseCommon':
    'That passphrase is one of the most common passwords, which attackers try first. Please choose another.',
} as const satisfies PhraseTable;
