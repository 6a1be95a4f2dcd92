// Adding a contact from their contact link: the keys the server presents for that
// username are compared with the link's fingerprint before anything is built on them.
// Equal: the contact is pinned as verified at once, as if safety numbers had been
// compared. Different: nothing is pinned, nothing stays sent, and the person is told.

import type { FriendRequest, FriendsList, PublicUser, User } from '@onionchat/contract';
import { decodePublicKeysAsync, fromBase64, normalizeUsername, type PublicKeys } from '@onionchat/protocol';
import { ApiError } from '../transport/api-error.js';
import type { Api } from '../transport/api.js';
import type { KeyDirectory } from '../trust/index.js';
import { keysMatchLink, type ContactLink } from '../trust/contact-link.js';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

/** The server's keys for a linked contact are not the ones the link names, or do not check out. */
export class LinkMismatchError extends Error {
  constructor(
    readonly username: string,
    message: string,
  ) {
    super(message);
    this.name = 'LinkMismatchError';
  }
}

/** What adding from a link did: the contact is verified in every case. */
export type LinkOutcome =
  /** A friend request went out. */
  | { kind: 'requested'; username: string }
  /** They had asked first: their request was accepted, this is the new conversation. */
  | { kind: 'accepted'; username: string; roomId: string }
  /** Already a friend, or already asked: only the verification is new. */
  | { kind: 'verified'; username: string };

export interface LinkParts {
  api: Pick<Api, 'requestFriend' | 'deleteFriendRequest'>;
  me: User;
  directory: Pick<KeyDirectory, 'learn' | 'prepare'>;
  /** The friends lists as last loaded (null: not yet). */
  lists: () => FriendsList | null;
  /** Loads the lists again (after this client changed them, or found them out of date). */
  refreshLists: () => Promise<void>;
  /** Pins the keys presented now for this contact, verified, and unblocks their conversations. */
  verify: (userId: string) => void;
  /** Accepts their friend request (creates the direct room); returns its id. */
  accept: (request: FriendRequest) => Promise<string>;
}

/** The server's answers that mean the lists here are out of date. */
const STALE_LIST_CODES = new Set(['they_asked_first', 'already_requested', 'already_friends']);

/** Adds the person a contact link names, verified; throws LinkMismatchError when the server's keys differ. */
export async function addFromLink(parts: LinkParts, link: ContactLink): Promise<LinkOutcome> {
  if (normalizeUsername(link.username) === normalizeUsername(parts.me.username)) {
    throw new LinkMismatchError(link.username, say('account.link.own'));
  }
  const known = findKnown(parts.lists(), link.username);
  if (known) return settleKnown(parts, link, known);
  let request: FriendRequest;
  try {
    ({ request } = await parts.api.requestFriend(link.username));
  } catch (error) {
    if (!(error instanceof ApiError) || !STALE_LIST_CODES.has(error.code)) throw error;
    await parts.refreshLists();
    const found = findKnown(parts.lists(), link.username);
    if (!found) throw error;
    return settleKnown(parts, link, found);
  }
  try {
    await confirmKeys(request.user, link, 'withdrawn');
  } catch (error) {
    await parts.api.deleteFriendRequest(request.id).catch(() => undefined);
    await parts.refreshLists().catch(() => undefined);
    throw error;
  }
  await trustVerified(parts, request.user);
  await parts.refreshLists().catch(() => undefined);
  return { kind: 'requested', username: request.user.username };
}

type Known =
  | { kind: 'friend'; user: PublicUser }
  | { kind: 'outgoing'; user: PublicUser }
  | { kind: 'incoming'; user: PublicUser; request: FriendRequest };

/** Someone the lists already show under that username. */
function findKnown(lists: FriendsList | null, username: string): Known | null {
  if (!lists) return null;
  const name = normalizeUsername(username);
  const same = (user: PublicUser) => normalizeUsername(user.username) === name;
  const friend = lists.friends.find((entry) => same(entry.user));
  if (friend) return { kind: 'friend', user: friend.user };
  const incoming = lists.incoming.find((entry) => same(entry.user));
  if (incoming) return { kind: 'incoming', user: incoming.user, request: incoming };
  const outgoing = lists.outgoing.find((entry) => same(entry.user));
  return outgoing ? { kind: 'outgoing', user: outgoing.user } : null;
}

async function settleKnown(parts: LinkParts, link: ContactLink, known: Known): Promise<LinkOutcome> {
  await confirmKeys(known.user, link, 'nothingSent');
  await trustVerified(parts, known.user);
  if (known.kind !== 'incoming') return { kind: 'verified', username: known.user.username };
  const roomId = await parts.accept(known.request);
  return { kind: 'accepted', username: known.user.username, roomId };
}

/** What a refusal did about the request: withdrew the one just sent, or sent nothing at all. */
type Refusal = 'withdrawn' | 'nothingSent';

const INVALID_KEYS = {
  withdrawn: 'account.link.keysInvalidWithdrawn',
  nothingSent: 'account.link.keysInvalidNothingSent',
} as const;
const OTHER_KEYS = {
  withdrawn: 'account.link.keysMismatchWithdrawn',
  nothingSent: 'account.link.keysMismatchNothingSent',
} as const;

/** Throws LinkMismatchError unless `user`'s keys check out and are the ones the link names. */
async function confirmKeys(user: PublicUser, link: ContactLink, refusal: Refusal): Promise<void> {
  const keys = await presentedKeys(user);
  if (!keys) throw new LinkMismatchError(link.username, say(INVALID_KEYS[refusal], { name: link.username }));
  if (!keysMatchLink(keys, link)) {
    throw new LinkMismatchError(link.username, say(OTHER_KEYS[refusal], { name: link.username }));
  }
}

/** The keys the server presents for `user`, checked against their self-signature; null if they fail. */
async function presentedKeys(user: PublicUser): Promise<PublicKeys | null> {
  try {
    return await decodePublicKeysAsync(fromBase64(user.publicKeys), user.username, user.id);
  } catch {
    return null;
  }
}

async function trustVerified(parts: LinkParts, user: PublicUser): Promise<void> {
  await parts.directory.prepare([user]);
  try {
    parts.directory.learn(user);
  } catch {
    // A pin of another key for this name: the link's fingerprint settles it, as a comparison would.
  }
  parts.verify(user.id);
}
