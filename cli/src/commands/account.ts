// Account commands: sign up, log in, change the passphrase, list and end sessions, delete the account.

import {
  canonicalUsername,
  contactLink,
  describeError,
  identityFingerprint,
  parseInviteToken,
  readInviter,
  sessionsInOrder,
  startChat,
  type Session,
} from '@onionchat/client';
import { read } from 'read';
import { say, type Context } from '../context.js';
import { DiskSink } from '../disk-sink.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { pinOrigin } from '../net/origin-policy.js';
import { askNewPassphrase, askPassphrase } from '../passphrase.js';
import { accountOf, askUsername, connect, logIn, passphraseSource, progressOn, type Account } from '../session.js';

/** Signs up with an invite link (its origin is the one pinned), then ends the new session. */
export async function signup(context: Context, link: string): Promise<void> {
  const linkOrigin = pinOrigin(link, context.options.allowAnyOrigin).origin;
  if (context.options.onion && pinOrigin(context.options.onion, true).origin !== linkOrigin) {
    throw usageError(`The invite link is for ${linkOrigin}, not ${context.options.onion}.`);
  }
  const connection = connect(context.options, new DiskSink(process.cwd()), linkOrigin);
  const token = parseInviteToken(link);
  const { inviter, problem } = readInviter(link);
  if (problem) say(context.io.stderr, problem);
  const username = canonicalUsername(await askUsername(context));
  const passphrase = await askNewPassphrase(passphraseSource(context.options), username, context.io);
  const unlocked = await connection.client.account.signUp(username, passphrase, token, progressOn(context));
  const account = accountOf(connection, unlocked);
  try {
    say(context.io.stdout, `Signed up as ${account.user.username} on ${linkOrigin}.`);
    if (inviter) {
      const add = contactLink(linkOrigin, inviter.username, inviter.fingerprint);
      say(
        context.io.stdout,
        `${inviter.username} invited you. To add them as a verified friend: onionchat add '${add}'`,
      );
    }
  } finally {
    await account.logOut();
  }
}

/** Checks the credentials and says who and where you are. */
export async function login(context: Context, options: { json?: boolean }): Promise<void> {
  await withAccount(context, async (account) => {
    const sessions = await account.client.account.listSessions();
    const current = sessions.find((session) => session.current) ?? null;
    const { user, connection } = account;
    // What others paste into "add" (or the web app's "Add a friend") to add you verified.
    const link = contactLink(connection.pinned.origin, user.username, identityFingerprint(account.identity));
    if (options.json) {
      const out = {
        user: { id: user.id, username: user.username },
        origin: connection.pinned.origin,
        session: current,
        contactLink: link,
      };
      say(context.io.stdout, JSON.stringify(out));
      return;
    }
    say(context.io.stdout, `Logged in as ${user.username} (${user.id}) on ${connection.pinned.origin}.`);
    if (current) say(context.io.stdout, `This session: ${current.id}, ended again as this command exits.`);
    say(context.io.stdout, `Open sessions: ${sessions.length}.`);
    say(context.io.stdout, `Your contact link (others add you verified with it): ${link}`);
  });
}

/** Re-seals the keys under a new passphrase (asked twice on a terminal). */
export async function passphrase(
  context: Context,
  options: { newPassphraseFd?: number; newPassphraseEnv?: string },
): Promise<void> {
  // Asked in the order a person expects: who, then the current passphrase, then the new one.
  const user = await askUsername(context);
  const known = { ...context, options: { ...context.options, user } };
  const current = await askPassphrase(passphraseSource(context.options), 'Current passphrase: ', context.io);
  await withAccount(
    known,
    async (account) => {
      const nextSource = { fd: options.newPassphraseFd, env: options.newPassphraseEnv };
      const next = await askNewPassphrase(nextSource, account.user.username, context.io);
      await account.client.account.changePassphrase(account.user, account.identity, current, next, progressOn(context));
      say(context.io.stdout, 'Your passphrase was changed. Use the new one from now on.');
    },
    current,
  );
}

/**
 * Deletes the account for good: the username typed again (or --confirm) and the
 * passphrase, then every group is left with a signed record and the server deletes the
 * rest. The keys are wiped from memory as at log-out.
 */
export async function deleteAccount(context: Context, options: { confirm?: string }): Promise<void> {
  const user = await askUsername(context);
  const known = { ...context, options: { ...context.options, user } };
  let confirmation = options.confirm;
  if (confirmation === undefined) {
    if (!context.io.stdin.isTTY) throw usageError('Confirm with --confirm USERNAME: the account cannot be restored.');
    say(
      context.io.stderr,
      `This deletes ${user} for good: keys, sessions, every message and file you sent, and your one-to-one conversations.`,
    );
    confirmation = String(
      await read({
        prompt: 'Type your username to confirm: ',
        input: context.io.stdin,
        output: context.io.stderr,
      }),
    );
  }
  const passphrase = await askPassphrase(passphraseSource(context.options), 'Passphrase: ', context.io);
  const account = await logIn(known, undefined, passphrase);
  const chat = startChat(account.client, {
    user: account.user,
    identity: account.identity,
    vault: account.vault,
    onSessionLost: () => {},
  });
  chat.start();
  try {
    await account.client.deleteAccount({
      user: account.user,
      knownIdentity: account.identity,
      groups: chat,
      passphrase,
      confirmation,
      onProgress: progressOn(context),
    });
  } finally {
    chat.stop();
    // After a deletion the session is gone already: this only wipes the keys.
    await account.logOut().catch((error: unknown) => {
      say(context.io.stderr, `Warning: the session could not be ended (${describeError(error)}).`);
    });
  }
  say(context.io.stdout, `The account ${account.user.username} was deleted, with its keys, messages and files.`);
}

/** Lists the account's sessions: this one first, then the most recently seen. */
export async function sessions(context: Context, options: { json?: boolean }): Promise<void> {
  await withAccount(context, async (account) => {
    for (const session of sessionsInOrder(await account.client.account.listSessions())) {
      say(context.io.stdout, options.json ? JSON.stringify(session) : sessionLine(session));
    }
  });
}

/** Ends one session by id, or every other one. */
export async function sessionsEnd(
  context: Context,
  id: string | undefined,
  options: { others?: boolean },
): Promise<void> {
  if (!id === !options.others) throw usageError('Give a session id, or --others (not both).');
  await withAccount(context, async (account) => {
    const all = await account.client.account.listSessions();
    const ending = options.others
      ? all.filter((session) => !session.current)
      : all.filter((session) => session.id === id);
    if (!options.others && ending.length === 0) throw new CliError(`There is no session ${id}.`, EXIT.failure);
    for (const session of ending) await account.client.account.endSession(session.id);
    say(context.io.stdout, ending.length === 1 ? 'Ended 1 session.' : `Ended ${ending.length} sessions.`);
  });
}

function sessionLine(session: Session): string {
  const mark = session.current ? '  (this command)' : '';
  return `${session.id}  started ${session.createdAt}  last seen ${session.lastSeenAt}  expires ${session.expiresAt}${mark}`;
}

/** Logs in, runs `work`, and always ends the session again. */
async function withAccount(
  context: Context,
  work: (account: Account) => Promise<void>,
  knownPassphrase?: string,
): Promise<void> {
  const account = await logIn(context, undefined, knownPassphrase);
  try {
    await work(account);
  } finally {
    await account.logOut().catch((error: unknown) => {
      say(context.io.stderr, `Warning: the session could not be ended (${describeError(error)}).`);
    });
  }
}
