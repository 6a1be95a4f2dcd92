// The add-friend form's checks, before anything is sent, and what a friend request's
// keys say.

import type { Friend, FriendsList } from '@onionchat/contract';
import { canonicalUsername } from '../account/identity.js';
import type { LinkOutcome } from '../chat/add-from-link.js';
import { parseContactLink, type ContactLink } from '../trust/contact-link.js';
import type { TrustState } from '../trust/key-directory.js';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayUsernameProblem } from './form-rules.js';
import { sayer } from './phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

/**
 * What was typed, checked: the canonical name to send the request to, or what is
 * wrong with it (`focusField`: the field should take focus again, so it can be fixed).
 */
export type FriendNameCheck = { ok: true; name: string } | { ok: false; error: string; focusField: boolean };

/** Checks a friend's username as typed; `myUsername`: this account's. */
export function checkFriendName(input: string, myUsername: string): FriendNameCheck {
  const name = canonicalUsername(input);
  if (name.length === 0) {
    return { ok: false, error: say('account.friendForm.enterName'), focusField: true };
  }
  // The protocol words its own rules, in English only: shown as it says them.
  const problem = sayUsernameProblem(name);
  if (problem) return { ok: false, error: problem, focusField: true };
  if (name === myUsername) return { ok: false, error: say('account.friendForm.isYou'), focusField: false };
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
      error: say('account.friendForm.ownLink'),
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
      return say('account.friendForm.requested', { name: outcome.username });
    case 'accepted':
      return say('account.friendForm.acceptedTheirs', { name: outcome.username });
    case 'verified':
      return say('account.friendForm.verified', { name: outcome.username });
  }
}

const FINGERPRINT_GROUP = /.{1,4}/g;

/** What to ask before adding someone from a contact link that arrived in the page's address. */
export function linkConfirmation(link: ContactLink): { title: string; body: string; confirmLabel: string } {
  const grouped = (link.fingerprint.match(FINGERPRINT_GROUP) ?? []).join(' ');
  const name = link.username;
  return {
    title: say('account.friendForm.confirmTitle', { name }),
    body: say('account.friendForm.confirmBody', { name, fingerprint: grouped }),
    confirmLabel: say('account.friendForm.confirmLabel', { name }),
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
    return { loud: false, text: say('account.request.keysInvalid', { name }) };
  }
  if (state !== 'changed' && state !== 'changed-verified') return null;
  const verified = state === 'changed-verified';
  return {
    loud: verified,
    text: say(verified ? 'account.request.verifiedKeysChanged' : 'account.request.keysChanged', { name }),
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
  return say('account.friendForm.acceptedNote', { name: username });
}
