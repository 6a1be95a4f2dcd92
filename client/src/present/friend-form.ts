// The add-friend form's checks, before anything is sent, and what a friend request's
// keys say.

import type { Friend, FriendsList } from '@onionchat/contract';
import { usernameProblem } from '@onionchat/protocol';
import { canonicalUsername } from '../account/identity.js';
import type { LinkOutcome } from '../chat/add-from-link.js';
import { parseContactLink, type ContactLink } from '../trust/contact-link.js';
import type { TrustState } from '../trust/key-directory.js';

/**
 * What was typed, checked: the canonical name to send the request to, or what is
 * wrong with it (`focusField`: the field should take focus again, so it can be fixed).
 */
export type FriendNameCheck = { ok: true; name: string } | { ok: false; error: string; focusField: boolean };

/** Checks a friend's username as typed; `myUsername`: this account's. */
export function checkFriendName(input: string, myUsername: string): FriendNameCheck {
  const name = canonicalUsername(input);
  if (name.length === 0) {
    return { ok: false, error: 'Enter the username of the person you want to add.', focusField: true };
  }
  const problem = usernameProblem(name);
  if (problem) return { ok: false, error: problem, focusField: true };
  if (name === myUsername)
    return { ok: false, error: 'That’s you. Add someone else by their username.', focusField: false };
  return { ok: true, name };
}

/**
 * What was typed or pasted into the add-friend form: a username, or a contact link
 * (whose fingerprint the server's keys will be checked against).
 */
export type FriendEntryCheck =
  | { ok: true; kind: 'name'; name: string }
  | { ok: true; kind: 'link'; link: ContactLink }
  | { ok: false; error: string; focusField: boolean };

/** Checks the add-friend form's input: a contact link (or its fragment), else a username. */
export function checkFriendEntry(input: string, myUsername: string): FriendEntryCheck {
  let link: ContactLink | null;
  try {
    link = parseContactLink(input);
  } catch (error) {
    return { ok: false, error: (error as Error).message, focusField: true };
  }
  if (!link) {
    const check = checkFriendName(input, myUsername);
    return check.ok ? { ok: true, kind: 'name', name: check.name } : check;
  }
  if (link.username === canonicalUsername(myUsername)) {
    return {
      ok: false,
      error: 'That is your own contact link: give it to others so they can add you.',
      focusField: false,
    };
  }
  return { ok: true, kind: 'link', link };
}

/** The contact link in a page's fragment ("#add=bob&fp=…"), checked; null when there is none. */
export function linkInFragment(hash: string, myUsername: string): FriendEntryCheck | null {
  if (!/(?:^#?|&)add=/.test(hash)) return null;
  return checkFriendEntry(hash, myUsername);
}

/** What the form says once adding from a link worked. */
export function linkOutcomeNote(outcome: LinkOutcome): string {
  switch (outcome.kind) {
    case 'requested':
      return `${outcome.username}’s keys match the link: they are verified. Friend request sent.`;
    case 'accepted':
      return `${outcome.username}’s keys match the link: they are verified, and their friend request is accepted.`;
    case 'verified':
      return `${outcome.username}’s keys match the link: they are verified.`;
  }
}

const FINGERPRINT_GROUP = /.{1,4}/g;

/** What to ask before adding someone from a contact link that arrived in the page's address. */
export function linkConfirmation(link: ContactLink): { title: string; body: string; confirmLabel: string } {
  const grouped = (link.fingerprint.match(FINGERPRINT_GROUP) ?? []).join(' ');
  return {
    title: `Add ${link.username} from their contact link?`,
    body:
      `The keys this server has for ${link.username} are checked against the link’s fingerprint (${grouped}) ` +
      'before anything is sent. If they match, you send a friend request and they are marked verified; if not, you are warned and nothing is sent. Only go ahead if the link came from them.',
    confirmLabel: `Add ${link.username}`,
  };
}

/**
 * What a friend request's keys mean for the person, from `ChatSession.requestTrust`:
 * a request under a name this account has pinned with other keys (a known name under a
 * new id) cannot be accepted, since that would wrap a room key to keys nobody compared.
 * `loud` for a contact who was verified. Null when there is nothing to say.
 */
export function requestKeyWarning(
  state: TrustState | 'new' | undefined,
  name: string,
): { loud: boolean; text: string } | null {
  if (state === 'invalid') {
    return { loud: false, text: `${name}’s keys do not check out, so this request cannot be accepted.` };
  }
  if (state !== 'changed' && state !== 'changed-verified') return null;
  const verified = state === 'changed-verified';
  const known = verified ? `the ${name} you verified` : `the ${name} you know`;
  return {
    loud: verified,
    text: `⚠ ${name}’s ${verified ? 'verified ' : ''}safety number changed: this request comes with other keys than ${known}. It may be a new account of theirs, or the server impersonating them, so it cannot be accepted here. Ask them another way, and decline it if it is not them.`,
  };
}

/**
 * The friends who accepted this account's requests between two loads of the friends
 * lists: the request was outgoing before and they are a friend now (a cancelled or
 * declined request just disappears). Nothing on the first load, which is no change.
 */
export function acceptedSince(before: FriendsList | null, after: FriendsList | null): Friend[] {
  if (!before || !after) return [];
  const asked = new Set(before.outgoing.map((request) => request.user.id));
  const known = new Set(before.friends.map((friend) => friend.user.id));
  return after.friends.filter((friend) => asked.has(friend.user.id) && !known.has(friend.user.id));
}

/** What the requester is told when someone accepted. */
export function acceptedNote(username: string): string {
  return `${username} accepted your friend request. You can now talk, end-to-end encrypted.`;
}
