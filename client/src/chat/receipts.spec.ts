// Delivered and read receipts through the session (PROTOCOL.md §22), against a fake
// server: only receipts signed by the other member and naming real messages count,
// and this client says how far it got, debounced, with read receipts as a choice.
import { fromBase64, newUuid, openMessage, type MessageBody } from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld, person } from '../test-support/chat-world.js';
import type { ChatItem } from './items.js';

describe('receipts', () => {
  let world: ChatWorld;
  let stored: { userId: string; envelope: string; updatedAt: string }[];
  let saved: string[];
  afterEach(() => {
    world?.session?.stop();
    vi.useRealTimers();
  });

  function start(): void {
    world = new ChatWorld();
    stored = [];
    saved = [];
    world.http
      .on('GET', `/api/rooms/${world.roomId}/receipts`, () => ({ body: { receipts: stored } }))
      .on('PUT', `/api/rooms/${world.roomId}/receipt`, (call) => {
        saved.push((call.body as { envelope: string }).envelope);
        return { status: 204 };
      });
  }

  function aliceSent(text: string): { id: string; seq: number } {
    const id = newUuid();
    const message = world.store(
      world.alice.user.id,
      world.seal(world.alice, { type: 'text', text, chain: newUuid(), n: 1 }, { messageId: id }),
    );
    return { id, seq: message.seq };
  }

  function bobReceipt(body: MessageBody, signer = world.bob): string {
    return world.seal(world.bob, body, { signer: signer.identity });
  }

  async function open(expectedItems: number): Promise<void> {
    world.live.connect();
    world.start();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    await vi.waitFor(() => expect(world.view()?.items.length).toBe(expectedItems));
  }

  const mine = (): ChatItem[] => (world.view()?.items ?? []).filter((item) => item.mine);

  it("counts bob's signed receipt for alice's messages up to the one it names", async () => {
    start();
    const first = aliceSent('one');
    aliceSent('two');
    stored.push({
      userId: world.bob.user.id,
      envelope: bobReceipt({ type: 'receipt', delivered: first, read: first }),
      updatedAt: new Date().toISOString(),
    });
    await open(2);
    await vi.waitFor(() => expect(mine()[0]!.receipts).toEqual({ delivered: 1, read: 1, of: 1 }));
    expect(mine()[1]!.receipts ?? null).toBeNull();
  });

  it('a newer receipt over the socket moves the marks on; an older one replayed does not take them back', async () => {
    start();
    aliceSent('one');
    const second = aliceSent('two');
    await open(2);
    const newer = bobReceipt({ type: 'receipt', delivered: second, read: null });
    world.live.emit('receipt:new', { roomId: world.roomId, userId: world.bob.user.id, envelope: newer });
    await vi.waitFor(() => expect(mine()[1]!.receipts).toEqual({ delivered: 1, read: 0, of: 1 }));
    const older = world.seal(
      world.bob,
      { type: 'receipt', delivered: { id: mine()[0]!.messageId!, seq: 1 }, read: null },
      { sentAt: Date.now() - 60_000 },
    );
    world.live.emit('receipt:new', { roomId: world.roomId, userId: world.bob.user.id, envelope: older });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mine()[1]!.receipts).toEqual({ delivered: 1, read: 0, of: 1 });
  });

  it('ignores a receipt signed by someone else, one naming a message that is not there, and one for bob’s own', async () => {
    start();
    const first = aliceSent('one');
    const mallory = person('mallory');
    const bobsOwn = world.bobSays('mine');
    const forged = bobReceipt({ type: 'receipt', delivered: first, read: first }, mallory);
    const wrongId = bobReceipt({ type: 'receipt', delivered: { id: newUuid(), seq: first.seq }, read: null });
    const toOwn = bobReceipt({
      type: 'receipt',
      delivered: { id: openedId(bobsOwn.envelope), seq: bobsOwn.seq },
      read: null,
    });
    await open(2);
    for (const envelope of [forged, wrongId, toOwn]) {
      world.live.emit('receipt:new', { roomId: world.roomId, userId: world.bob.user.id, envelope });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mine()[0]!.receipts ?? null).toBeNull();
  });

  it("says, debounced, the newest of bob's messages it has and has read; with read receipts off, only delivered", async () => {
    start();
    world.bobSays('hello');
    await open(1);
    // The person saw it (the app says so when the message is on screen).
    world.session.markRead(world.roomId, 1);
    await vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 5_000 });
    const said = openSaved(saved[0]!);
    const bobs = world.view()!.items[0]!;
    expect(said).toMatchObject({ type: 'receipt', delivered: { id: bobs.messageId, seq: bobs.seq } });
    expect(said.read).toEqual({ id: bobs.messageId, seq: bobs.seq });

    world.session.setReadReceipts(false);
    expect(world.session.getSnapshot().readReceipts).toBe(true);
    await vi.waitFor(() => expect(world.session.getSnapshot().readReceipts).toBe(false));
    world.live.emit('message:new', world.bobSays('again'));
    world.session.markRead(world.roomId, 2);
    await vi.waitFor(() => expect(saved).toHaveLength(2), { timeout: 5_000 });
    expect(openSaved(saved[1]!)).toMatchObject({ delivered: { seq: bobs.seq! + 1 }, read: null });
  });

  function openedId(envelope: string): string {
    return openMessage(
      fromBase64(envelope),
      { roomId: world.roomId, epoch: 1, senderId: world.bob.user.id },
      world.roomKey,
      world.bob.identity,
    ).header.messageId;
  }

  function openSaved(envelope: string): MessageBody {
    return openMessage(
      fromBase64(envelope),
      { roomId: world.roomId, epoch: 1, senderId: world.alice.user.id },
      world.roomKey,
      world.alice.identity,
    ).body;
  }
});
