// The input line: plain text is a message, "/…" a command. Parsing is pure (clear
// sentences for unknown commands and wrong arguments); running a command goes through
// TuiActions, which run-tui implements over the ChatSession (./session-actions.ts).

import { describeError, type ChatItem, type RoomState } from '@onionchat/client';
import { endOne, endOthers, linkPanel, sessionsPanel, type AccountActions } from './account-commands.js';

export type Command =
  | { kind: 'message'; text: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'older' }
  | { kind: 'retry' }
  | { kind: 'send'; path: string }
  | { kind: 'save'; number: number; dir: string | null }
  | { kind: 'stop'; number: number }
  | { kind: 'open'; username: string }
  | { kind: 'request'; username: string }
  | { kind: 'accept'; username: string }
  | { kind: 'decline'; username: string }
  | { kind: 'cancel'; username: string }
  | { kind: 'block'; username: string }
  | { kind: 'unblock'; username: string }
  | { kind: 'remove'; username: string }
  | { kind: 'add'; link: string }
  | { kind: 'safety' }
  | { kind: 'verify' }
  | { kind: 'trust' }
  | { kind: 'sessions' }
  | { kind: 'endSession'; id: string }
  | { kind: 'endOthers' }
  | { kind: 'passphrase' }
  | { kind: 'me' };

export type Parsed = Command | { kind: 'error'; message: string };

interface Spec {
  usage: string;
  help: string;
  /** Required and optional argument counts. */
  args: [number, number];
  build(args: string[]): Parsed;
}

const user =
  (kind: 'open' | 'request' | 'accept' | 'decline' | 'cancel' | 'block' | 'unblock' | 'remove') =>
  ([name]: string[]): Parsed => ({ kind, username: name!.replace(/^@/, '') });

function fileNumber(text: string): number | null {
  const n = Number(text.replace(/^#/, ''));
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

const SPECS: Record<string, Spec> = {
  help: { usage: '/help', help: 'this list', args: [0, 0], build: () => ({ kind: 'help' }) },
  open: { usage: '/open USER', help: 'open the conversation with USER', args: [1, 1], build: user('open') },
  older: { usage: '/older', help: 'load older messages (or PgUp)', args: [0, 0], build: () => ({ kind: 'older' }) },
  send: {
    usage: '/send PATH',
    help: 'send a file (end-to-end encrypted)',
    args: [1, 1],
    build: ([path]) => ({ kind: 'send', path: path! }),
  },
  save: {
    usage: '/save N [FOLDER]',
    help: 'download file N of this conversation (to FOLDER)',
    args: [1, 2],
    build: ([number, dir]) => {
      const n = fileNumber(number!);
      if (n === null) return { kind: 'error', message: `“${number}” is not a file number: /save 1 saves [file 1].` };
      return { kind: 'save', number: n, dir: dir ?? null };
    },
  },
  stop: {
    usage: '/stop N',
    help: 'stop sending or downloading file N',
    args: [1, 1],
    build: ([number]) => {
      const n = fileNumber(number!);
      return n === null
        ? { kind: 'error', message: `“${number}” is not a file number: /stop 1 stops [file 1].` }
        : { kind: 'stop', number: n };
    },
  },
  retry: { usage: '/retry', help: 'send again what failed here', args: [0, 0], build: () => ({ kind: 'retry' }) },
  request: { usage: '/request USER', help: 'ask USER to be friends', args: [1, 1], build: user('request') },
  add: {
    usage: '/add LINK',
    help: 'add (and verify) someone from their contact link',
    args: [1, 1],
    build: ([link]) => ({ kind: 'add', link: link! }),
  },
  accept: { usage: '/accept USER', help: 'accept USER’s friend request', args: [1, 1], build: user('accept') },
  decline: { usage: '/decline USER', help: 'decline USER’s friend request', args: [1, 1], build: user('decline') },
  cancel: { usage: '/cancel USER', help: 'take back your request to USER', args: [1, 1], build: user('cancel') },
  remove: { usage: '/remove USER', help: 'remove USER from your friends', args: [1, 1], build: user('remove') },
  block: { usage: '/block USER', help: 'block USER', args: [1, 1], build: user('block') },
  unblock: { usage: '/unblock USER', help: 'unblock USER', args: [1, 1], build: user('unblock') },
  safety: {
    usage: '/safety',
    help: 'show the safety number with this friend',
    args: [0, 0],
    build: () => ({ kind: 'safety' }),
  },
  verify: {
    usage: '/verify',
    help: 'mark this friend verified (safety numbers compared and matching)',
    args: [0, 0],
    build: () => ({ kind: 'verify' }),
  },
  trust: {
    usage: '/trust',
    help: 'accept this friend’s current key without comparing',
    args: [0, 0],
    build: () => ({ kind: 'trust' }),
  },
  me: {
    usage: '/me',
    help: 'your contact link (others add you verified with it)',
    args: [0, 0],
    build: () => ({ kind: 'me' }),
  },
  sessions: {
    usage: '/sessions',
    help: 'list where your account is logged in',
    args: [0, 0],
    build: () => ({ kind: 'sessions' }),
  },
  end: {
    usage: '/end ID|others',
    help: 'end session ID, or all but this one (others)',
    args: [1, 1],
    build: ([id]) => (id!.toLowerCase() === 'others' ? { kind: 'endOthers' } : { kind: 'endSession', id: id! }),
  },
  passphrase: {
    usage: '/passphrase',
    help: 'change your passphrase (typed hidden)',
    args: [0, 0],
    build: () => ({ kind: 'passphrase' }),
  },
  quit: { usage: '/quit', help: 'leave (or Ctrl-C)', args: [0, 0], build: () => ({ kind: 'quit' }) },
};

const ALIASES: Record<string, string> = {
  q: 'quit',
  exit: 'quit',
  h: 'help',
  '?': 'help',
  file: 'send',
  download: 'save',
  link: 'me',
  password: 'passphrase',
};

export const HELP_LINES: readonly string[] = [
  'Commands (plain text sends a message; start it with // to send a leading /):',
  ...Object.values(SPECS).map((spec) => `  ${spec.usage.padEnd(17)} ${spec.help}`),
  'Keys: Tab switches panes · Up/Down choose a conversation (or scroll) · Enter opens it or sends · PgUp/PgDn page the history · Esc closes this help · Ctrl-C quits',
];

/** Splits on spaces; "double" or 'single' quotes keep spaces, a backslash escapes the next character. */
export function tokenize(text: string): string[] | { error: string } {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  let has = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      current += text[(i += 1)]!;
      has = true;
    } else if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      has = true;
    } else if (/\s/.test(char)) {
      if (has) out.push(current);
      current = '';
      has = false;
    } else {
      current += char;
      has = true;
    }
  }
  if (quote) return { error: `A ${quote} quote is not closed.` };
  if (has) out.push(current);
  return out;
}

export function parseInput(input: string): Parsed {
  const text = input.trim();
  if (text.length === 0) return { kind: 'error', message: 'Nothing to send.' };
  if (!text.startsWith('/')) return { kind: 'message', text };
  if (text.startsWith('//')) return { kind: 'message', text: text.slice(1) };
  const tokens = tokenize(text.slice(1));
  if (!Array.isArray(tokens)) return { kind: 'error', message: tokens.error };
  const [rawName, ...args] = tokens;
  const name = (rawName ?? '').toLowerCase();
  const spec = SPECS[ALIASES[name] ?? name];
  if (!spec) return { kind: 'error', message: `Unknown command “/${rawName ?? ''}”. Type /help for the commands.` };
  const [required, optional] = spec.args;
  if (args.length < required || args.length > optional) {
    return { kind: 'error', message: `Usage: ${spec.usage} (${spec.help}).` };
  }
  return spec.build(args);
}

/** What the TUI asks of the chat; every method throws (or rejects with) a sentence when it can't. */
export interface TuiActions extends AccountActions {
  send(roomId: string, text: string): void;
  /** Sends again every failed message and upload of the room; how many. */
  retry(roomId: string): number;
  /** Encrypts and uploads the file at `path`; resolves to its name once it is on its way. */
  sendFile(roomId: string, path: string): Promise<string>;
  /** Downloads a file message's file (into `dir`, else the default folder); resolves to where it goes. */
  saveFile(item: ChatItem, dir: string | null): Promise<string> | string;
  /** Stops a file's upload or download. */
  stopFile(item: ChatItem): void;
  loadOlder(roomId: string): Promise<void>;
  requestFriend(username: string): Promise<void>;
  /** Resolves to the new conversation's room id. */
  accept(username: string): Promise<string>;
  decline(username: string): Promise<void>;
  cancel(username: string): Promise<void>;
  remove(username: string): Promise<void>;
  block(username: string): Promise<void>;
  unblock(username: string): Promise<void>;
  /** Resolves to a sentence saying what happened, and the conversation to open when one was made. */
  addFromLink(link: string): Promise<{ message: string; roomId: string | null }>;
  /** The safety number's digit groups. */
  safetyNumber(userId: string): Promise<string[]>;
  setTrust(userId: string, verified: boolean): void;
  /** The room id of the conversation with `username`, or null when they are no friend. */
  roomOf(username: string): string | null;
}

export interface CommandContext {
  roomId: string | null;
  room: RoomState | undefined;
  /** The other person in the open conversation. */
  peer: { id: string; username: string } | null;
}

export interface Outcome {
  notice?: string;
  error?: string;
  quit?: boolean;
  /** Lines to show over the conversation (help, sessions, the contact link). */
  panel?: readonly string[];
  /** Ask for the passphrases on the input line (they never pass through here). */
  askPassphrase?: boolean;
  open?: string;
}

export const NO_CONVERSATION = 'Open a conversation first (Up/Down and Enter, or /open USER).';

/** Runs one command; never throws: a failure comes back as `error`. */
export async function runCommand(command: Parsed, actions: TuiActions, context: CommandContext): Promise<Outcome> {
  try {
    return await dispatch(command, actions, context);
  } catch (caught) {
    return { error: describeError(caught) };
  }
}

async function dispatch(command: Parsed, actions: TuiActions, context: CommandContext): Promise<Outcome> {
  const { roomId, room, peer } = context;
  const needRoom = (): string => {
    if (!roomId) throw new Error(NO_CONVERSATION);
    return roomId;
  };
  const needPeer = () => {
    needRoom();
    if (!peer) throw new Error('This conversation has no other member to check.');
    return peer;
  };
  switch (command.kind) {
    case 'error':
      return { error: command.message };
    case 'help':
      return { panel: HELP_LINES };
    case 'quit':
      return { quit: true };
    case 'message': {
      const id = needRoom();
      if (room?.sendBlocked) throw new Error(room.sendBlocked);
      actions.send(id, command.text);
      return {};
    }
    case 'older': {
      const id = needRoom();
      if (room && room.loaded && !room.hasOlder) return { notice: 'This is the start of the conversation.' };
      await actions.loadOlder(id);
      return {};
    }
    case 'retry': {
      const count = actions.retry(needRoom());
      return count > 0
        ? { notice: `Sending ${count === 1 ? 'it' : `${count} messages`} again.` }
        : { error: 'Nothing here failed to send.' };
    }
    case 'send': {
      const id = needRoom();
      if (room?.sendBlocked) throw new Error(room.sendBlocked);
      const name = await actions.sendFile(id, command.path);
      return { notice: `Sending ${name}…` };
    }
    case 'stop': {
      needRoom();
      const item = numberedFile(room, command.number);
      actions.stopFile(item);
      return { notice: `Stopped ${item.file!.name}.` };
    }
    case 'save': {
      needRoom();
      const item = numberedFile(room, command.number);
      const where = await actions.saveFile(item, command.dir);
      return { notice: `Downloading ${item.file!.name} to ${where}…` };
    }
    case 'open': {
      const id = actions.roomOf(command.username);
      if (!id) throw new Error(`${command.username} is not one of your friends.`);
      return { open: id };
    }
    case 'request':
      await actions.requestFriend(command.username);
      return { notice: `Friend request sent to ${command.username}.` };
    case 'accept': {
      const id = await actions.accept(command.username);
      return { notice: `You and ${command.username} are now friends.`, open: id };
    }
    case 'decline':
      await actions.decline(command.username);
      return { notice: `Declined ${command.username}’s request.` };
    case 'cancel':
      await actions.cancel(command.username);
      return { notice: `Took back your request to ${command.username}.` };
    case 'remove':
      await actions.remove(command.username);
      return { notice: `Removed ${command.username} from your friends.` };
    case 'block':
      await actions.block(command.username);
      return { notice: `Blocked ${command.username}.` };
    case 'unblock':
      await actions.unblock(command.username);
      return { notice: `Unblocked ${command.username}.` };
    case 'add': {
      const { message, roomId: opened } = await actions.addFromLink(command.link);
      return opened ? { notice: message, open: opened } : { notice: message };
    }
    case 'safety': {
      const other = needPeer();
      const groups = await actions.safetyNumber(other.id);
      return {
        notice: `Safety number with ${other.username}: ${groups.join(' ')}. Compare it with ${other.username} in person or over another channel; if it matches, type /verify.`,
      };
    }
    case 'verify': {
      const other = needPeer();
      actions.setTrust(other.id, true);
      return { notice: `${other.username} is verified.` };
    }
    case 'trust': {
      const other = needPeer();
      actions.setTrust(other.id, false);
      return { notice: `Accepted ${other.username}’s current key (not verified: /safety to compare).` };
    }
    case 'sessions':
      return { panel: sessionsPanel(await actions.listSessions()) };
    case 'endSession':
      return { notice: await endOne(actions, command.id) };
    case 'endOthers':
      return { notice: await endOthers(actions) };
    case 'passphrase':
      return { askPassphrase: true };
    case 'me':
      return { panel: linkPanel(actions.contactLink()) };
  }
}

/** File N of the conversation, as numbered on screen ([file N]). */
function numberedFile(room: RoomState | undefined, number: number): ChatItem {
  const files = (room?.items ?? []).filter((item) => item.state !== 'unverified' && item.file !== null);
  const item = files[number - 1];
  if (!item) {
    throw new Error(
      files.length === 0
        ? 'There is no file in this conversation.'
        : `There is no file ${number} here: files are numbered 1 to ${files.length}.`,
    );
  }
  return item;
}
