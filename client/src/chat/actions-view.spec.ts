// Edits, deletions, reactions and replies through the session (PROTOCOL.md §21),
// against a fake server that may misbehave and a member who may forge: only a
// sender's own signed edit or deletion changes their message, a deletion takes the
// content out of memory, and an action the server points elsewhere is refused.
import { MAX_TEXT_CHARS, fromBase64, newUuid, openMessage, type MessageBody } from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealtimeError } from '../transport/realtime.js';
import { ChatWorld } from '../test-support/chat-world.js';
import { GroupWorld, type Device } from '../test-support/group-world.js';
import type { ChatItem } from './items.js';

describe('edits, deletions, reactions and replies', () => {
  let world: ChatWorld;
  let n = 0;
  afterEach(() => world?.session?.stop());

  function start(): void {
    world = new ChatWorld();
    n = 0;
    world.http.on('DELETE', new RegExp(`^/api/rooms/${world.roomId}/messages/[^/]+$`), () => ({ status: 204 }));
  }

  /** Bob signs a message with his next counter; returns its message id and seq. */
  function bobSends(body: MessageBody, messageId = newUuid()): { id: string; seq: number } {
    const stored = world.store(
      world.bob.user.id,
      world.seal(world.bob, { ...body, chain: world.bobChain, n: (n += 1) }, { messageId }),
    );
    return { id: messageId, seq: stored.seq };
  }

  /** Alice's own earlier message, as the server stores it. */
  function aliceSent(text: string, messageId = newUuid()): { id: string; seq: number } {
    const chain = newUuid();
    const stored = world.store(
      world.alice.user.id,
      world.seal(world.alice, { type: 'text', text, chain, n: 1 }, { messageId }),
    );
    return { id: messageId, seq: stored.seq };
  }

  async function open(expectedItems: number): Promise<void> {
    world.live.connect();
    world.start();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    await vi.waitFor(() => expect(world.view()?.items.length).toBe(expectedItems));
  }

  const items = (): readonly ChatItem[] => world.view()?.items ?? [];

  function openSent(envelope: string): MessageBody {
    return openMessage(
      fromBase64(envelope),
      { roomId: world.roomId, epoch: 1, senderId: world.alice.user.id },
      world.roomKey,
      world.alice.identity,
    ).body;
  }

  it("shows bob's latest edit of his own text, and not the edit itself", async () => {
    start();
    const target = bobSends({ type: 'text', text: 'helo' });
    bobSends({ type: 'edit', target, text: 'hello' });
    await open(1);
    expect(items()[0]).toMatchObject({ text: 'hello', seq: target.seq });
    expect(items()[0]!.editedAt).toEqual(expect.any(Number));
  });

  it("refuses bob's edit and deletion of alice's message, and says so", async () => {
    start();
    const mine = aliceSent('my words');
    bobSends({ type: 'edit', target: mine, text: 'words put in her mouth' });
    bobSends({ type: 'delete', target: mine });
    await open(3);
    expect(items()[0]).toMatchObject({ text: 'my words', state: 'sent' });
    expect(items()[0]!.deleted ?? false).toBe(false);
    expect(items()[1]).toMatchObject({ state: 'unverified', note: expect.stringContaining("someone else's message") });
    expect(items()[2]).toMatchObject({ state: 'unverified', note: expect.stringContaining('A deletion from bob') });
  });

  it('refuses an edit the server points at another message (the id does not match the seq)', async () => {
    start();
    const first = bobSends({ type: 'text', text: 'first' });
    const second = bobSends({ type: 'text', text: 'second' });
    bobSends({ type: 'edit', target: { id: second.id, seq: first.seq }, text: 'moved' });
    await open(3);
    expect(items().map((item) => item.text)).toEqual(['first', 'second', null]);
    expect(items()[2]!.note).toContain('not where it says');
  });

  it("a deletion takes bob's message out of memory, not only out of sight, and leaves no gap notice", async () => {
    start();
    const secret = bobSends({ type: 'text', text: 'the source is in room 12' });
    bobSends({ type: 'delete', target: { ...secret, chain: world.bobChain, n: 1 } });
    bobSends({ type: 'text', text: 'after' });
    await open(2);
    expect(items()[0]).toMatchObject({ deleted: true, text: null, file: null, seq: secret.seq });
    expect(items()[1]!.text).toBe('after');
    expect(world.view()!.notices.size).toBe(0);
    expect(JSON.stringify([...world.session.getSnapshot().rooms.values()])).not.toContain('room 12');
  });

  it("an erased message without its sender's deletion is flagged; with it, it reads as deleted", async () => {
    start();
    const target = bobSends({ type: 'text', text: 'gone' });
    const other = bobSends({ type: 'text', text: 'erased by the server alone' });
    bobSends({ type: 'delete', target: { ...target, chain: world.bobChain, n: 1 } });
    bobSends({ type: 'text', text: 'last' });
    for (const seq of [target.seq, other.seq]) {
      const row = world.messages.find((message) => message.seq === seq)!;
      Object.assign(row, { envelope: '', erasedAt: new Date().toISOString() });
    }
    await open(3);
    expect(items()[0]).toMatchObject({ deleted: true, state: 'sent', seq: target.seq });
    expect(items()[1]).toMatchObject({ state: 'unverified', note: expect.stringContaining('removed this message') });
    expect(items()[2]!.text).toBe('last');
  });

  it("each member's latest reaction counts; alice's own shows at once and goes out signed", async () => {
    start();
    const mine = aliceSent('lunch?');
    bobSends({ type: 'reaction', target: mine, emoji: '👍' });
    bobSends({ type: 'reaction', target: mine, emoji: '🎉' });
    await open(1);
    expect(items()[0]!.reactions).toEqual([{ emoji: '🎉', userIds: [world.bob.user.id], mine: false }]);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    world.live.ack = async (payload) => {
      await held;
      return { ok: true, message: world.store(world.alice.user.id, payload.envelope), duplicate: false };
    };
    world.session.react(world.roomId, items()[0]!, '🎉');
    // Shown at once, while it is still on its way.
    await vi.waitFor(() =>
      expect(items()[0]!.reactions).toEqual([
        { emoji: '🎉', userIds: [world.alice.user.id, world.bob.user.id].sort(), mine: true },
      ]),
    );
    release();
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(1));
    expect(openSent(world.live.sent[0]!.envelope)).toMatchObject({ type: 'reaction', target: mine, emoji: '🎉' });
    // The same emoji again takes it back.
    await vi.waitFor(() => expect(items()[0]!.seq).not.toBeNull());
    world.session.react(world.roomId, items()[0]!, '🎉');
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(2));
    expect(openSent(world.live.sent[1]!.envelope)).toMatchObject({ type: 'reaction', emoji: '' });
    await vi.waitFor(() =>
      expect(items()[0]!.reactions).toEqual([{ emoji: '🎉', userIds: [world.bob.user.id], mine: false }]),
    );
  });

  it('a reply shows the answered message as held, never words of its own about it', async () => {
    start();
    const question = aliceSent('where?');
    bobSends({ type: 'text', text: 'here', replyTo: question });
    bobSends({ type: 'text', text: 'and to something older', replyTo: { id: newUuid(), seq: 1_000 } });
    await open(3);
    expect(items()[1]!.reply).toMatchObject({ state: 'shown', text: 'where?', senderId: world.alice.user.id });
    expect(items()[2]!.reply).toMatchObject({ state: 'missing', text: null });

    world.session.send(world.roomId, 'thanks', items()[1]!);
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(1));
    expect(openSent(world.live.sent[0]!.envelope)).toMatchObject({
      type: 'text',
      text: 'thanks',
      replyTo: { id: items()[1]!.messageId, seq: items()[1]!.seq },
    });
  });

  it('alice edits and deletes her own message; once the deletion is stored the server is asked to erase it', async () => {
    start();
    aliceSent('tpyo');
    await open(1);
    world.live.ack = (payload) => ({
      ok: true,
      message: world.store(world.alice.user.id, payload.envelope),
      duplicate: false,
    });

    world.session.edit(world.roomId, items()[0]!, 'typo');
    await vi.waitFor(() => expect(items()[0]!.text).toBe('typo'));
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(1));
    expect(openSent(world.live.sent[0]!.envelope)).toMatchObject({ type: 'edit', text: 'typo' });

    const target = items()[0]!;
    world.session.deleteForEveryone(world.roomId, target);
    await vi.waitFor(() => expect(items()[0]).toMatchObject({ deleted: true, text: null }));
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(2));
    expect(openSent(world.live.sent[1]!.envelope)).toMatchObject({
      type: 'delete',
      target: { id: target.messageId, seq: target.seq, chain: expect.any(String), n: 1 },
    });
    await vi.waitFor(() =>
      expect(world.http.callsTo('DELETE', `/api/rooms/${world.roomId}/messages/${target.serverId}`)).toHaveLength(1),
    );
    // Its edit carries the new words: erased too.
    const edit = world.messages.find((message) => message.seq === target.seq! + 1)!;
    expect(world.http.callsTo('DELETE', `/api/rooms/${world.roomId}/messages/${edit.id}`)).toHaveLength(1);
  });

  it('asks the server to erase even when the deletion is learned stored from a sync, its answer lost', async () => {
    start();
    aliceSent('said in haste');
    await open(1);
    const target = items()[0]!;
    // The server stores the deletion, but its answer never arrives.
    world.live.ack = (payload) => {
      world.store(world.alice.user.id, payload.envelope);
      return new RealtimeError('timeout');
    };
    world.session.deleteForEveryone(world.roomId, target);
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(1));
    world.session.requestSync();
    await vi.waitFor(() =>
      expect(world.http.callsTo('DELETE', `/api/rooms/${world.roomId}/messages/${target.serverId}`)).toHaveLength(1),
    );
  });

  it('refuses, with a sentence and nothing sent, an empty or too long edit, an action on an unsent or deleted message', async () => {
    start();
    aliceSent('mine');
    const gone = bobSends({ type: 'text', text: 'gone' });
    bobSends({ type: 'delete', target: gone });
    await open(2);
    const mine = items()[0]!;
    expect(() => world.session.edit(world.roomId, mine, '   ')).toThrow('An edit cannot be empty');
    expect(() => world.session.edit(world.roomId, mine, 'x'.repeat(MAX_TEXT_CHARS + 1))).toThrow(
      `at most ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters`,
    );
    expect(() => world.session.react(world.roomId, items()[1]!, '👍')).toThrow(
      'A deleted message cannot be reacted to',
    );
    const unsent = { ...mine, seq: null, state: 'pending' as const };
    expect(() => world.session.send(world.roomId, 'answer', unsent)).toThrow(
      'Only a message that has been sent can be answered',
    );
    expect(() => world.session.react(world.roomId, mine, 'ok')).toThrow();
    expect(world.live.sent).toHaveLength(0);
  });

  it("refuses to edit or delete bob's message from alice's side, with a sentence", async () => {
    start();
    bobSends({ type: 'text', text: 'his' });
    await open(1);
    expect(() => world.session.edit(world.roomId, items()[0]!, 'mine')).toThrow('Only your own text messages');
    expect(() => world.session.deleteForEveryone(world.roomId, items()[0]!)).toThrow('Only your own messages');
    expect(world.live.sent).toHaveLength(0);
  });
});

describe('actions and receipts in a group', () => {
  let world: GroupWorld;
  afterEach(() => {
    for (const device of world?.devices.values() ?? []) device.session.stop();
  });
  const until = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

  it('every member sees a reaction, an edit and a deletion; receipts count who has read it', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    for (const device of [alice, bob, carol]) {
      await until(() => expect(device.session.getSnapshot().friends).not.toBeNull());
    }
    const roomId = await alice.session.createGroup({
      name: 'Editors',
      memberIds: [bob, carol].map((d) => d.who.user.id),
    });
    for (const device of [alice, bob, carol]) {
      await until(() => expect(device.view(roomId)?.group?.title).toBe('Editors'));
      device.session.setActiveRoom(roomId);
    }
    alice.session.send(roomId, 'draft one');
    const sent = (device: Device) =>
      device.view(roomId)?.items.find((item) => item.senderId === alice.who.user.id && item.state !== 'notice');
    for (const device of [bob, carol]) await until(() => expect(sent(device)?.text).toBe('draft one'));

    bob.session.react(roomId, sent(bob)!, '👍');
    await until(() =>
      expect(sent(alice)?.reactions).toEqual([{ emoji: '👍', userIds: [bob.who.user.id], mine: false }]),
    );
    // Read by the two others, by their signed receipts (each sees the room open and visible).
    bob.session.markRead(roomId, sent(bob)!.seq!);
    await until(() => expect(sent(alice)?.receipts).toMatchObject({ read: 1, of: 2 }));
    carol.session.markRead(roomId, sent(carol)!.seq!);
    await until(() => expect(sent(alice)?.receipts).toEqual({ delivered: 2, read: 2, of: 2 }));

    await until(() => expect(sent(alice)?.seq).not.toBeNull());
    alice.session.edit(roomId, sent(alice)!, 'draft two');
    for (const device of [bob, carol]) await until(() => expect(sent(device)?.text).toBe('draft two'));
    alice.session.deleteForEveryone(roomId, sent(alice)!);
    for (const device of [alice, bob, carol]) {
      await until(() => expect(sent(device)).toMatchObject({ deleted: true, text: null, reactions: [] }));
    }
  }, 30_000);
});
