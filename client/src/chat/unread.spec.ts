import type { Room } from '@onionchat/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld } from '../test-support/chat-world.js';
import { applyReadMark, countNew, mergeServerRoom, unreadAfter, type HeldMessagesView } from './unread.js';

const room = (patch: Partial<Room> = {}): Room => ({
  id: 'r',
  kind: 'direct',
  epoch: 1,
  lastSeq: 0,
  lastReadSeq: 0,
  unread: 0,
  members: [],
  ...patch,
});

/** A timeline holding `held` (seq → mine). */
function holding(held: Record<number, boolean>): HeldMessagesView {
  const seqs = Object.keys(held).map(Number);
  return {
    covers: (from, to) => {
      for (let seq = from; seq <= to; seq++) if (!(seq in held)) return false;
      return true;
    },
    othersBetween: (from, to) => seqs.filter((seq) => seq > from && seq <= to && !held[seq]).length,
  };
}
const nothing = holding({});

describe('the unread rule', () => {
  it('counts a new message from someone else, not one of ours, not one watched, not an old one', () => {
    expect(countNew(room({ lastSeq: 2 }), 3, false, false)).toMatchObject({ lastSeq: 3, unread: 1 });
    expect(countNew(room({ lastSeq: 2 }), 3, true, false)).toMatchObject({ lastSeq: 3, unread: 0 });
    expect(countNew(room({ lastSeq: 2 }), 3, false, true)).toMatchObject({ lastSeq: 3, unread: 0 });
    const known = room({ lastSeq: 5, unread: 2 });
    expect(countNew(known, 4, false, false)).toBe(known);
    // Already read (a read mark from another session came first).
    expect(countNew(room({ lastSeq: 2, lastReadSeq: 3 }), 3, false, false)).toMatchObject({ unread: 0 });
  });

  it('adds what the socket brought after the server counted, and takes back neither side', () => {
    const local = room({ lastSeq: 5, lastReadSeq: 1, unread: 3 });
    const server = room({ lastSeq: 3, lastReadSeq: 1, unread: 2 });
    // Held: 4 from them, 5 ours; 2..3 not held: the server's count plus one.
    expect(mergeServerRoom(local, server, holding({ 4: false, 5: true }))).toMatchObject({
      lastSeq: 5,
      lastReadSeq: 1,
      unread: 3,
    });
    // Everything after the read mark held: counted exactly (own messages never unread).
    const all = holding({ 2: false, 3: true, 4: false, 5: true });
    expect(mergeServerRoom(local, server, all)).toMatchObject({ unread: 2 });
    // Read here meanwhile (the server's list is older): the read mark stays.
    expect(mergeServerRoom(room({ lastSeq: 3, lastReadSeq: 3 }), server, nothing)).toMatchObject({
      lastReadSeq: 3,
      unread: 0,
    });
    // A server count beyond the messages there are is not believed.
    expect(mergeServerRoom(room(), room({ lastSeq: 4, lastReadSeq: 2, unread: 50 }), nothing).unread).toBe(2);
  });

  it('never takes a room back to an older key epoch than one already listed', () => {
    expect(mergeServerRoom(room({ epoch: 2 }), room({ epoch: 1 }), nothing).epoch).toBe(2);
    expect(mergeServerRoom(room({ epoch: 2 }), room({ epoch: 3 }), nothing).epoch).toBe(3);
  });

  it('applies a newer read mark, exactly when the messages are held, and ignores an older one', () => {
    const r = room({ lastSeq: 6, lastReadSeq: 1, unread: 5 });
    expect(applyReadMark(r, 6, nothing)).toMatchObject({ lastReadSeq: 6, unread: 0 });
    expect(applyReadMark(r, 4, holding({ 5: false, 6: true }))).toMatchObject({ lastReadSeq: 4, unread: 1 });
    expect(applyReadMark(r, 4, nothing)).toMatchObject({ lastReadSeq: 4, unread: 2 });
    expect(applyReadMark(r, 1, nothing)).toBe(r);
    expect(applyReadMark(r, 0, nothing)).toBe(r);
    expect(unreadAfter(7, 6, 3, nothing)).toBe(0);
  });
});

describe('unread counts in a session', () => {
  let world: ChatWorld;
  afterEach(() => world?.session?.stop());

  async function ready(): Promise<void> {
    world = new ChatWorld();
    world.bobSays('before');
    world.lastReadSeq = 1;
    world.live.connect();
    world.start();
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    expect(world.view()?.room.unread).toBe(0);
  }

  const unread = () => world.session.getSnapshot().totalUnread;

  it('counts a live message in the open room only while the app is hidden', async () => {
    await ready();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.partial).toBe(false));
    world.live.emit('message:new', world.bobSays('seen'));
    await vi.waitFor(() => expect(world.texts()).toContain('seen'));
    expect(unread()).toBe(0);

    world.platform.setVisible(false);
    world.live.emit('message:new', world.bobSays('while away'));
    await vi.waitFor(() => expect(world.texts()).toContain('while away'));
    expect(unread()).toBe(1);
  });

  it('counts live messages in another room, also before that room is loaded', async () => {
    world = new ChatWorld();
    world.live.connect();
    world.start();
    // Announced before the first load finished (or while it is not loaded): counted.
    await vi.waitFor(() => expect(world.view()).toBeDefined());
    world.live.emit('message:new', world.bobSays('one'));
    world.live.emit('message:new', world.bobSays('two'));
    await vi.waitFor(() => expect(unread()).toBe(2));
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    // A later room list agrees: still two, not four.
    world.session.requestSync();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unread()).toBe(2);
  });

  it('never counts our own messages, even from another session', async () => {
    await ready();
    const ours = world.store(world.alice.user.id, world.seal(world.alice, { type: 'text', text: 'from my phone' }));
    world.live.emit('message:new', ours);
    await vi.waitFor(() => expect(world.texts()).toContain('from my phone'));
    expect(unread()).toBe(0);
    world.session.requestSync();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unread()).toBe(0);
  });

  it('clears on a read mark from another session, and ignores a malformed or older one', async () => {
    await ready();
    world.live.emit('message:new', world.bobSays('a'));
    world.live.emit('message:new', world.bobSays('b'));
    await vi.waitFor(() => expect(unread()).toBe(2));
    world.live.emit('room:read', { roomId: world.roomId, lastReadSeq: 'all' });
    world.live.emit('room:read', { roomId: world.roomId, lastReadSeq: 1 });
    world.live.emit('room:read', { roomId: world.roomId, lastReadSeq: -4 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unread()).toBe(2);
    world.live.emit('room:read', { roomId: world.roomId, lastReadSeq: 2 });
    await vi.waitFor(() => expect(unread()).toBe(1));
    world.live.emit('room:read', { roomId: world.roomId, lastReadSeq: 3 });
    await vi.waitFor(() => expect(unread()).toBe(0));
  });

  it('clears the badge at once on markRead and tells the server shortly after', async () => {
    await ready();
    world.live.emit('message:new', world.bobSays('a'));
    await vi.waitFor(() => expect(unread()).toBe(1));
    world.session.markRead(world.roomId, 2);
    await vi.waitFor(() => expect(unread()).toBe(0));
    expect(world.http.callsTo('POST', `/api/rooms/${world.roomId}/read`)).toHaveLength(0);
    await vi.waitFor(() => expect(world.http.callsTo('POST', `/api/rooms/${world.roomId}/read`)).toHaveLength(1));
    expect(world.lastReadSeq).toBe(2);
  });
});
