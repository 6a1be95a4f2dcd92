import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld } from '../test-support/chat-world.js';
import type { ChatItem } from './items.js';
import { Timeline } from './timeline.js';

function item(seq: number, mine = false): ChatItem {
  return {
    key: `seq:${seq}`,
    roomId: 'r',
    seq,
    senderId: mine ? 'me' : 'them',
    mine,
    state: 'sent',
    text: `m${seq}`,
    file: null,
    unsupportedType: null,
    note: null,
    time: seq,
    messageId: `id${seq}`,
  };
}

describe('Timeline', () => {
  it('keeps stored messages sorted by seq without duplicates, whatever the arrival order', () => {
    for (const order of [
      [1, 2, 3, 4, 5],
      [5, 4, 3, 2, 1],
      [3, 1, 5, 1, 2, 4, 3, 5],
    ]) {
      const timeline = new Timeline();
      timeline.start(0);
      for (const seq of order) timeline.insert(item(seq));
      expect(timeline.items.map((i) => i.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(timeline.syncedUpTo).toBe(5);
    }
  });

  it('does not count past a gap as synced', () => {
    const timeline = new Timeline();
    timeline.start(0);
    for (const seq of [1, 2, 4]) timeline.insert(item(seq));
    expect(timeline.syncedUpTo).toBe(2);
    expect(timeline.covers(1, 4)).toBe(false);
    timeline.insert(item(3));
    expect(timeline.syncedUpTo).toBe(4);
    expect(timeline.covers(1, 4)).toBe(true);
  });

  it('keeps pending sends after stored ones, and files a confirmed one under its seq', () => {
    const timeline = new Timeline();
    timeline.start(0);
    timeline.insert(item(1));
    timeline.addPending({ ...item(0, true), seq: null, key: 'id:x', messageId: 'x', state: 'pending' });
    timeline.insert(item(2));
    expect(timeline.items.map((i) => i.key)).toEqual(['seq:1', 'seq:2', 'id:x']);
    timeline.confirmPending('x', 3, 3);
    expect(timeline.items.map((i) => [i.key, i.seq, i.state])).toEqual([
      ['seq:1', 1, 'sent'],
      ['seq:2', 2, 'sent'],
      ['id:x', 3, 'sent'],
    ]);
    expect(timeline.findPending('x')).toBeNull();
  });
});

describe('a conversation merges live messages, catch-ups and history pages', () => {
  let world: ChatWorld;
  afterEach(() => world?.session?.stop());

  it('loads the newest message first, then the page, then older history, in seq order without duplicates', async () => {
    world = new ChatWorld();
    for (const text of ['one', 'two', 'three']) world.bobSays(text);
    world.live.connect();
    world.start();
    // Not open: only the newest message is fetched (for the conversation list).
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    expect(world.texts()).toEqual(['three']);
    expect(world.view()?.partial).toBe(true);
    expect(world.view()?.hasOlder).toBe(true);

    // A live message arrives before the rest of the history.
    const four = world.bobSays('four');
    world.live.emit('message:new', four);
    await vi.waitFor(() => expect(world.texts()).toEqual(['three', 'four']));
    // The same message again (the socket and a catch-up may both bring it): shown once.
    world.live.emit('message:new', four);

    await world.session.loadOlder(world.roomId);
    await vi.waitFor(() => expect(world.texts()).toEqual(['one', 'two', 'three', 'four']));
    expect(world.view()?.items.map((i) => i.seq)).toEqual([1, 2, 3, 4]);
    expect(world.view()?.hasOlder).toBe(false);
    expect(world.view()?.items.every((i) => i.state === 'sent')).toBe(true);
  });

  it('catches up when a live message leaves a gap, and ignores a malformed payload', async () => {
    world = new ChatWorld();
    world.bobSays('one');
    world.live.connect();
    world.start();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.texts()).toEqual(['one']));

    world.bobSays('two');
    world.bobSays('three');
    const four = world.bobSays('four');
    const before = world.http.callsTo('GET', /messages\?after=1&/).length;
    // seq 4 while 2 and 3 were never seen: a catch-up fetches them.
    world.live.emit('message:new', four);
    await vi.waitFor(() => expect(world.texts()).toEqual(['one', 'two', 'three', 'four']));
    expect(world.http.callsTo('GET', /messages\?after=1&/).length).toBe(before + 1);

    // Not a message (the server is untrusted): nothing changes, nothing throws.
    world.live.emit('message:new', { ...four, seq: 'five' });
    world.live.emit('message:new', null);
    // Announced for a room we don't know: only the lists are fetched again, nothing is filed here.
    world.live.emit('message:new', { ...four, seq: 5, roomId: 'elsewhere' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(world.view()?.items.map((i) => i.seq)).toEqual([1, 2, 3, 4]);
  });

  it('drops one bad item of a page and keeps the rest', async () => {
    world = new ChatWorld();
    world.bobSays('one');
    const two = world.bobSays('two');
    world.bobSays('three');
    (two as { envelope: unknown }).envelope = 42;
    world.live.connect();
    world.start();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.texts()).toEqual(['one', 'three']));
  });
});
