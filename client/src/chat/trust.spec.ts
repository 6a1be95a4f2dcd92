import { newUuid } from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld, person } from '../test-support/chat-world.js';

describe('what the server cannot make us show', () => {
  let world: ChatWorld;
  afterEach(() => world?.session?.stop());

  async function open(): Promise<void> {
    world.live.connect();
    world.start();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    await vi.waitFor(() => expect(world.view()?.items.length).toBe(world.messages.length));
  }

  const item = (seq: number) => world.view()!.items.find((i) => i.seq === seq)!;

  it('shows a message moved from another room, a forged sender and a replay as unverified, never as content', async () => {
    world = new ChatWorld();
    world.bobSays('genuine');
    // Sealed for another conversation, filed by the server in this one.
    world.store(world.bob.user.id, world.bobText('moved', { roomId: newUuid() }));
    // Claims to be from bob, signed by someone else.
    const mallory = person('mallory');
    world.store(world.bob.user.id, world.bobText('forged', { signer: mallory.identity }));
    // The first message again, under a new seq.
    world.store(world.bob.user.id, world.messages[0]!.envelope);
    await open();

    expect(item(1)).toMatchObject({ state: 'sent', text: 'genuine' });
    for (const seq of [2, 3, 4]) {
      expect(item(seq)).toMatchObject({ state: 'unverified', text: null, file: null, messageId: null });
      expect(item(seq).note).toBeTruthy();
    }
    expect(item(2).note).toMatch(/another conversation/);
    expect(item(3).note).toMatch(/signature/);
    expect(item(4).note).toMatch(/repeats/);
    expect(world.texts()).toEqual(['genuine', null, null, null]);
  });

  it('refuses a message from someone outside the conversation', async () => {
    world = new ChatWorld();
    const stranger = person('eve');
    world.store(stranger.user.id, world.seal(stranger, { type: 'text', text: 'hi' }));
    await open();
    expect(item(1)).toMatchObject({ state: 'unverified', text: null });
  });

  it('holds messages under a changed key until the person accepts it, then checks them again', async () => {
    world = new ChatWorld();
    world.bobSays('before the change');
    await open();
    expect(world.view()?.trust?.state).toBe('unverified');

    // The server now presents another key for bob, and messages signed with it.
    const newBob = person('bob', world.bob.user.id);
    world.members = [world.alice.user, newBob.user];
    world.store(newBob.user.id, world.seal(newBob, { type: 'text', text: 'new key', chain: newUuid(), n: 1 }));
    const mallory = person('mallory');
    world.store(newBob.user.id, world.seal(newBob, { type: 'text', text: 'forged' }, { signer: mallory.identity }));
    world.session.requestSync();
    await vi.waitFor(() => expect(world.view()?.items).toHaveLength(3));
    expect(world.view()?.trust?.state).toBe('changed');
    expect(world.view()?.sendBlocked).toMatch(/safety number changed/);
    expect(() => world.session.send(world.roomId, 'blocked')).toThrow(/safety number changed/);
    expect(item(2)).toMatchObject({ state: 'unverified', text: null, untrustedKey: newBob.user.id });
    expect(item(3)).toMatchObject({ state: 'unverified', text: null });

    // Another sync does not release them on its own.
    world.session.requestSync();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(item(2)).toMatchObject({ state: 'unverified', text: null });

    world.session.setTrust(newBob.user.id, false);
    await vi.waitFor(() => expect(item(2)).toMatchObject({ state: 'sent', text: 'new key' }));
    // Accepting the key does not make a forgery pass (it is checked again, each message in turn).
    await vi.waitFor(() => expect(item(3).note).toMatch(/signature/));
    expect(item(3)).toMatchObject({ state: 'unverified', text: null });
    expect(world.view()?.sendBlocked).toBeNull();
    expect(item(1)).toMatchObject({ state: 'sent', text: 'before the change' });
  });

  it('notices gaps and reordering in the sender counters', async () => {
    world = new ChatWorld();
    world.bobSays('one', { n: 1 });
    world.bobSays('two', { n: 2 });
    world.bobSays('four', { n: 4 });
    world.bobSays('three', { n: 3 });
    await open();
    const notices = world.view()!.notices;
    expect(notices.get(item(1).key)).toBeUndefined();
    expect(notices.get(item(2).key)).toBeUndefined();
    expect(notices.get(item(3).key)).toMatch(/1 message from bob is missing/);
    expect(notices.get(item(4).key)).toMatch(/out of order or a repeat/);
  });

  it('notices when the first messages of a complete history were withheld, and not when all are there', async () => {
    world = new ChatWorld();
    world.bobSays('three', { n: 3 });
    world.bobSays('four', { n: 4 });
    await open();
    expect(world.view()!.notices.get(item(1).key)).toMatch(/2 messages from bob are missing/);
    expect(world.view()!.notices.get(item(2).key)).toBeUndefined();

    world = new ChatWorld();
    world.bobSays('one', { n: 1 });
    world.bobSays('two', { n: 2 });
    await open();
    expect(world.view()!.notices.size).toBe(0);
  });
});
