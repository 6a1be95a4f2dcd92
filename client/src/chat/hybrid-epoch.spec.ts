// A chat session moves a classical direct room to a hybrid epoch on its own, sends
// under the newest epoch from then on, and keeps the old epoch's messages readable.

import {
  fromBase64,
  newRoomKey,
  openMessage,
  openRoomKey,
  readMessageHeader,
  readRoomKeyContext,
  toBase64,
  wrapRoomKeyHybrid,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld } from '../test-support/chat-world.js';

let world: ChatWorld | null = null;
afterEach(() => {
  world?.session.stop();
  world = null;
});

type Posted = { epoch: number; keys: { memberId: string; record: string }[] };

/** The fake server with a room whose epoch moves when a member posts the next one. */
function upgradingWorld() {
  const w = new ChatWorld();
  let epoch = 1;
  const posts: Posted[] = [];
  /** How often the room list had been read when the last epoch was posted. */
  const listReads = { atPost: 0 };
  const listed = () => ({ ...w.room(), epoch });
  w.http.on('GET', '/api/rooms', () => ({ body: { rooms: [listed()] } }));
  w.http.on('POST', `/api/rooms/${w.roomId}/keys`, (call) => {
    const body = call.body as Posted;
    posts.push(body);
    listReads.atPost = w.http.callsTo('GET', '/api/rooms').length;
    if (body.epoch !== epoch + 1) return { status: 409, body: { code: 'epoch_taken', message: 'Taken.' } };
    epoch = body.epoch;
    return { status: 201, body: { epoch } };
  });
  return { w, posts, listReads, setEpoch: (next: number) => (epoch = next) };
}

describe('moving a conversation to a hybrid key', () => {
  it('starts epoch 2 for both members, then sends under it while epoch 1 stays readable', async () => {
    const { w, posts, listReads } = upgradingWorld();
    world = w;
    w.bobSays('before the upgrade');
    w.live.connect();
    w.start();
    w.session.setActiveRoom(w.roomId);
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    const posted = posts[0]!;
    expect(posted.epoch).toBe(2);
    expect(posted.keys.map((k) => k.memberId).sort()).toEqual([w.alice.user.id, w.bob.user.id].sort());
    const bobsCopy = fromBase64(posted.keys.find((k) => k.memberId === w.bob.user.id)!.record);
    expect(readRoomKeyContext(bobsCopy)).toMatchObject({ epoch: 2, wrapperId: w.alice.user.id });
    const opened = openRoomKey(bobsCopy, { roomId: w.roomId, epoch: 2, memberId: w.bob.user.id }, w.bob.identity, {
      id: w.alice.user.id,
      ...w.alice.identity,
    });
    expect(opened.hybrid).toBe(true);

    await vi.waitFor(() => expect(w.texts()).toContain('before the upgrade'));
    // The room list is read again after the upgrade (it says epoch 2 now): new messages use it.
    await vi.waitFor(() => expect(w.http.callsTo('GET', '/api/rooms').length).toBeGreaterThan(listReads.atPost));
    await new Promise((resolve) => setTimeout(resolve, 0));
    w.session.send(w.roomId, 'after the upgrade');
    await vi.waitFor(() => expect(w.live.sent).toHaveLength(1));
    expect(readMessageHeader(fromBase64(w.live.sent[0]!.envelope)).epoch).toBe(2);
    expect(posts).toHaveLength(1);
  });

  it('reads the room again after the other member started the epoch first, and does not try twice', async () => {
    const { w, posts, setEpoch } = upgradingWorld();
    world = w;
    // Bob's client already moved the room on; this client's list is out of date.
    w.http.on('POST', `/api/rooms/${w.roomId}/keys`, (call) => {
      posts.push(call.body as Posted);
      setEpoch(2);
      const ctx = { roomId: w.roomId, epoch: 2, memberId: w.alice.user.id, wrapperId: w.bob.user.id };
      const mine = { boxPublicKey: w.alice.identity.boxPublicKey, kemPublicKey: w.alice.identity.kem!.publicKey };
      const record = toBase64(wrapRoomKeyHybrid(newRoomKey(), ctx, w.bob.identity, mine));
      w.http.on('GET', `/api/rooms/${w.roomId}/keys`, {
        body: { keys: [{ epoch: 2, wrapperId: w.bob.user.id, record }] },
      });
      return { status: 409, body: { code: 'epoch_taken', message: 'Another member already started a new key.' } };
    });
    w.live.connect();
    w.start();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    await vi.waitFor(() => expect(w.http.callsTo('GET', '/api/rooms').length).toBeGreaterThanOrEqual(2));
    // Epoch 2 is hybrid already: nothing more to do.
    await vi.waitFor(() =>
      expect(w.http.callsTo('GET', `/api/rooms/${w.roomId}/keys`).length).toBeGreaterThanOrEqual(2),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(posts).toHaveLength(1);
  });

  it('reads the room list again when the server says a member started a new epoch', async () => {
    const { w } = upgradingWorld();
    world = w;
    w.live.connect();
    w.start();
    await vi.waitFor(() => expect(w.http.callsTo('GET', '/api/rooms').length).toBeGreaterThanOrEqual(1));
    const before = w.http.callsTo('GET', '/api/rooms').length;
    w.live.emit('room:key', { roomId: w.roomId, epoch: 5 });
    await vi.waitFor(() => expect(w.http.callsTo('GET', '/api/rooms').length).toBeGreaterThan(before));
  });

  it('seals a message again under the new epoch when the server says it was sealed under an older one', async () => {
    const { w, setEpoch } = upgradingWorld();
    world = w;
    // This client's own upgrade is never accepted: Bob moves the room on, just as Alice sends.
    w.http.on('POST', `/api/rooms/${w.roomId}/keys`, {
      status: 409,
      body: { code: 'epoch_taken', message: 'Another member already started a new key.' },
    });
    const epoch2Key = newRoomKey();
    const ctx = { roomId: w.roomId, epoch: 2, memberId: w.alice.user.id, wrapperId: w.bob.user.id };
    const mine = { boxPublicKey: w.alice.identity.boxPublicKey, kemPublicKey: w.alice.identity.kem!.publicKey };
    const epoch2Record = toBase64(wrapRoomKeyHybrid(epoch2Key, ctx, w.bob.identity, mine));
    w.live.ack = (payload) => {
      if (readMessageHeader(fromBase64(payload.envelope)).epoch === 1) {
        setEpoch(2);
        w.http.on('GET', `/api/rooms/${w.roomId}/keys`, {
          body: { keys: [{ epoch: 2, wrapperId: w.bob.user.id, record: epoch2Record }] },
        });
        return { ok: false, status: 409, code: 'stale_epoch', message: 'Sealed with an earlier key.' };
      }
      return { ok: true, message: w.store(w.alice.user.id, payload.envelope), duplicate: false };
    };
    w.live.connect();
    w.start();
    w.session.setActiveRoom(w.roomId);
    await vi.waitFor(() => expect(w.http.callsTo('GET', '/api/rooms').length).toBeGreaterThanOrEqual(2));
    w.session.send(w.roomId, 'sent across the move');
    await vi.waitFor(() => expect(w.live.sent).toHaveLength(2), { timeout: 10_000 });

    const [first, second] = w.live.sent.map((payload) => fromBase64(payload.envelope));
    expect(readMessageHeader(first!).epoch).toBe(1);
    expect(readMessageHeader(second!).epoch).toBe(2);
    expect(w.live.sent[1]!.clientId).toBe(w.live.sent[0]!.clientId);
    const context = { roomId: w.roomId, epoch: 2, senderId: w.alice.user.id };
    const resealed = openMessage(second!, context, epoch2Key, w.alice.identity);
    expect(resealed.body).toMatchObject({ text: 'sent across the move', n: 1 });
    expect(resealed.header.messageId).toBe(w.live.sent[0]!.clientId);
    await vi.waitFor(() => expect(w.view()?.items.map((item) => item.state)).toEqual(['sent']));
  }, 15_000);
});
