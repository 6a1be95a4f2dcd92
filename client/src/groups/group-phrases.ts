// English for groups (keys groups.*), data only: said through
// `sayer` (present/phrasebook.ts), translated in web/src/i18n/locales/core/groups.<language>.json.

import type { PhraseTable } from '../present/phrasebook.js';

export const GROUP_PHRASES = {
  // Membership notices in the conversation. "…Mine": made by this account; "…You": made to
  // this account alone; `names` is the list of members the change is about.
  'groups.notice.created': '{{name}} created the group',
  'groups.notice.createdMine': 'You created the group',
  'groups.notice.added': '{{name}} added {{names}}',
  'groups.notice.addedYou': '{{name}} added you',
  'groups.notice.addedMine': 'You added {{names}}',
  'groups.notice.addedMineYou': 'You added you',
  'groups.notice.removed': '{{name}} removed {{names}}; a new key is in use',
  'groups.notice.removedYou': '{{name}} removed you; a new key is in use',
  'groups.notice.removedMine': 'You removed {{names}}; a new key is in use',
  'groups.notice.removedMineYou': 'You removed you; a new key is in use',
  'groups.notice.left': '{{name}} left; a new key is in use',
  'groups.notice.leftMine': 'You left; a new key is in use',
  'groups.notice.madeAdmin': '{{name}} made {{names}} an admin',
  'groups.notice.madeAdminYou': '{{name}} made you an admin',
  'groups.notice.madeAdminMine': 'You made {{names}} an admin',
  'groups.notice.madeAdminMineYou': 'You made you an admin',
  'groups.notice.madeMember': '{{name}} made {{names}} a member',
  'groups.notice.madeMemberYou': '{{name}} made you a member',
  'groups.notice.madeMemberMine': 'You made {{names}} a member',
  'groups.notice.madeMemberMineYou': 'You made you a member',
  'groups.notice.renamed': '{{name}} renamed the group',
  'groups.notice.renamedMine': 'You renamed the group',
  // This account among others in a notice's list ("Alice added Carol, you and Dave").
  'groups.notice.youInList': 'you',

  // A group's title while its name cannot be opened, and its members as listed.
  'groups.title.unnamed': 'Group',
  'groups.title.with': 'Group with {{names}}',
  // The last item of a title's list of names: "Group with bob, carol, dave and 2 others".
  'groups.title.others_one': '{{count}} other',
  'groups.title.others_other': '{{count}} others',
  'groups.member.you': 'You',
  // How far a member's keys are trusted.
  'groups.member.checkYou': 'you',
  'groups.member.keysMismatch': 'keys do not match the group’s',
  'groups.member.safetyNumberChanged': 'safety number changed',
  'groups.member.verified': 'verified',
  'groups.member.contact': 'contact',
  'groups.member.addedBy': 'added by {{name}}',
  'groups.member.addedByYou': 'added by you',

  // Why the group's name cannot be shown.
  'groups.info.notLoaded': 'The group’s name could not be loaded yet.',
  'groups.info.unreadable': 'The group’s name could not be read: {{reason}}.',
  'groups.info.invalid': 'The group’s name is not valid.',
  'groups.info.doesNotOpen': 'The group’s name does not open with the group’s key.',

  // The chain of signed changes: warnings, and why nothing can be sent.
  'groups.chain.notMember': 'You are no longer a member of this group.',
  'groups.chain.notVerified': 'This group’s members have not been checked yet.',
  'groups.chain.problem':
    'The server handed out a change to this group that does not check out (record {{index}}: {{reason}}). Nothing will be sent here until it does.',
  'groups.chain.problemBy':
    'The server handed out a change to this group that does not check out (record {{index}} by {{name}}: {{reason}}). Nothing will be sent here until it does.',
  // Why a change does not check out (inside the sentences above and below).
  'groups.reason.badChain': 'it does not follow the changes before it',
  'groups.reason.notEntitled': 'its signer may not make this change',
  'groups.reason.badSignature': 'its signature does not match its signer',
  'groups.reason.badRoom': 'the change does not make sense for this group',
  'groups.reason.otherGroup': 'it belongs to another group',
  'groups.reason.rollback': 'the server left out changes this device already checked',
  'groups.reason.malformed': 'it is malformed',

  // Why a group message is refused; completes "This message could not be verified: …".
  'groups.message.staleKey': 'it was sent under a key the group had already replaced',
  'groups.message.changeNotChecked': 'it uses a key from a change to the group this device has not checked yet',
  'groups.message.senderNotMember': 'its sender was not in the group while that key was in use',
  'groups.message.keysMismatch': 'its sender’s keys do not match the ones the group holds for them',
  'groups.message.senderUnknown': 'its sender is not in this conversation',
  'groups.message.beforeJoining': 'it was sent while you were not in the group, so this device has no key for it',

  // Changes refused before anything is signed.
  'groups.refusal.adminOnlyAdd': 'Only an admin can add members to this group.',
  'groups.refusal.adminOnlyRemove': 'Only an admin can remove members from this group.',
  'groups.refusal.adminOnlyRole': 'Only an admin can change who is an admin.',
  'groups.refusal.adminOnlyRename': 'Only an admin can rename the group.',
  'groups.refusal.listedTwice': '{{name}} is listed twice.',
  'groups.refusal.alreadyInGroup': '{{name}} is already in the group.',
  'groups.refusal.notContact': '{{name}} is not one of your contacts; only contacts can be added.',
  'groups.refusal.tooMany_one': 'A group can have at most {{count}} member.',
  'groups.refusal.tooMany_other': 'A group can have at most {{count}} members.',
  'groups.refusal.chooseToAdd': 'Choose at least one person to add.',
  'groups.refusal.chooseToRemove': 'Choose at least one member to remove.',
  'groups.refusal.memberListedTwice': 'A member is listed twice.',
  'groups.refusal.cannotRemoveSelf': 'You cannot remove yourself; leave the group instead.',
  'groups.refusal.notInGroup': '{{name}} is not in the group.',
  'groups.refusal.notInGroupYou': 'You are not in the group.',
  'groups.refusal.onlyAdminLeaving': 'You are the group’s only admin: make someone else an admin before you leave.',
  'groups.refusal.alreadyAdmin': '{{name}} is already an admin.',
  'groups.refusal.alreadyAdminYou': 'You are already an admin.',
  'groups.refusal.alreadyMember': '{{name}} is already a member.',
  'groups.refusal.alreadyMemberYou': 'You are already a member.',
  'groups.refusal.onlyAdmin': '{{name}} is the group’s only admin: make someone else an admin first.',
  'groups.refusal.onlyAdminYou': 'You are the group’s only admin: make someone else an admin first.',
  'groups.refusal.contactsNotLoaded': 'Your contacts have not loaded yet. Try again in a moment.',
  'groups.refusal.onlyContacts': 'Only your contacts can be added to a group.',
  'groups.refusal.notListed': 'This group is not in your conversation list.',

  // Changes that could not be made safely; nothing was posted.
  'groups.failure.wouldNotCheckOut': 'This change would not check out ({{reason}}). Nothing was changed.',
  'groups.failure.nameNotCarried':
    'The group’s name could not be read, so it cannot be carried over. Nothing was changed.',
  'groups.failure.keyUnusable': 'The group’s key could not be used ({{reason}}). Nothing was changed.',
  'groups.failure.keysUnusable': "{{name}}'s keys cannot be used now ({{reason}}). Nothing was changed.",
  'groups.failure.keysNotChecked': 'they could not be checked',
  'groups.failure.keysMissing': 'The server did not send the keys of a member ({{id}}). Nothing was changed.',
  'groups.failure.keysMismatch':
    "{{name}}'s keys do not match the group's, so no key is sent to them. Nothing was changed.",
  'groups.failure.notInGroup': '{{name}} is not in the group. Nothing was changed.',
} as const satisfies PhraseTable;
