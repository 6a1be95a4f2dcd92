// The add-friend form's checks, before anything is sent.

import { usernameProblem } from '@onionchat/protocol';
import { canonicalUsername } from '../account/identity.js';

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
