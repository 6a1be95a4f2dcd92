// English for a conversation's notices, refused actions, search and notifications (keys conversation.*), data only: said through
// `sayer` (present/phrasebook.ts), translated in web/src/i18n/locales/core/conversation.<language>.json.

import type { PhraseTable } from '../present/phrasebook.js';

export const CONVERSATION_PHRASES = {
  // A timer message's notice; {{duration}} is a timer length ("1 day").
  'conversation.timer.offMine': 'You turned off disappearing messages',
  'conversation.timer.setMine': 'You set disappearing messages to {{duration}}',
  'conversation.timer.off': '{{name}} turned off disappearing messages',
  'conversation.timer.set': '{{name}} set disappearing messages to {{duration}}',
  'conversation.timer.offUnknown': 'Someone turned off disappearing messages',
  'conversation.timer.setUnknown': 'Someone set disappearing messages to {{duration}}',

  // Notices before a message, from the sender counters.
  'conversation.sequence.missing_one': '{{count}} message from {{name}} is missing here: the server withheld it.',
  'conversation.sequence.missing_other': '{{count}} messages from {{name}} are missing here: the server withheld them.',
  'conversation.sequence.outOfOrder':
    'The next message from {{name}} is out of order or a repeat: the server reordered or replayed it.',

  // This client's own edit, deletion or reaction that failed to go out.
  'conversation.ownAction.edit': 'Edit: {{text}}',
  'conversation.ownAction.delete': 'Delete for everyone',
  'conversation.ownAction.removeReaction': 'Remove reaction',
  'conversation.ownAction.reaction': 'Reaction {{emoji}}',

  // A member's action the rules refuse; {{reason}} is one of conversation.refusal.*.
  'conversation.refused.edit': 'An edit from {{name}} was refused: {{reason}}',
  'conversation.refused.delete': 'A deletion from {{name}} was refused: {{reason}}',
  'conversation.refused.reaction': 'A reaction from {{name}} was refused: {{reason}}',
  'conversation.refusal.notOwn': "it names someone else's message.",
  'conversation.refusal.moved': 'the message it names is not where it says (the server moved it).',
  'conversation.refusal.notText': 'only text can be edited.',
  'conversation.refusal.notAMessage': 'it names something that is not a message.',
  'conversation.refusal.deleted': 'the message it names was deleted.',

  // Why a message is shown as unverified.
  'conversation.unverified.erased': "The server removed this message's content, and its sender has not deleted it.",
  'conversation.unverified.wrongConversation': 'it was delivered to the wrong conversation',
  'conversation.unverified.senderNotMember': 'its sender is not in this conversation',

  // Why nothing may be sent to a direct conversation.
  'conversation.trust.safetyNumberChanged': "{{name}}'s safety number changed. Review it before sending anything more.",
  'conversation.trust.keysInvalid': "{{name}}'s keys do not check out, so nothing can be sent to them.",
  'conversation.trust.noValidKeys': 'there are no valid keys for this person',

  // Files picked to send that cannot go.
  'conversation.files.tooMany_one': 'You can send at most {{count}} file at once.',
  'conversation.files.tooMany_other': 'You can send at most {{count}} files at once.',
  'conversation.files.tooLarge': '“{{name}}” is too large to send.',

  // Search.
  'conversation.search.tooLong_one': 'Search for at most {{count}} character.',
  'conversation.search.tooLong_other': 'Search for at most {{count}} characters.',

  // A system notification; {{group}} is the group's name.
  'conversation.notify.title_one': 'New message',
  'conversation.notify.title_other': '{{count}} new messages',
  'conversation.notify.titleFrom_one': 'New message from {{name}}',
  'conversation.notify.titleFrom_other': '{{count}} new messages from {{name}}',
  'conversation.notify.titleInGroup_one': 'New message in {{group}}',
  'conversation.notify.titleInGroup_other': '{{count}} new messages in {{group}}',
  'conversation.notify.titleFromInGroup_one': 'New message from {{name}} in {{group}}',
  'conversation.notify.titleFromInGroup_other': '{{count}} new messages from {{name}} in {{group}}',
  'conversation.notify.hiddenBody': 'Open OnionChat to read it.',
  'conversation.notify.filePreview': 'File: {{name}}',

  // The warning under a message delivered at the wrong time or again. {{sent}} and
  // {{delivered}} are conversation.delivery.atTime or .onDate; {{name}} is the sender.
  'conversation.delivery.replayed':
    'Sent {{sent}} by {{name}}’s clock, and out of step with what was already received from {{name}}: the server may have delivered it again (a replay). It is not shown as new.',
  'conversation.delivery.behind':
    'Sent {{sent}} by {{name}}’s clock but delivered {{delivered}}: the server may have held it back, replayed or re-timed it.',
  'conversation.delivery.ahead':
    'Sent {{sent}} by {{name}}’s clock, later than the server says it arrived ({{delivered}}): the server may have re-timed it, or {{name}}’s clock is wrong.',
  'conversation.delivery.beforePrevious':
    'Sent {{sent}} by {{name}}’s clock, earlier than the message {{name}} sent before it: the server may have replayed or re-timed it, or {{name}}’s clock went back.',
  'conversation.delivery.atTime': 'at {{time}}',
  'conversation.delivery.onDate': 'on {{date}}',
} as const satisfies PhraseTable;
