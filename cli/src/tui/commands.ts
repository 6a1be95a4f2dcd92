// The input line: plain text is a message, "/…" a command. Parsing is pure (clear
// sentences for unknown commands and wrong arguments); running a command goes through
// TuiActions, which run-tui implements over the ChatSession (./session-actions.ts).
// Groups' commands find friends and members by name here (./group-commands.ts) and
// hand the core their ids.

import {
  describeError,
  describeTtl,
  type ChatItem,
  type Friend,
  type GroupInfo,
  type GroupView,
  type RoomState,
  type SearchableConversation,
} from '@onionchat/client';
import { isOutOfGroup, listOfNames, OUT_OF_GROUP } from '../conversation-names.js';
import { endOne, endOthers, linkPanel, sessionsPanel, type AccountActions } from './account-commands.js';
import {
  findMember,
  friendIds,
  GROUP_USAGE,
  groupNameProblem,
  membersPanel,
  parseGroupCreate,
  splitNames,
} from './group-commands.js';
import { cleanText } from './text.js';
import { SEARCH_USAGE, searchPanel } from './search-command.js';
import { latestFromOthers, latestOwn } from './message-commands.js';

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
  | { kind: 'group'; name: string; members: string[] }
  | { kind: 'members' }
  | { kind: 'addMembers'; names: string[] }
  | { kind: 'kick'; name: string }
  | { kind: 'role'; name: string; role: 'admin' | 'member' }
  | { kind: 'rename'; name: string }
  | { kind: 'leave' }
  | { kind: 'timer'; seconds: number }
  | { kind: 'safety' }
  | { kind: 'verify' }
  | { kind: 'trust' }
  | { kind: 'sessions' }
  | { kind: 'endSession'; id: string }
  | { kind: 'endOthers' }
  | { kind: 'passphrase' }
  | { kind: 'me' }
  | { kind: 'search'; query: string }
  | { kind: 'reply'; text: string }
  | { kind: 'edit'; text: string }
  | { kind: 'delete' }
  | { kind: 'react'; emoji: string };

export type Parsed = Command | { kind: 'error'; message: string };

interface Spec {
  usage: string;
  help: string;
  /** Required and optional argument counts (Infinity: any number more). */
  args: [number, number];
  build(args: string[]): Parsed;
  /** A heading the help puts before this command. */
  heading?: string;
  /** More ways to use it, each a line of the help. */
  more?: { usage: string; help: string }[];
}

const user =
  (kind: 'open' | 'request' | 'accept' | 'decline' | 'cancel' | 'block' | 'unblock' | 'remove') =>
  ([name]: string[]): Parsed => ({ kind, username: name!.replace(/^@/, '') });

/** A contact link (never a username: those have no ":", "#" or "="). */
function isLink(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/|[#&?]add=/i.test(text);
}

const member =
  (build: (name: string) => Parsed) =>
  ([name]: string[]): Parsed =>
    build(name!.replace(/^@/, ''));

function fileNumber(text: string): number | null {
  const n = Number(text.replace(/^#/, ''));
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

export const TIMER_USAGE = '/timer OFF|30s|5m|1h|1d|1w|4w';

/** The timer values by how they are typed. */
const TIMER_VALUES: Record<string, number> = {
  off: 0,
  '30s': 30,
  '5m': 300,
  '1h': 3600,
  '1d': 86_400,
  '1w': 604_800,
  '4w': 2_419_200,
};

/** "1d" → 86400, "off" → 0; null for anything else. */
export function parseTimer(text: string): number | null {
  return TIMER_VALUES[text.toLowerCase()] ?? null;
}

const SPECS: Record<string, Spec> = {
  help: { usage: '/help', help: 'this list', args: [0, 0], build: () => ({ kind: 'help' }) },
  open: {
    usage: '/open USER|GROUP',
    help: 'open the conversation with USER, or the group called GROUP',
    args: [1, Infinity],
    build: (args) => ({ kind: 'open', username: args.length === 1 ? args[0]!.replace(/^@/, '') : args.join(' ') }),
  },
  search: {
    usage: SEARCH_USAGE,
    help: 'find TEXT in the conversations opened here (in memory; nothing is saved or sent)',
    args: [1, Infinity],
    build: (args) => ({ kind: 'search', query: args.join(' ') }),
  },
  older: { usage: '/older', help: 'load older messages (or PgUp)', args: [0, 0], build: () => ({ kind: 'older' }) },
  reply: {
    heading: 'The latest messages:',
    usage: '/reply TEXT',
    help: 'answer the latest message from someone else (it is quoted with yours)',
    args: [1, Infinity],
    build: (args) => ({ kind: 'reply', text: args.join(' ') }),
  },
  react: {
    usage: '/react EMOJI',
    help: 'react to the latest message from someone else (the same emoji again takes it back)',
    args: [1, 1],
    build: ([emoji]) => ({ kind: 'react', emoji: emoji! }),
  },
  edit: {
    usage: '/edit TEXT',
    help: 'replace the words of your latest text message, for everyone',
    args: [1, Infinity],
    build: (args) => ({ kind: 'edit', text: args.join(' ') }),
  },
  delete: {
    usage: '/delete',
    help: 'delete your latest message for everyone (the server is asked to erase it)',
    args: [0, 0],
    build: () => ({ kind: 'delete' }),
  },
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
  request: {
    heading: 'Friends:',
    usage: '/request USER',
    help: 'ask USER to be friends',
    args: [1, 1],
    build: user('request'),
  },
  add: {
    usage: '/add LINK',
    help: 'add (and verify) someone from their contact link',
    args: [1, Infinity],
    build: (args) =>
      args.length === 1 && isLink(args[0]!)
        ? { kind: 'add', link: args[0]! }
        : { kind: 'addMembers', names: splitNames(args) },
  },
  accept: { usage: '/accept USER', help: 'accept USER’s friend request', args: [1, 1], build: user('accept') },
  decline: { usage: '/decline USER', help: 'decline USER’s friend request', args: [1, 1], build: user('decline') },
  cancel: { usage: '/cancel USER', help: 'take back your request to USER', args: [1, 1], build: user('cancel') },
  remove: { usage: '/remove USER', help: 'remove USER from your friends', args: [1, 1], build: user('remove') },
  block: { usage: '/block USER', help: 'block USER', args: [1, 1], build: user('block') },
  unblock: { usage: '/unblock USER', help: 'unblock USER', args: [1, 1], build: user('unblock') },
  group: {
    heading: 'Groups:',
    usage: GROUP_USAGE,
    help: 'make a group with some of your friends (you are its admin)',
    args: [0, Infinity],
    build: (args) => {
      const parsed = parseGroupCreate(args);
      return 'error' in parsed ? { kind: 'error', message: parsed.error } : { kind: 'group', ...parsed };
    },
    more: [{ usage: '/add FRIEND…', help: 'add friends to this group (admins)' }],
  },
  members: {
    usage: '/members',
    help: 'who is in this group, their roles, and how far each is checked',
    args: [0, 0],
    build: () => ({ kind: 'members' }),
  },
  kick: {
    usage: '/kick MEMBER',
    help: 'remove MEMBER from this group; a new key is used (admins)',
    args: [1, 1],
    build: member((name) => ({ kind: 'kick', name })),
  },
  admin: {
    usage: '/admin MEMBER',
    help: 'make MEMBER an admin of this group (admins)',
    args: [1, 1],
    build: member((name) => ({ kind: 'role', name, role: 'admin' })),
  },
  unadmin: {
    usage: '/unadmin MEMBER',
    help: 'make MEMBER an ordinary member again (admins)',
    args: [1, 1],
    build: member((name) => ({ kind: 'role', name, role: 'member' })),
  },
  rename: {
    usage: '/rename NAME',
    help: 'give this group a new name (admins)',
    args: [1, Infinity],
    build: (args) => {
      const name = args.join(' ').trim();
      const problem = groupNameProblem(name);
      return problem ? { kind: 'error', message: problem } : { kind: 'rename', name };
    },
  },
  timer: {
    heading: 'Disappearing messages:',
    usage: TIMER_USAGE,
    help: 'messages here disappear for everyone this long after they are sent (everyone sees who set it)',
    args: [1, 1],
    build: ([value]) => {
      const seconds = parseTimer(value!);
      return seconds === null
        ? { kind: 'error', message: `“${value}” is not a disappearing time: ${TIMER_USAGE}.` }
        : { kind: 'timer', seconds };
    },
  },
  leave: {
    usage: '/leave',
    help: 'leave this group (asks first); the others get a new key',
    args: [0, 0],
    build: () => ({ kind: 'leave' }),
  },
  safety: {
    heading: 'Safety numbers:',
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
    heading: 'Your account:',
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
  quit: { usage: '/quit', help: 'close the chat (or Ctrl-C)', args: [0, 0], build: () => ({ kind: 'quit' }) },
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
  who: 'members',
};

const helpLine = ({ usage, help }: { usage: string; help: string }) => `  ${usage.padEnd(17)} ${help}`;

export const HELP_LINES: readonly string[] = [
  'Commands (plain text sends a message; start it with // to send a leading /):',
  ...Object.values(SPECS).flatMap((spec) => [
    ...(spec.heading ? [spec.heading] : []),
    helpLine(spec),
    ...(spec.more ?? []).map(helpLine),
  ]),
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
  /** Sends a text (answering `replyTo`, when given). */
  send(roomId: string, text: string, replyTo?: ChatItem | null): void;
  /** Replaces the words of this account's own text message, for everyone. */
  edit(roomId: string, item: ChatItem, text: string): void;
  /** Deletes this account's own message for everyone. */
  deleteForEveryone(roomId: string, item: ChatItem): void;
  /** Reacts with one emoji (the same again takes it back). */
  react(roomId: string, item: ChatItem, emoji: string): void;
  /** Sets the conversation's disappearing timer (seconds, 0: off) with a signed message. */
  setTimer(roomId: string, seconds: number): void;
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
  /** The room id of the conversation with `username` (or of the group called that), or null when there is none. */
  roomOf(username: string): string | null;
  /** Makes a group of this account (its admin) and these friends; resolves to its room id. */
  createGroup(name: string, memberIds: readonly string[]): Promise<string>;
  addToGroup(roomId: string, userIds: readonly string[]): Promise<void>;
  removeFromGroup(roomId: string, userIds: readonly string[]): Promise<void>;
  setGroupRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<void>;
  renameGroup(roomId: string, info: GroupInfo): Promise<void>;
  /** Leaves the group (or, once out of it, drops it from the list). */
  leaveGroup(roomId: string): Promise<void>;
}

export interface CommandContext {
  roomId: string | null;
  room: RoomState | undefined;
  /** The other person in the open conversation. */
  peer: { id: string; username: string } | null;
  /** The friends, to find them by name (a group's new members). */
  friends?: readonly Friend[];
  /** This account. */
  me?: { id: string; username: string };
  /** Every conversation with what this terminal holds of it (for /search). */
  conversations?: readonly SearchableConversation[];
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
  /** Ask this yes-or-no question on the input line; on yes, `run` and show what it resolves to. */
  confirm?: Confirmation;
}

export interface Confirmation {
  question: string;
  /** What saying yes does, shown while it is asked. */
  detail?: string;
  /** Resolves to the notice to show; rejects with a sentence. */
  run: () => Promise<string>;
  /** Said when the answer is no. */
  declined: string;
}

export const NO_GROUP = `This is not a group. Open one (Up/Down and Enter), or make one: ${GROUP_USAGE}.`;

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
    if (room?.group) {
      throw new Error(
        'In a group, /members shows how far each member is checked; to compare a safety number with one of them, /open them first.',
      );
    }
    if (!peer) throw new Error('This conversation has no other member to check.');
    return peer;
  };
  const needGroup = (): { id: string; view: GroupView } => {
    const id = needRoom();
    if (!room?.group) throw new Error(NO_GROUP);
    return { id, view: room.group };
  };
  /** A group this account is still in (changes are refused once out of it). */
  const needMembership = () => {
    const group = needGroup();
    if (isOutOfGroup(group.view)) throw new Error(OUT_OF_GROUP);
    return group;
  };
  const myName = context.me?.username ?? '';
  const refusal = (state: RoomState | undefined) => (isOutOfGroup(state?.group) ? OUT_OF_GROUP : state?.sendBlocked);
  switch (command.kind) {
    case 'error':
      return { error: command.message };
    case 'help':
      return { panel: HELP_LINES };
    case 'quit':
      return { quit: true };
    case 'message': {
      const id = needRoom();
      const refused = refusal(room);
      if (refused) throw new Error(refused);
      actions.send(id, command.text);
      return {};
    }
    case 'reply':
    case 'edit':
    case 'delete':
    case 'react': {
      const id = needRoom();
      const refused = refusal(room);
      if (refused) throw new Error(refused);
      return actOnMessage(command, id, room, actions);
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
      const refused = refusal(room);
      if (refused) throw new Error(refused);
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
      if (!id) throw new Error(`${command.username} is neither one of your friends nor a group you are in.`);
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
    case 'search':
      return { panel: searchPanel(context.conversations ?? [], command.query) };
    case 'group': {
      const ids = friendIds(context.friends ?? [], command.members);
      const id = await actions.createGroup(command.name, ids);
      return {
        notice: `Made the group “${cleanText(command.name)}” with ${listOfNames(command.members)}; you are its admin.`,
        open: id,
      };
    }
    case 'members': {
      const { view } = needGroup();
      return { panel: membersPanel(view, myName) };
    }
    case 'addMembers': {
      if (roomId && !room?.group) {
        const name = command.names[0] ?? 'USER';
        throw new Error(
          `/add FRIEND adds friends to the open group, and this is not one. To ask ${name} to be your friend: /request ${name} (or /add LINK with their contact link).`,
        );
      }
      const { id, view } = needMembership();
      if (command.names.length === 0) throw new Error('Usage: /add FRIEND… (add friends to this group).');
      await actions.addToGroup(id, friendIds(context.friends ?? [], command.names));
      return { notice: `Added ${listOfNames(command.names)} to ${cleanText(view.title)}.` };
    }
    case 'kick': {
      const { id, view } = needMembership();
      const target = findMember(view, command.name, myName);
      if (target.me) throw new Error('To leave the group yourself, type /leave.');
      await actions.removeFromGroup(id, [target.id]);
      return { notice: `Removed ${target.name} from ${cleanText(view.title)}; a new key is in use.` };
    }
    case 'role': {
      const { id, view } = needMembership();
      const target = findMember(view, command.name, myName);
      const who = target.me ? 'You' : target.name;
      if (target.role === command.role) {
        throw new Error(
          `${who} ${target.me ? 'are' : 'is'} already ${command.role === 'admin' ? 'an admin' : 'not an admin'}.`,
        );
      }
      await actions.setGroupRole(id, target.id, command.role);
      const now = command.role === 'admin' ? 'now an admin' : 'no longer an admin';
      return { notice: `${who} ${target.me ? 'are' : 'is'} ${now} of ${cleanText(view.title)}.` };
    }
    case 'rename': {
      const { id, view } = needMembership();
      const info: GroupInfo = view.picture ? { name: command.name, picture: view.picture } : { name: command.name };
      await actions.renameGroup(id, info);
      return { notice: `Renamed the group to “${cleanText(command.name)}”.` };
    }
    case 'timer': {
      const id = needRoom();
      const refused = refusal(room);
      if (refused) throw new Error(refused);
      if ((room?.timer ?? 0) === command.seconds) {
        return {
          notice: `Disappearing messages are ${command.seconds === 0 ? 'off' : `set to ${describeTtl(command.seconds)}`} already.`,
        };
      }
      actions.setTimer(id, command.seconds);
      return {
        notice:
          command.seconds === 0
            ? 'Turning off disappearing messages.'
            : `New messages here will disappear ${describeTtl(command.seconds)} after they are sent.`,
      };
    }
    case 'leave': {
      const { id, view } = needGroup();
      const title = cleanText(view.title);
      const out = isOutOfGroup(view);
      return {
        confirm: {
          question: out ? `Remove “${title}” from your list? (y/N)` : `Leave “${title}”? (y/N)`,
          detail: out
            ? 'Its history goes from this list too.'
            : 'You will get none of its messages from now on, and the others move to a new key; only an admin can add you again.',
          run: async () => {
            await actions.leaveGroup(id);
            return out ? `Removed “${title}” from your list.` : `You left “${title}”.`;
          },
          declined: out ? `“${title}” stays in your list.` : `You are still in “${title}”.`,
        },
      };
    }
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

type MessageCommand = Extract<Command, { kind: 'reply' | 'edit' | 'delete' | 'react' }>;

function actOnMessage(
  command: MessageCommand,
  roomId: string,
  room: RoomState | undefined,
  actions: Pick<TuiActions, 'send' | 'edit' | 'deleteForEveryone' | 'react'>,
): Outcome {
  switch (command.kind) {
    case 'reply':
      actions.send(roomId, command.text, latestFromOthers(room));
      return {};
    case 'edit':
      actions.edit(roomId, latestOwn(room, true), command.text);
      return { notice: 'Your latest message is being edited for everyone.' };
    case 'delete':
      actions.deleteForEveryone(roomId, latestOwn(room, false));
      return { notice: 'Your latest message is being deleted for everyone; the server is asked to erase it.' };
    case 'react':
      actions.react(roomId, latestFromOthers(room), command.emoji);
      return {};
  }
}
