// Logging in from the terminal: pin the origin, route it (tor or loopback), log in with
// a passphrase from the terminal (or automation), and open the chat session. Shared by
// the one-shot commands and the full-screen UI (`onionchat chat`). Every session opened
// here is ended again by close(), so one-shot commands do not pile sessions up.

import {
  OnionChatClient,
  describeError,
  nodePlatform,
  startChat,
  wipeIdentity,
  type BundleVault,
  type ChatSession,
  type FileSink,
  type Identity,
  type User,
} from '@onionchat/client';
import type { Agent } from 'node:http';
import { read } from 'read';
import type { Context, GlobalOptions } from './context.js';
import { say } from './context.js';
import { DiskSink } from './disk-sink.js';
import { CliError, loginFailure, usageError } from './exit-codes.js';
import { CookieJar } from './net/cookie-jar.js';
import { nodeLive } from './net/live.js';
import { nodeHttp } from './net/node-http.js';
import { pinOrigin, type PinnedOrigin } from './net/origin-policy.js';
import { agentFor, socksUrl } from './net/proxy.js';
import { askPassphrase } from './passphrase.js';

export interface Connection {
  pinned: PinnedOrigin;
  client: OnionChatClient;
  jar: CookieJar;
  agent: Agent | undefined;
}

/** The client for the pinned origin (`origin`: an invite link's, else --onion). Nothing is sent yet. */
export function connect(options: GlobalOptions, sink: FileSink, origin = options.onion): Connection {
  if (!origin) throw usageError('Say which service to use: --onion http://<56 letters>.onion (or ONIONCHAT_ORIGIN).');
  const pinned = pinOrigin(origin, options.allowAnyOrigin);
  const socks = socksUrl(options);
  const agent = agentFor(pinned, socks);
  const jar = new CookieJar();
  const platform = nodePlatform();
  const http = nodeHttp({ origin: pinned.origin, agent, jar });
  const live = nodeLive({ origin: pinned.origin, agent, jar, platform });
  const client = new OnionChatClient({ http, platform, origin: pinned.origin, sink, live });
  return { pinned, client, jar, agent };
}

export interface Account {
  connection: Connection;
  client: OnionChatClient;
  user: User;
  identity: Identity;
  /** The key bundle as opened; after a passphrase change in this session, the one sealed under the new passphrase. */
  readonly vault: BundleVault | null;
  /**
   * The passphrase was changed in this session: the re-sealed vault (and the identity it
   * signs with) replace the old vault, which is wiped; both are wiped at log-out.
   */
  useResealed(resealed: { vault: BundleVault; identity: Identity }): void;
  /** Ends the session on the server and wipes the keys from memory. */
  logOut(): Promise<void>;
}

/** The username: --user (or ONIONCHAT_USER), else asked on the terminal. */
export async function askUsername(context: Context): Promise<string> {
  const given = context.options.user;
  if (given) return given;
  if (!context.io.stdin.isTTY) throw usageError('Say who you are: --user NAME (or ONIONCHAT_USER).');
  return read({ prompt: 'Username: ', input: context.io.stdin, output: context.io.stderr });
}

/** Progress of the slow steps (key derivation), on a terminal only: scripts get quiet stderr. */
export function progressOn(context: Context): (step: string) => void {
  const tty = (context.io.stderr as { isTTY?: boolean }).isTTY === true;
  return (step) => {
    if (tty) say(context.io.stderr, step);
  };
}

/** Logs in (a new session) and opens the key bundle. */
export async function logIn(
  context: Context,
  sink: FileSink = new DiskSink(process.cwd()),
  knownPassphrase?: string,
): Promise<Account> {
  const connection = connect(context.options, sink);
  const username = await askUsername(context);
  const passphrase =
    knownPassphrase ?? (await askPassphrase(passphraseSource(context.options), 'Passphrase: ', context.io));
  let unlocked;
  try {
    unlocked = await connection.client.account.logIn(username, passphrase, progressOn(context));
  } catch (error) {
    throw new CliError(describeError(error), loginFailure(error));
  }
  return accountOf(connection, unlocked);
}

export function accountOf(
  connection: Connection,
  unlocked: { user: User; identity: Identity; vault: BundleVault | null },
): Account {
  const { client, jar } = connection;
  let done = false;
  let vault = unlocked.vault;
  const identities = new Set([unlocked.identity]);
  return {
    connection,
    client,
    user: unlocked.user,
    identity: unlocked.identity,
    get vault() {
      return vault;
    },
    useResealed(resealed) {
      if (resealed.vault !== vault) vault?.wipe();
      vault = resealed.vault;
      identities.add(resealed.identity);
    },
    async logOut() {
      if (done) return;
      done = true;
      try {
        await client.account.logOut();
      } finally {
        jar.clear();
        vault?.wipe();
        for (const identity of identities) wipeIdentity(identity);
      }
    },
  };
}

export function passphraseSource(options: GlobalOptions): { fd?: number; env?: string } {
  return { fd: options.passphraseFd, env: options.passphraseEnv };
}

export interface OpenSession {
  client: OnionChatClient;
  chat: ChatSession;
  user: User;
  account: Account;
  /** Saves what waits to be saved, stops the chat and ends the session on the server. */
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  /** Where downloaded files go (default: the working directory). */
  sink?: FileSink;
  /** The server ended the session (elsewhere, or it expired). */
  onSessionLost?: () => void;
}

/** Logs in and starts the chat session (live connection, sync). */
export async function openSession(context: Context, options: OpenSessionOptions = {}): Promise<OpenSession> {
  const account = await logIn(context, options.sink);
  const chat = startChat(account.client, {
    user: account.user,
    identity: account.identity,
    vault: account.vault,
    onSessionLost: () => options.onSessionLost?.(),
  });
  chat.start();
  let closing: Promise<void> | null = null;
  const close = async () => {
    const problem = await chat.saveNow();
    if (problem) say(context.io.stderr, `Warning: ${problem}`);
    chat.stop();
    await account.logOut();
  };
  return {
    client: account.client,
    chat,
    user: account.user,
    account,
    close: () => (closing ??= close()),
  };
}
