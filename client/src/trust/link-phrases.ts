// English for what a contact link or an invite's inviter part says when it is damaged
// (keys account.contactLink.* and account.inviter.*, area `account`), data only. Apart from
// the rest of the account's sentences because the account and sign-up pages need only
// these in their first load (see present/phrasebook.ts).

import type { PhraseTable } from '../present/phrasebook.js';

export const LINK_PHRASES = {
  'account.contactLink.nameUnreadable': 'This contact link is damaged: its username could not be read.',
  'account.contactLink.noUsername': 'This contact link does not name a valid username (it has no username).',
  'account.contactLink.badUsername': 'This contact link does not name a valid username ({{problem}}).',
  'account.contactLink.noFingerprint':
    'This contact link has no fingerprint: ask {{name}} to copy the whole link again.',
  'account.contactLink.badFingerprint':
    'This contact link has a damaged fingerprint (it must be {{digits}} hexadecimal digits): ask {{name}} to copy the whole link again.',
  'account.inviter.nameUnreadable': 'The inviter part of this invite link is damaged: its username could not be read.',
  'account.inviter.noUsername':
    'The inviter part of this invite link does not name a valid username (it has no username).',
  'account.inviter.badUsername': 'The inviter part of this invite link does not name a valid username ({{problem}}).',
  'account.inviter.noFingerprint':
    'The inviter part of this invite link has no fingerprint: ask {{name}} to copy the whole link again.',
  'account.inviter.badFingerprint':
    'The inviter part of this invite link has a damaged fingerprint (it must be {{digits}} hexadecimal digits): ask {{name}} to copy the whole link again.',
  'account.inviter.stillSignUp': '{{problem}} You can still sign up; add them by their username afterwards.',
} as const satisfies PhraseTable;
