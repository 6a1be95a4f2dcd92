import {
  CHAIN_MARKS_EXTENSION,
  SEND_TIME_MAX_BEHIND_MS,
  decodeChainMarks,
  fromBase64,
  newUuid,
  openMessage,
  readMessageHeader,
  sealMessageV1,
  toBase64,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld, idleFiles } from '../test-support/chat-world.js';
import type { BundleVault } from '../trust/index.js';
import { ChatSession } from './session.js';

/** The key bundle's extensions as another session (or browser) of the account finds them. */
class MemoryVault {
  readonly values = new Map<number, Uint8Array>();
  saves = 0;
  unreadable = null;
  pins() {
    return [];
  }
  async savePins(): Promise<void> {}
  extension(type: number): Uint8Array | null {
    return this.values.get(type)?.slice() ?? null;
  }
  async saveExtension(type: number, build: (stored: Uint8Array | null) => Uint8Array): Promise<void> {
    this.values.set(type, build(this.extension(type)));
    this.saves += 1;
  }
}

describe('messages the server delivers late or again', () => {
  let world: ChatWorld;
  const sessions: ChatSession[] = [];
  afterEach(() => {
    for (const session of sessions.splice(0)) session.stop();
    vi.useRealTimers();
  });

  /** A chat session of alice's account on `world`'s server, with `vault` as her key bundle. */
  function startSession(vault: MemoryVault): ChatSession {
    const session = new ChatSession({
      api: world.api,
      live: world.live,
      platform: world.platform,
      files: idleFiles(),
      user: world.me,
      identity: world.alice.identity,
      vault: vault as unknown as BundleVault,
      onSessionLost: () => undefined,
    });
    world.session = session;
    sessions.push(session);
    session.start();
    return session;
  }

  const item = (seq: number) => world.view()!.items.find((i) => i.seq === seq)!;

  it('flags a message signed hours before the server says it arrived, and does not count it as new', async () => {
    world = new ChatWorld();
    world.live.connect();
    const sentAt = Date.now() - SEND_TIME_MAX_BEHIND_MS - 60_000;
    world.bobSays('on time');
    world.bobSays('held back', { sentAt });
    const session = startSession(new MemoryVault());
    const incoming: string[] = [];
    session.onIncoming((_room, items) => incoming.push(...items.map((i) => i.text ?? '')));
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.items).toHaveLength(2));

    expect(item(1)).toMatchObject({ state: 'sent', text: 'on time', flag: null });
    expect(item(2)).toMatchObject({
      state: 'sent',
      text: 'held back',
      sentAt,
      flag: { kind: 're-timed', reason: 'behind' },
    });

    // Live: a re-timed message is filed, flagged, but neither counted nor announced.
    session.setActiveRoom(null);
    session.markRead(world.roomId, 2);
    world.live.emit('message:new', world.bobSays('replayed live', { sentAt }));
    await vi.waitFor(() => expect(world.view()?.items).toHaveLength(3));
    expect(item(3).flag).toEqual({ kind: 're-timed', reason: 'behind' });
    world.live.emit('message:new', world.bobSays('fresh'));
    await vi.waitFor(() => expect(world.view()?.items).toHaveLength(4));
    expect(incoming).toEqual(['fresh']);
    expect(world.view()?.room.unread).toBe(1);
  });

  it('catches a replayed final message in a later session from the chain marks in the key bundle', async () => {
    world = new ChatWorld();
    world.live.connect();
    const vault = new MemoryVault();
    world.bobSays('one');
    world.bobSays('two');
    const last = world.bobSays('three');
    const first = startSession(vault);
    first.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.items).toHaveLength(3));
    world.lastReadSeq = 3;
    first.stop();
    // Saved at log-out, not only after the delay.
    await vi.waitFor(() => expect(vault.values.has(CHAIN_MARKS_EXTENSION)).toBe(true));
    expect(decodeChainMarks(vault.values.get(CHAIN_MARKS_EXTENSION)!)).toEqual([
      { roomId: world.roomId, senderId: world.bob.user.id, chain: world.bobChain, n: 3, seq: 3 },
    ]);

    // A new session (a new browser): its replay ledger is empty, and the conversation is
    // not open, so only the newest message is fetched. The server files bob's last
    // message again, within minutes of the original, so its send time looks fine.
    world.store(world.bob.user.id, last.envelope);
    startSession(vault);
    await vi.waitFor(() => expect(world.view()?.items.some((i) => i.seq === 4)).toBe(true));
    expect(world.view()!.items.map((i) => i.seq)).toEqual([4]);
    expect(item(4)).toMatchObject({ state: 'sent', text: 'three', flag: { kind: 'replayed' } });
    expect(world.view()?.room.unread).toBe(0);
  });

  it('sends version 2 envelopes, and shows its own messages at their signed send time', async () => {
    world = new ChatWorld();
    world.live.connect();
    const session = startSession(new MemoryVault());
    session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    session.send(world.roomId, 'hello');
    await vi.waitFor(() => expect(world.messages).toHaveLength(1));
    const envelope = fromBase64(world.messages[0]!.envelope);
    expect(readMessageHeader(envelope)).toMatchObject({ version: 2, sentAt: null });
    const opened = openMessage(
      envelope,
      { roomId: world.roomId, epoch: 1, senderId: world.alice.user.id },
      world.roomKey,
      world.alice.identity,
    );
    expect(opened.body).toMatchObject({ type: 'text', text: 'hello', n: 1 });
    await vi.waitFor(() => expect(world.view()?.items[0]).toMatchObject({ state: 'sent', seq: 1 }));
    expect(world.view()?.items[0]?.sentAt).toBe(opened.header.sentAt);
  });

  it('still reads version 1 messages from older clients, with their signed send time', async () => {
    world = new ChatWorld();
    world.live.connect();
    const sentAt = Date.now() - 30_000;
    const envelope = sealMessageV1(
      { roomId: world.roomId, epoch: 1, senderId: world.bob.user.id, messageId: newUuid(), sentAt },
      { type: 'text', text: 'from an older client' },
      world.roomKey,
      world.bob.identity,
    );
    world.store(world.bob.user.id, toBase64(envelope));
    world.bobSays('from a current client');
    const session = startSession(new MemoryVault());
    session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.items).toHaveLength(2));
    expect(item(1)).toMatchObject({ state: 'sent', text: 'from an older client', sentAt, flag: null });
    expect(item(2)).toMatchObject({ state: 'sent', text: 'from a current client', flag: null });
  });
});
