// A direct conversation is two people for good: a server that later lists someone else
// in it (the other person swapped, or a third added) gets nothing sent there, and what
// arrives is checked against the two members seen first.

import { encodePublicKeysV1, toBase64 } from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld, person } from '../test-support/chat-world.js';
import { MEMBERS_CHANGED_WARNING } from './direct-members.js';

let world: ChatWorld | null = null;
afterEach(() => {
  world?.session.stop();
  world = null;
});

async function opened(w: ChatWorld): Promise<void> {
  w.live.connect();
  w.start();
  w.session.setActiveRoom(w.roomId);
  await vi.waitFor(() => expect(w.view()?.loaded).toBe(true));
  await vi.waitFor(() => expect(w.view()?.items.length).toBe(w.messages.length));
}

const item = (w: ChatWorld, seq: number) => w.view()!.items.find((i) => i.seq === seq)!;

describe('a direct conversation whose members the server changes', () => {
  it('refuses the room when the other person is swapped: nothing is sent, and the newcomer is not believed', async () => {
    const w = (world = new ChatWorld());
    // Bob has no ML-KEM key yet, so the room stays classical until someone who has one is listed.
    w.bob.user.publicKeys = toBase64(encodePublicKeysV1(w.bob.identity));
    w.http.on('POST', `/api/rooms/${w.roomId}/keys`, { status: 201, body: { epoch: 2 } });
    w.bobSays('hello from bob');
    await opened(w);
    expect(item(w, 1)).toMatchObject({ state: 'sent', text: 'hello from bob' });
    expect(w.view()?.membersChanged).toBeNull();

    // The server now says the conversation is with mallory (here she even holds the room key).
    const mallory = person('mallory');
    w.members = [w.alice.user, mallory.user];
    w.store(mallory.user.id, w.seal(mallory, { type: 'text', text: 'it is me now' }));
    w.session.requestSync();

    await vi.waitFor(() => expect(w.view()?.items).toHaveLength(2));
    const view = w.view()!;
    expect(view.membersChanged).toBe(MEMBERS_CHANGED_WARNING);
    expect(view.sendBlocked).toBe(MEMBERS_CHANGED_WARNING);
    // The conversation is still with bob, the person it was made with.
    expect(view.peer?.id).toBe(w.bob.user.id);
    expect(view.room.members.map((m) => m.id).sort()).toEqual([w.alice.user.id, w.bob.user.id].sort());
    // Her message is not opened: she is not one of the two members.
    expect(item(w, 2)).toMatchObject({ state: 'unverified', text: null });
    expect(item(w, 2).note).toMatch(/not in this conversation/);
    expect(item(w, 1)).toMatchObject({ state: 'sent', text: 'hello from bob' });

    const sent = w.live.sent.length;
    expect(() => w.session.send(w.roomId, 'are you there?')).toThrow(MEMBERS_CHANGED_WARNING);
    expect(w.live.sent).toHaveLength(sent);
    // No new key was made for the room as the server now lists it (it would go to mallory).
    expect(w.http.callsTo('POST', `/api/rooms/${w.roomId}/keys`)).toHaveLength(0);
  });

  it('refuses the room when a third member is added, and keeps refusing it if the listing goes back', async () => {
    const w = (world = new ChatWorld());
    await opened(w);
    expect(w.view()?.sendBlocked).toBeNull();

    const eve = person('eve');
    w.members = [w.alice.user, w.bob.user, eve.user];
    w.store(w.bob.user.id, w.bobText('bob, with eve listed'));
    w.store(eve.user.id, w.seal(eve, { type: 'text', text: 'eve listening' }));
    w.session.requestSync();
    await vi.waitFor(() => expect(w.view()?.items).toHaveLength(2));
    expect(w.view()?.membersChanged).toBe(MEMBERS_CHANGED_WARNING);
    expect(w.view()?.room.members).toHaveLength(2);
    // Bob's message still opens under the two members seen first; eve's does not.
    expect(item(w, 1)).toMatchObject({ state: 'sent', text: 'bob, with eve listed' });
    expect(item(w, 2)).toMatchObject({ state: 'unverified', text: null });

    // The server lists the two of them again: it has shown it swaps members here, so the room stays refused.
    w.members = [w.alice.user, w.bob.user];
    const reads = w.http.callsTo('GET', '/api/rooms').length;
    w.session.requestSync();
    await vi.waitFor(() => expect(w.http.callsTo('GET', '/api/rooms').length).toBeGreaterThan(reads));
    await vi.waitFor(() => expect(w.view()?.sendBlocked).toBe(MEMBERS_CHANGED_WARNING));
    expect(() => w.session.send(w.roomId, 'hello?')).toThrow(MEMBERS_CHANGED_WARNING);
  });

  it('remembers the first members even when the room drops out of the list and comes back with someone else', async () => {
    const w = (world = new ChatWorld());
    await opened(w);

    w.roomListed = false;
    w.session.requestSync();
    await vi.waitFor(() => expect(w.view()).toBeUndefined());

    const mallory = person('mallory');
    w.members = [w.alice.user, mallory.user];
    w.roomListed = true;
    w.session.requestSync();
    await vi.waitFor(() => expect(w.view()?.membersChanged).toBe(MEMBERS_CHANGED_WARNING));
    expect(w.view()?.peer?.id).toBe(w.bob.user.id);
    expect(() => w.session.send(w.roomId, 'hi')).toThrow(MEMBERS_CHANGED_WARNING);
  });

  it('takes a key change of the same person as a key change, not a member change', async () => {
    const w = (world = new ChatWorld());
    await opened(w);
    const newBob = person('bob', w.bob.user.id);
    w.members = [w.alice.user, newBob.user];
    w.session.requestSync();
    await vi.waitFor(() => expect(w.view()?.trust?.state).toBe('changed'));
    expect(w.view()?.membersChanged).toBeNull();
    expect(w.view()?.sendBlocked).toMatch(/safety number changed/);
  });
});
