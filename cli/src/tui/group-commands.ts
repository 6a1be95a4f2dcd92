// Groups in the chat: reading "/group NAME with bob, carol", finding the friends and
// members typed by name, and the /members panel. Pure: the sentences are made here, the
// changes themselves go through TuiActions to the core (which checks every one of
// them again, and says why it refuses).

import { GROUP_NAME_MAX_CHARS, type Friend, type GroupMemberView, type GroupView } from '@onionchat/client';
import { isOutOfGroup, sameUsername } from '../conversation-names.js';
import { cleanText } from './text.js';

export const GROUP_USAGE = '/group NAME with FRIEND[,FRIEND…]';

/** Friends' names as typed: "bob, carol", "bob,carol" and "bob carol" alike. */
export function splitNames(args: readonly string[]): string[] {
  return args
    .flatMap((arg) => arg.split(','))
    .map((name) => name.trim().replace(/^@/, ''))
    .filter((name) => name.length > 0);
}

/**
 * "/group Hikers with bob, carol": the name (several words, or quoted when it holds the
 * word "with") and the friends. A sentence when it is not that.
 */
export function parseGroupCreate(args: readonly string[]): { name: string; members: string[] } | { error: string } {
  const at = args.findIndex((arg, index) => index > 0 && arg.toLowerCase() === 'with');
  if (at < 0) {
    return {
      error: `Usage: ${GROUP_USAGE} (make a group with some of your friends), e.g. /group Hikers with bob, carol.`,
    };
  }
  const name = args.slice(0, at).join(' ').trim();
  const members = splitNames(args.slice(at + 1));
  const problem = groupNameProblem(name);
  if (problem) return { error: problem };
  if (members.length === 0) return { error: `Say who is in it: ${GROUP_USAGE}.` };
  return { name, members };
}

/** Why a group can't be called that, or null (the core checks again). */
export function groupNameProblem(name: string): string | null {
  if (name.length === 0) return 'A group needs a name.';
  if ([...name].length > GROUP_NAME_MAX_CHARS) {
    return `A group’s name can be at most ${GROUP_NAME_MAX_CHARS} characters.`;
  }
  return null;
}

/** The friends' user ids, in the order typed; a sentence for a name that is not a friend's. */
export function friendIds(friends: readonly Friend[], names: readonly string[]): string[] {
  return names.map((name) => {
    const friend = friends.find((entry) => sameUsername(entry.user.username, name));
    if (!friend) throw new Error(`${name} is not one of your friends; only friends can be added to a group.`);
    return friend.user.id;
  });
}

/** A member of the group by the name typed (this account by its username); a sentence when nobody is. */
export function findMember(view: GroupView, name: string, myUsername: string): GroupMemberView {
  const found = view.members.find((member) => sameUsername(member.me ? myUsername : member.name, name));
  if (!found) throw new Error(`${name.replace(/^@/, '')} is not in this group. /members lists who is.`);
  return found;
}

/** How one member is checked, in a few words: the core's label, marked when it is a warning. */
export function memberCheckText(member: GroupMemberView): string {
  const alarm = member.check === 'mismatch' || member.check === 'changed';
  const mark = member.check === 'verified' ? '✓ ' : alarm ? '⚠ ' : '';
  return `${mark}${member.label}`;
}

/** The /members panel: the verified members, admins first, each with their role and how far they are checked. */
export function membersPanel(view: GroupView, myUsername: string): string[] {
  const title = cleanText(view.title);
  const lines: string[] = [];
  if (isOutOfGroup(view)) {
    lines.push(`${title}: you are no longer in this group.`, '');
  } else {
    const role = view.myRole === 'admin' ? ', you are an admin' : '';
    lines.push(`${title}: ${view.members.length} ${view.members.length === 1 ? 'member' : 'members'}${role}`, '');
  }
  if (view.warning) lines.push(`⚠ ${view.warning}`, '');
  if (!view.verified) {
    lines.push('The members have not been checked yet: nothing is shown until their signed records check out.');
  }
  const names = view.members.map((member) => cleanText(member.me ? `${myUsername} (you)` : member.name));
  const width = Math.max(0, ...names.map((name) => [...name].length));
  view.members.forEach((member, index) => {
    lines.push(`  ${names[index]!.padEnd(width)}  ${member.role.padEnd(6)}  ${memberCheckText(member)}`);
  });
  lines.push(
    '',
    'These are the members as this client verified them from the group’s signed records, not as the server lists them.',
  );
  lines.push(
    view.myRole === 'admin'
      ? '/add FRIEND… adds, /kick MEMBER removes, /admin and /unadmin MEMBER, /rename NAME, /leave. Esc closes this.'
      : '/leave leaves the group. Esc closes this.',
  );
  return lines;
}
