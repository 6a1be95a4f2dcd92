// English for accounts, friends, links and trust (keys account.*), data only: said through
// `sayer` (present/phrasebook.ts), translated in web/src/i18n/locales/core/account.<language>.json.

import type { PhraseTable } from '../present/phrasebook.js';

export const ACCOUNT_PHRASES = {
  'account.friendForm.enterName': 'Enter the username of the person you want to add.',
  'account.friendForm.isYou': 'That’s you. Add someone else by their username.',
  'account.friendForm.ownLink': 'That is your own contact link: give it to others so they can add you.',
  'account.friendForm.requested': '{{name}}’s keys match the link: they are verified. Friend request sent.',
  'account.friendForm.acceptedTheirs':
    '{{name}}’s keys match the link: they are verified, and their friend request is accepted.',
  'account.friendForm.verified': '{{name}}’s keys match the link: they are verified.',
  'account.friendForm.confirmTitle': 'Add {{name}} from their contact link?',
  'account.friendForm.confirmBody':
    'The keys this server has for {{name}} are checked against the link’s fingerprint ({{fingerprint}}) before anything is sent. If they match, you send a friend request and they are marked verified; if not, you are warned and nothing is sent. Only go ahead if the link came from them.',
  'account.friendForm.confirmLabel': 'Add {{name}}',
  'account.friendForm.acceptedNote': '{{name}} accepted your friend request. You can now talk, end-to-end encrypted.',

  'account.request.keysInvalid': '{{name}}’s keys do not check out, so this request cannot be accepted.',
  'account.request.keysChanged':
    '⚠ {{name}}’s safety number changed: this request comes with other keys than the {{name}} you know. It may be a new account of theirs, or the server impersonating them, so it cannot be accepted here. Ask them another way, and decline it if it is not them.',
  'account.request.verifiedKeysChanged':
    '⚠ {{name}}’s verified safety number changed: this request comes with other keys than the {{name}} you verified. It may be a new account of theirs, or the server impersonating them, so it cannot be accepted here. Ask them another way, and decline it if it is not them.',
  'account.request.notAcceptedUntrusted':
    'The request was not accepted: {{reason}}, so it may not come from the {{name}} you know.',
  'account.request.notAcceptedBadKeys':
    "The server sent public keys for {{name}} that don't check out, so the request was not accepted.",

  'account.link.own': 'This is your own contact link: give it to others so they can add you.',
  'account.link.keysInvalidWithdrawn':
    "The server's keys for {{name}} do not check out (they are not validly signed). The friend request was withdrawn; nothing else was sent.",
  'account.link.keysInvalidNothingSent':
    "The server's keys for {{name}} do not check out (they are not validly signed). Nothing was sent.",
  'account.link.keysMismatchWithdrawn':
    "The server's keys for {{name}} do not match the link {{name}} gave you. The friend request was withdrawn; nothing else was sent. Someone, possibly the server, may be trying to listen in: ask them for the link again over another channel.",
  'account.link.keysMismatchNothingSent':
    "The server's keys for {{name}} do not match the link {{name}} gave you. Nothing was sent. Someone, possibly the server, may be trying to listen in: ask them for the link again over another channel.",

  'account.scan.mismatch':
    'This code does not match your safety number with {{name}}. Do not mark {{name}} as verified: the code may be from another conversation, or someone may be in the middle of this one.',
  'account.scan.notACode':
    'That is not an OnionChat safety number code. Scan the code in {{name}}’s “Verify safety number” window.',

  'account.direct.membersChanged': 'The server changed who is in this conversation. Nothing will be sent here.',
  'account.names.unknown': 'someone',

  'account.feedback.passphraseGood': 'Good: this passphrase meets the requirements.',
  'account.feedback.passphrasesDiffer': "The passphrases don't match yet.",
  'account.feedback.passphrasesMatch': 'The passphrases match.',

  'account.form.enterUsername': 'Enter your username.',
  'account.form.enterPassphrase': 'Enter your passphrase.',
  'account.form.enterCurrentPassphrase': 'Enter your current passphrase.',
  'account.form.wrongPassphrase': 'Wrong passphrase',
  'account.form.wrongCurrentPassphrase': 'Your current passphrase is wrong.',
  'account.form.samePassphrase': 'The new passphrase is the same as your current one. Choose a different one.',
  'account.form.keysWouldNotOpen':
    "The server accepted your passphrase, but your keys wouldn't decrypt. They may have been damaged or tampered with.",

  'account.progress.generatingKeys': 'Generating keys…',
  'account.progress.derivingFromPassphrase': 'Deriving keys from your passphrase (this takes a moment)…',
  'account.progress.derivingFromNewPassphrase': 'Deriving keys from your new passphrase (this takes a moment)…',
  'account.progress.creatingAccount': 'Creating your account…',
  'account.progress.contactingServer': 'Contacting the server…',
  'account.progress.derivingKeys': 'Deriving keys (this takes a moment)…',
  'account.progress.loggingIn': 'Logging in…',
  'account.progress.unlockingKeys': 'Unlocking your keys…',
  'account.progress.fetchingSealedKeys': 'Fetching your sealed keys…',
  'account.progress.checkingPassphrase': 'Checking your passphrase (this takes a moment)…',
  'account.progress.checkingCurrentPassphrase': 'Checking your current passphrase (this takes a moment)…',
  'account.progress.saving': 'Saving…',
  'account.progress.leavingGroups': 'Leaving your groups ({{index}} of {{total}})…',
  'account.progress.deletingAccount': 'Deleting your account…',

  'account.delete.wrongPassphrase': 'That passphrase is wrong, so nothing was deleted.',
  'account.delete.confirmUsername': 'Type your username exactly to confirm that the account is to be deleted.',
  'account.delete.listsTimeout':
    'Your conversations did not load, so your groups could not be left. Nothing was deleted; try again.',

  'account.keys.unsafeKdf': 'The server offered unsafe key-derivation parameters; not sending anything.',
  'account.keys.loweredKdf':
    'The server offered weaker key-derivation parameters than your account already uses here; not sending anything.',
  'account.keys.unreadableKdf':
    "The server sent key-derivation parameters this page doesn't accept; not sending anything.",
  'account.keys.tampered':
    "The server sent account keys that don't match your account. They may have been damaged or tampered with, so they were not used.",
  'account.keys.newerVersionNoChange':
    'Your keys were saved by a newer version of OnionChat, so this page cannot re-seal them. Change your passphrase there.',
  'account.keys.rolledBack':
    'The server sent an older copy of your keys than this page has already seen, so it was refused and nothing was saved over it. Try again later; if it keeps happening, the server may be tampering with your account.',
  'account.keys.pinsUnreadable':
    'The saved safety numbers in your keys could not be read, so they were left untouched.',
  'account.keys.pinsUnreadableDetail':
    'The saved safety numbers in your keys could not be read ({{detail}}), so they were left untouched.',
  'account.keys.newerVersion':
    'Your keys were saved by a newer version of OnionChat, so this page leaves them untouched.',
  'account.keys.newerVersionDetail':
    'Your keys were saved by a newer version of OnionChat ({{detail}}), so this page leaves them untouched.',
  'account.keys.locked': 'the keys were locked',
  'account.keys.pinsNotSaved': 'Safety numbers could not be saved to your account yet ({{reason}}).',

  'account.trust.keysUnchecked': 'the sender’s keys could not be checked',
  'account.trust.notGroupKeys': "{{name}}'s keys are not the ones the group holds for them",
  'account.trust.verifiedChanged': "{{name}}'s verified safety number changed",
  'account.trust.changed': "{{name}}'s safety number changed",
  'account.trust.badSignature': "{{name}}'s public keys are not validly signed",
  'account.trust.otherAccount': "{{name}}'s public keys belong to another account",
  'account.trust.malformed': "{{name}}'s public keys are malformed",
  'account.trust.nothingToAccept': 'there are no valid keys to accept for this person',
  'account.trust.notHeldByGroup': 'these keys are not the ones the group holds',

  // Why a message or its key is refused; completes "This message could not be verified: …".
  'account.reason.badSignature': 'its signature does not match the sender',
  'account.reason.decryptFailed': 'it could not be decrypted',
  'account.reason.contextMismatch': 'it was delivered for another conversation or sender',
  'account.reason.keyMismatch': 'it was encrypted to a key this account does not hold',
  'account.reason.replay': 'it repeats a message already received',
  'account.reason.badKey': 'it uses an unusable key',
  'account.reason.tooLarge': 'it is too large',
  'account.reason.malformed': 'it is malformed',
  'account.reason.membersDoNotAddUp': 'the conversation’s member list does not add up',
  'account.reason.notFromAMember': 'its key was handed out by someone outside the conversation',
  'account.reason.groupNotVerified': 'this group’s membership has not been verified yet',
  'account.reason.groupChangeNotVerified': 'its key is for a change to the group this device has not verified yet',
  'account.reason.notInGroupThen': 'this account was not in the group when its key was made',
  'account.reason.wrapperUnknown': 'its key was handed out by a member whose keys the server did not send',
  'account.reason.wrapperMismatch': 'its key was handed out with keys that do not match the group’s',
  'account.reason.wrapperGone':
    'its key was handed out by someone no longer in the group, whose keys cannot be checked',
  'account.reason.noKey': 'there is no key for it',
  'account.reason.keyCheckFailed': 'its conversation key failed a check ({{reason}})',
  'account.reason.keyUnopened': 'its conversation key could not be opened',
} as const satisfies PhraseTable;
