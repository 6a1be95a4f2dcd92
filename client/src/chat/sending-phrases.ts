// English for sending, the connection and error sentences (keys sending.*), data only: said through
// `sayer` (present/phrasebook.ts), translated in web/src/i18n/locales/core/sending.<language>.json.

import type { PhraseTable } from '../present/phrasebook.js';

export const SENDING_PHRASES = {
  // describeError: failures in a person's words
  'sending.error.generic': 'Something went wrong. Try again.',
  'sending.error.protocol': 'A cryptographic check failed ({{code}}). Try again.',
  'sending.error.rateLimited': 'Too many attempts. Wait a little and try again.',
  'sending.error.rateLimitedSeconds_one': 'Too many attempts. Try again in {{count}} second.',
  'sending.error.rateLimitedSeconds_other': 'Too many attempts. Try again in {{count}} seconds.',
  'sending.error.rateLimitedMinutes_one': 'Too many attempts. Try again in {{count}} minute.',
  'sending.error.rateLimitedMinutes_other': 'Too many attempts. Try again in {{count}} minutes.',
  'sending.error.wrongCredentials': 'Wrong username or passphrase',
  'sending.error.sessionEnded': 'Your session has ended. Log in again.',
  'sending.error.usernameTaken': 'That username is already taken. Try another one.',
  'sending.error.inviteRequired': 'Registration here is invite-only: you need an invite link from an existing member.',
  'sending.error.invalidInvite':
    'This invite link is not valid any more (it may have been used, revoked or expired). Ask for a new one.',
  // transport: the server unreachable, or answering in a way the client can't use
  'sending.error.network': "Can't reach the server (Tor circuits sometimes drop; try again).",
  'sending.error.badResponse': "The server sent a reply this page can't read. Try again.",
  'sending.error.serverProblem': 'The server had a problem (HTTP {{status}}). Try again in a moment.',
  'sending.error.requestFailed': 'The request failed (HTTP {{status}}).',
  'sending.connection.timeout': 'The server did not answer in time.',
  'sending.connection.lost': 'The connection was lost.',
  // send outcomes: the note on a message that is late or not sent
  'sending.outcome.unreadable': 'The server sent an answer this app cannot read.',
  'sending.outcome.tooFast': 'You are sending messages too fast. It will go out in a moment.',
  'sending.outcome.serverProblem': 'The server had a problem.',
  'sending.outcome.tooLarge': 'This message is too large to send.',
  'sending.outcome.refused': 'The server refused this message ({{code}}).',
  'sending.outcome.unusableKey': "Not sent: this conversation's key can't be used ({{reason}}).",
  'sending.outcome.notSentBecause': 'Not sent: {{reason}}',
  'sending.outcome.notSent': 'Not sent.',
  // refusals of the message actions
  'sending.compose.tooLong': 'A message can have at most {{max}} characters.',
  'sending.compose.roomGone': 'This conversation does not exist any more.',
  'sending.edit.empty': 'An edit cannot be empty: delete the message instead.',
  'sending.edit.notOwn': 'Only your own text messages can be edited.',
  'sending.delete.notOwn': 'Only your own messages can be deleted for everyone.',
  'sending.react.deleted': 'A deleted message cannot be reacted to.',
  'sending.timer.notOffered': 'Pick one of the disappearing times offered.',
  'sending.unsent.answer': 'Only a message that has been sent can be answered.',
  'sending.unsent.edit': 'Only a message that has been sent can be edited.',
  'sending.unsent.delete': 'Only a message that has been sent can be deleted.',
  'sending.unsent.react': 'Only a message that has been sent can be reacted to.',
  // the composer's counter near the limit
  'sending.counter.left_one': '{{n}} character left',
  'sending.counter.left_other': '{{n}} characters left',
} as const satisfies PhraseTable;
