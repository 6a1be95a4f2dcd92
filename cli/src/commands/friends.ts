// Friend commands: the lists, requests, blocking, contact links and safety numbers.

import {
  canonicalUsername,
  parseContactLink,
  type ChatSession,
  type ChatSnapshot,
  type FriendsList,
  type TrustState,
} from '@onionchat/client';
import { say, type Context } from '../context.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { friendsLoaded } from '../wait.js';
import { findFriend, findRequest, loadedRoom } from './friend-lookup.js';
import { withChat } from './with-chat.js';

/** Friends (with how far their keys are trusted), requests both ways, and who is blocked. */
export async function friends(context: Context, options: { json?: boolean }): Promise<void> {
  await withChat(context, async ({ chat }) => {
    const lists = await friendsLoaded(chat);
    for (const entry of listEntries(lists, chat.getSnapshot())) {
      say(context.io.stdout, options.json ? JSON.stringify(entry) : entryLine(entry));
    }
  });
}

export interface ListEntry {
  kind: 'friend' | 'incoming' | 'outgoing' | 'blocked';
  username: string;
  userId: string;
  since: string;
  /** Friends only: 'unverified', 'verified', 'changed', 'changed-verified', 'invalid', or null before their keys were checked. */
  trust?: TrustState | null;
}

export function listEntries(lists: FriendsList, snapshot: ChatSnapshot): ListEntry[] {
  return [
    ...lists.friends.map((friend) => ({
      kind: 'friend' as const,
      username: friend.user.username,
      userId: friend.user.id,
      since: friend.since,
      trust: snapshot.rooms.get(friend.roomId)?.trust?.state ?? null,
    })),
    ...lists.incoming.map((request) => requestEntry('incoming', request)),
    ...lists.outgoing.map((request) => requestEntry('outgoing', request)),
    ...lists.blocked.map((blocked) => ({
      kind: 'blocked' as const,
      username: blocked.user.username,
      userId: blocked.user.id,
      since: blocked.since,
    })),
  ];
}

function requestEntry(kind: 'incoming' | 'outgoing', request: FriendsList['incoming'][number]): ListEntry {
  return { kind, username: request.user.username, userId: request.user.id, since: request.createdAt };
}

const KIND_WORDS: Record<ListEntry['kind'], string> = {
  friend: 'friend  ',
  incoming: 'asks you',
  outgoing: 'asked   ',
  blocked: 'blocked ',
};

export function entryLine(entry: ListEntry): string {
  const trust = entry.kind === 'friend' ? `  ${entry.trust ?? 'keys not checked yet'}` : '';
  return `${KIND_WORDS[entry.kind]}  ${entry.username}${trust}  (since ${entry.since})`;
}

export async function request(context: Context, username: string): Promise<void> {
  await withChat(context, async ({ chat }) => {
    await friendsLoaded(chat);
    const sent = await chat.requestFriend(canonicalUsername(username));
    say(context.io.stdout, `Asked ${sent.user.username} to be your friend.`);
  });
}

/** Accepts a request: the direct conversation is created here (its id and key). */
export async function accept(context: Context, username: string): Promise<void> {
  await withChat(context, async ({ chat }) => {
    const incoming = findRequest(await friendsLoaded(chat), 'incoming', username);
    const trust = chat.requestTrust(incoming);
    if (trust === 'changed' || trust === 'changed-verified') {
      throw new CliError(
        `${incoming.user.username}'s keys are not the ones you knew under that name, so the request was not accepted.`,
        EXIT.trust,
      );
    }
    await chat.accept(incoming);
    say(context.io.stdout, `You and ${incoming.user.username} are friends now.`);
  });
}

export async function decline(context: Context, username: string): Promise<void> {
  await dismiss(context, 'incoming', username, (name) => `Declined ${name}'s request.`);
}

export async function cancel(context: Context, username: string): Promise<void> {
  await dismiss(context, 'outgoing', username, (name) => `Withdrew your request to ${name}.`);
}

async function dismiss(
  context: Context,
  kind: 'incoming' | 'outgoing',
  username: string,
  done: (name: string) => string,
): Promise<void> {
  await withChat(context, async ({ chat }) => {
    const found = findRequest(await friendsLoaded(chat), kind, username);
    await chat.dismissRequest(found);
    say(context.io.stdout, done(found.user.username));
  });
}

export async function block(context: Context, username: string): Promise<void> {
  await withChat(context, async ({ chat }) => {
    await friendsLoaded(chat);
    const name = canonicalUsername(username);
    await chat.block(name);
    say(context.io.stdout, `Blocked ${name}.`);
  });
}

export async function unblock(context: Context, username: string): Promise<void> {
  await withChat(context, async ({ chat }) => {
    const name = canonicalUsername(username);
    const blocked = (await friendsLoaded(chat)).blocked.find((entry) => entry.user.username === name);
    if (!blocked) throw new CliError(`${name} is not blocked.`, EXIT.failure);
    await chat.unblock(blocked.user.id);
    say(context.io.stdout, `Unblocked ${name}.`);
  });
}

/** Adds the person a contact link names, verified when the server's keys match the link. */
export async function add(context: Context, linkText: string): Promise<void> {
  const link = parseContactLink(linkText);
  if (!link) throw usageError('That is not a contact link (it has no “#add=…&fp=…” part).');
  await withChat(context, async ({ chat }) => {
    await friendsLoaded(chat);
    const outcome = await chat.addFromLink(link);
    const words = {
      requested: `Asked ${outcome.username} to be your friend; their keys match the link, so they are verified.`,
      accepted: `${outcome.username} had asked you: you are friends now, verified by the link.`,
      verified: `${outcome.username} is verified: their keys match the link.`,
    };
    say(context.io.stdout, words[outcome.kind]);
  });
}

/** The safety number to compare with a friend, and how far their keys are trusted now. */
export async function safety(context: Context, name: string, options: { json?: boolean }): Promise<void> {
  await withChat(context, async ({ chat }) => {
    const { username, userId, state, number } = await safetyOf(chat, name);
    if (options.json) {
      say(context.io.stdout, JSON.stringify({ username, userId, trust: state, safetyNumber: number.digits }));
      return;
    }
    say(context.io.stdout, `Safety number with ${username} (${state}):`);
    for (let row = 0; row < number.groups.length; row += 4) {
      say(context.io.stdout, `  ${number.groups.slice(row, row + 4).join(' ')}`);
    }
    say(
      context.io.stdout,
      'Compare it with theirs in person or over a channel you trust; if it matches: onionchat verify',
    );
  });
}

/**
 * Marks a friend verified (pinned in the sealed key bundle, as the web app does). A
 * changed key is accepted only with --accept-new-key, after showing its number.
 */
export async function verify(context: Context, name: string, options: { acceptNewKey?: boolean }): Promise<void> {
  await withChat(context, async ({ chat }) => {
    const { username, userId, state, number } = await safetyOf(chat, name);
    const changed = state === 'changed' || state === 'changed-verified';
    if (state === 'invalid') throw new CliError(`The server's keys for ${username} do not check out.`, EXIT.trust);
    if (changed && !options.acceptNewKey) {
      throw new CliError(
        `${username}'s key changed. Compare the new safety number (onionchat safety ${username}); if it matches, run verify again with --accept-new-key.`,
        EXIT.trust,
      );
    }
    chat.setTrust(userId, true);
    say(context.io.stdout, `${username} is verified (safety number ${number.groups.join(' ')}).`);
  });
}

async function safetyOf(chat: ChatSession, name: string) {
  const friend = await findFriend(chat, name);
  const room = await loadedRoom(chat, friend);
  const state = room.trust?.state ?? 'invalid';
  const number = await chat.safetyNumberWith(friend.user.id);
  return { username: friend.user.username, userId: friend.user.id, state, number };
}
