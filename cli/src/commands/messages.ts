// Message commands: send one, read a conversation, watch everything that comes in; a
// conversation is a friend's (by username) or a group's (by its name or id).

import type { ChatItem, ChatSession, RoomState } from '@onionchat/client';
import { personName } from '../conversation-names.js';
import { text as streamText } from 'node:stream/consumers';
import { say, type Context } from '../context.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { messageJson, messageLine, messageRecord } from '../render.js';
import { until } from '../wait.js';
import { checkSendable, findConversation, loadedConversation } from './friend-lookup.js';
import { withChat } from './with-chat.js';

export const DEFAULT_READ_LIMIT = 20;

/** Sends a text message ("-": read it from stdin) and waits until the server stored it. */
export async function send(context: Context, name: string, input: string): Promise<void> {
  const message = input === '-' ? (await streamText(context.io.stdin)).replace(/\r?\n$/, '') : input;
  if (message.trim().length === 0) throw usageError('There is nothing to send.');
  await withChat(context, async ({ chat }) => {
    const target = await findConversation(chat, name);
    const room = await loadedConversation(chat, target);
    checkSendable(room);
    const before = new Set(room.items.map((item) => item.key));
    chat.send(target.roomId, message);
    const item = await settled(chat, target.roomId, before);
    say(context.io.stdout, `Sent to ${target.name} (#${item.seq ?? '?'}).`);
  });
}

/**
 * Waits until the item our send added (the first own item not in `before`) is stored
 * ('sent'), or has failed for good. Its key stays the same through every state.
 */
export function settled(chat: ChatSession, roomId: string, before: ReadonlySet<string>): Promise<ChatItem> {
  let key: string | null = null;
  return until(
    chat,
    (snapshot) => {
      const items = snapshot.rooms.get(roomId)?.items ?? [];
      key ??= items.find((item) => item.mine && !before.has(item.key))?.key ?? null;
      const item = items.find((entry) => entry.key === key);
      if (!item) return undefined;
      if (item.state === 'failed') throw new CliError(`Not sent: ${item.note ?? 'it failed'}`, EXIT.failure);
      return item.state === 'sent' ? item : undefined;
    },
    'the server to store the message',
  );
}

/** Prints the latest messages of a conversation, oldest first. */
export async function read(context: Context, name: string, options: { json?: boolean; limit?: number }): Promise<void> {
  const limit = options.limit ?? DEFAULT_READ_LIMIT;
  await withChat(context, async ({ chat, user }) => {
    const target = await findConversation(chat, name);
    let room = await loadedConversation(chat, target);
    while (room.items.length < limit && room.hasOlder) {
      await chat.loadOlder(target.roomId);
      room = await loadedConversation(chat, target);
    }
    warnAbout(context, room);
    const people = { me: user, friends: chat.getSnapshot().friends?.friends ?? [] };
    for (const item of room.items.slice(-limit)) printItem(context, room, item, options.json, people);
  });
}

/** Prints every message that comes in until SIGINT or SIGTERM. */
export async function watch(context: Context, options: { json?: boolean }): Promise<void> {
  let lost: (() => void) | null = null;
  const sessionLost = new Promise<never>((_, reject) => {
    lost = () => reject(new CliError('Your session has ended (elsewhere, or it expired).', EXIT.failure));
  });
  await withChat(
    context,
    async ({ chat, user }) => {
      await until(
        chat,
        (snapshot) => (snapshot.friends && snapshot.connection === 'connected') || undefined,
        'the service',
      );
      const stop = chat.onIncoming((roomId, items) => {
        const snapshot = chat.getSnapshot();
        const room = snapshot.rooms.get(roomId);
        const people = { me: user, friends: snapshot.friends?.friends ?? [] };
        if (room) for (const item of items) printItem(context, room, item, options.json, people);
      });
      say(context.io.stderr, 'Watching for messages (Ctrl-C to stop).');
      try {
        await Promise.race([stopSignal(), sessionLost]);
      } finally {
        stop();
      }
    },
    { onSessionLost: () => lost?.(), ownSignals: true },
  );
}

/** What the core warns about a conversation (a changed key, changed members, a group's chain or name, gaps or replays), on stderr. */
function warnAbout(context: Context, room: RoomState): void {
  const group = room.group;
  const warnings = [
    group?.warning,
    group?.nameWarning,
    ...(group?.members ?? [])
      .filter((member) => member.check === 'mismatch' || member.check === 'changed')
      .map((member) => `${member.name}: ${member.label}.`),
    group?.warning === room.sendBlocked ? null : room.sendBlocked,
    room.membersChanged,
    ...room.notices.values(),
  ];
  for (const warning of warnings) if (warning) say(context.io.stderr, `Warning: ${warning}`);
}

type People = Parameters<typeof personName>[2];

function printItem(context: Context, room: RoomState, item: ChatItem, json = false, people: People = {}): void {
  const record = room.group
    ? messageRecord(item, room.room.members, room.group.title, {
        group: true,
        nameOf: (userId) => personName(room, userId, people),
      })
    : messageRecord(item, room.room.members, room.peer?.username ?? 'someone');
  say(context.io.stdout, json ? messageJson(record) : messageLine(record));
}

/** Resolves on the first SIGINT or SIGTERM (the command then ends its session and exits 0). */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
