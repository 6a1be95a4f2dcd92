// Disappearing messages through the session (PROTOCOL.md §20), against a fake server
// that may misbehave: the timer comes from signed timer messages only, and messages
// leave the session's state when their time comes, whatever the server still serves.
// Time is a manual clock: nothing here waits for it.
import { fromBase64, newUuid, openMessage, type MessageBody } from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld, person } from '../test-support/chat-world.js';
import { GroupWorld, type Device } from '../test-support/group-world.js';
import { ManualClock } from '../test-support/manual-clock.js';
import { describeTtl, expiryFor, shortTtl, timerNotice } from './disappearing.js';
import type { ChatItem } from './items.js';

const SECOND = 1000;

describe('disappearing messages in a session', () => {
  let world: ChatWorld;
  let clock: ManualClock;
  afterEach(() => world?.session?.stop());

  /** Opens the room once the server holds what the test put there. */
  async function open(expectedItems: number): Promise<void> {
    world.live.connect();
    world.start({ clock });
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    await vi.waitFor(() => expect(world.view()?.items.length).toBe(expectedItems));
  }

  function start(): void {
    world = new ChatWorld();
    clock = new ManualClock(Date.now());
  }

  /** Bob signs a message with his next counter (`body` without chain and n). */
  function bobSends(body: MessageBody, sentAt = clock.now()): void {
    world.store(world.bob.user.id, world.seal(world.bob, { ...body, chain: world.bobChain, n: nextN() }, { sentAt }));
  }
  let n = 0;
  const nextN = () => (n += 1);

  const texts = () => world.view()?.items.map((item) => item.text) ?? [];

  /** Reads what alice's client sealed, as a member would. */
  function openSent(envelope: string): MessageBody {
    return openMessage(
      fromBase64(envelope),
      { roomId: world.roomId, epoch: 1, senderId: world.alice.user.id },
      world.roomKey,
      world.alice.identity,
    ).body;
  }

  it("shows bob's timer as a notice and drops his messages when it runs out, by the timer alone", async () => {
    start();
    n = 0;
    bobSends({ type: 'text', text: 'before' }, clock.now() - 10 * SECOND);
    bobSends({ type: 'timer', ttl: 30 }, clock.now() - 5 * SECOND);
    // No ttl of its own: the timer in effect when it was signed still applies.
    bobSends({ type: 'text', text: 'under the timer' });
    await open(3);
    const view = world.view()!;
    expect(view.timer).toBe(30);
    expect(view.items[1]).toMatchObject({ state: 'notice', text: 'bob set disappearing messages to 30 seconds' });
    expect(view.items[2]).toMatchObject({ text: 'under the timer', expiresAt: clock.now() + 30 * SECOND });
    expect(view.items[0]!.expiresAt ?? null).toBeNull();

    clock.advance(30 * SECOND - 1);
    await vi.waitFor(() => expect(texts()).toContain('under the timer'));
    clock.advance(1);
    await vi.waitFor(() => expect(texts()).toEqual(['before', 'bob set disappearing messages to 30 seconds']));
    // The timer notice stays: later readers learn the timer from it.
    expect(world.view()!.timer).toBe(30);
  });

  it('never shows a message the server keeps serving after its time, nor files it again', async () => {
    start();
    n = 0;
    bobSends({ type: 'text', text: 'long gone', ttl: 30 }, clock.now() - 31 * SECOND);
    bobSends({ type: 'text', text: 'still here' });
    await open(1);
    expect(texts()).toEqual(['still here']);
    // A catch-up that brings it again changes nothing.
    world.session.requestSync();
    await vi.waitFor(() => expect(world.http.callsTo('GET', '/api/rooms').length).toBeGreaterThan(1));
    expect(texts()).toEqual(['still here']);
  });

  it("applies the shorter of a message's own ttl and the timer: a sender cannot keep a message longer", async () => {
    start();
    n = 0;
    bobSends({ type: 'timer', ttl: 300 }, clock.now() - SECOND);
    bobSends({ type: 'text', text: 'asks for 4 weeks', ttl: 2_419_200 });
    bobSends({ type: 'text', text: 'asks for 30 s', ttl: 30 });
    await open(3);
    expect(world.view()!.items.map((item) => item.expiresAt ?? null)).toEqual([
      null,
      clock.now() + 300 * SECOND,
      clock.now() + 30 * SECOND,
    ]);
    clock.advance(30 * SECOND);
    await vi.waitFor(() => expect(texts()).toEqual(['bob set disappearing messages to 5 minutes', 'asks for 4 weeks']));
    clock.advance(270 * SECOND);
    await vi.waitFor(() => expect(texts()).toEqual(['bob set disappearing messages to 5 minutes']));
  });

  it('refuses a timer signed by someone who is not in the conversation', async () => {
    start();
    n = 0;
    const mallory = person('mallory');
    // Mallory even holds the room key; the server files it under her id.
    world.store(mallory.user.id, world.seal(mallory, { type: 'timer', ttl: 30 }));
    bobSends({ type: 'text', text: 'kept' });
    await open(2);
    const view = world.view()!;
    expect(view.timer).toBe(0);
    expect(view.items[0]!.state).toBe('unverified');
    expect(view.items[0]!.timer ?? null).toBeNull();
    expect(view.items[1]!.text).toBe('kept');
    expect(view.items[1]!.expiresAt ?? null).toBeNull();
  });

  it('the latest timer by signed send time wins, whatever order the server files them in', async () => {
    start();
    n = 0;
    bobSends({ type: 'timer', ttl: 86_400 }, clock.now() - 2 * SECOND);
    // Filed later, signed earlier: it does not replace the one above.
    bobSends({ type: 'timer', ttl: 30 }, clock.now() - 3 * SECOND);
    await open(2);
    expect(world.view()!.timer).toBe(86_400);
  });

  it('sets a timer with a signed message, then sends with a ttl and asks the server to delete at sentAt + ttl', async () => {
    start();
    await open(0);
    world.session.setTimer(world.roomId, 30);
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(1));
    const timer = world.live.sent[0]!;
    expect(timer.disappearsAt ?? null).toBeNull();
    expect(openSent(timer.envelope)).toMatchObject({ type: 'timer', ttl: 30 });
    await vi.waitFor(() =>
      expect(world.view()!.items[0]).toMatchObject({
        state: 'notice',
        text: 'You set disappearing messages to 30 seconds',
        seq: 1,
      }),
    );
    expect(world.view()!.timer).toBe(30);

    world.session.send(world.roomId, 'short-lived');
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(2));
    const sent = world.live.sent[1]!;
    const body = openSent(sent.envelope);
    expect(body).toMatchObject({ type: 'text', text: 'short-lived', ttl: 30 });
    const mine = await vi.waitFor(() => {
      const item = world.view()!.items.find((i: ChatItem) => i.text === 'short-lived');
      expect(item?.state).toBe('sent');
      return item!;
    });
    expect(sent.disappearsAt).toBe(new Date(mine.sentAt! + 30 * SECOND).toISOString());
    expect(mine.expiresAt).toBe(mine.sentAt! + 30 * SECOND);

    // Setting the same value again sends nothing.
    world.session.setTimer(world.roomId, 30);
    expect(() => world.session.setTimer(world.roomId, 45)).toThrow(/disappearing times/);

    world.session.setTimer(world.roomId, 0);
    await vi.waitFor(() => expect(world.view()!.timer).toBe(0));
    await vi.waitFor(() => expect(texts()).toContain('You turned off disappearing messages'));
  });

  it("drops this client's own unsent message from view when its time comes while offline", async () => {
    start();
    n = 0;
    bobSends({ type: 'timer', ttl: 30 }, clock.now() - SECOND);
    await open(1);
    world.live.disconnect();
    world.session.send(world.roomId, 'never went out');
    const pending = await vi.waitFor(() => {
      const item = world.view()!.items.find((i: ChatItem) => i.text === 'never went out');
      expect(item).toMatchObject({ state: 'pending', ttl: 30 });
      expect(item!.sentAt).toBeTypeOf('number');
      return item!;
    });
    clock.advance(pending.sentAt! + 30 * SECOND - clock.now());
    await vi.waitFor(() => expect(texts()).toEqual(['bob set disappearing messages to 30 seconds']));
    expect(world.live.sent).toHaveLength(0);
  });

  it('drops a message the server answers already_disappeared for, as final', async () => {
    start();
    n = 0;
    bobSends({ type: 'timer', ttl: 30 }, clock.now() - SECOND);
    await open(1);
    world.live.ack = () => ({
      ok: false,
      status: 400,
      code: 'already_disappeared',
      message: "This message's disappearing time has already passed, so it was not stored.",
    });
    world.session.send(world.roomId, 'too late');
    await vi.waitFor(() => expect(world.live.sent).toHaveLength(1));
    await vi.waitFor(() => expect(texts()).toEqual(['bob set disappearing messages to 30 seconds']));
    expect(world.session.getSnapshot().queued).toBe(0);
    expect(world.live.sent).toHaveLength(1);
  });
});

describe('disappearing messages in a group', () => {
  let world: GroupWorld;
  afterEach(() => {
    for (const device of world?.devices.values() ?? []) device.session.stop();
  });
  const until = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

  it('any member sets the timer; every member sees it, and the messages go for everyone', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const clock = new ManualClock(Date.now());
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name, clock)) as [
      Device,
      Device,
      Device,
    ];
    for (const device of [alice, bob, carol]) {
      await until(() => expect(device.session.getSnapshot().friends).not.toBeNull());
    }
    const roomId = await alice.session.createGroup({
      name: 'Hikers',
      memberIds: [bob, carol].map((d) => d.who.user.id),
    });
    for (const device of [alice, bob, carol])
      await until(() => expect(device.view(roomId)?.group?.title).toBe('Hikers'));

    // Bob is no admin: the timer is everyone's to set, and everyone sees who set it.
    bob.session.setTimer(roomId, 30);
    for (const device of [alice, bob, carol]) await until(() => expect(device.view(roomId)?.timer).toBe(30));
    expect(carol.notices(roomId)).toContain('bob set disappearing messages to 30 seconds');
    expect(bob.notices(roomId)).toContain('You set disappearing messages to 30 seconds');

    alice.session.send(roomId, 'gone in 30');
    for (const device of [alice, bob, carol]) await until(() => expect(device.texts(roomId)).toEqual(['gone in 30']));
    // The server was asked to delete the message, and not the timer.
    expect(world.group(roomId).messages.map((m) => m.disappearsAt !== null)).toEqual([false, true]);

    // Signed on the real clock: the manual one is moved to that time plus 30 s.
    const expiries = [alice, bob, carol].map(
      (device) => device.view(roomId)!.items.find((item) => item.text === 'gone in 30')!.expiresAt!,
    );
    const sentAt = alice.view(roomId)!.items.find((item) => item.text === 'gone in 30')!.sentAt!;
    expect(expiries).toEqual([sentAt + 30 * SECOND, sentAt + 30 * SECOND, sentAt + 30 * SECOND]);
    clock.advance(sentAt + 30 * SECOND - 1 - clock.now());
    for (const device of [alice, bob, carol]) expect(device.texts(roomId)).toEqual(['gone in 30']);
    clock.advance(1);
    for (const device of [alice, bob, carol]) await until(() => expect(device.texts(roomId)).toEqual([]));
    expect(carol.notices(roomId)).toContain('bob set disappearing messages to 30 seconds');
  });
});

describe('disappearing helpers', () => {
  it('names every timer value', () => {
    expect([0, 30, 300, 3600, 86_400, 604_800, 2_419_200].map(describeTtl)).toEqual([
      'off',
      '30 seconds',
      '5 minutes',
      '1 hour',
      '1 day',
      '1 week',
      '4 weeks',
    ]);
    expect([30, 300, 3600, 86_400, 604_800, 2_419_200].map(shortTtl)).toEqual(['30s', '5m', '1h', '1d', '1w', '4w']);
    expect(timerNotice({ name: 'Alice' }, 86_400)).toBe('Alice set disappearing messages to 1 day');
    expect(timerNotice('me', 0)).toBe('You turned off disappearing messages');
  });

  it('keeps timer messages and notices; an unverified message goes by its server time under the timer', () => {
    const base: ChatItem = {
      key: 'k',
      roomId: 'r',
      seq: 1,
      senderId: 'b',
      mine: false,
      state: 'sent',
      text: 'x',
      file: null,
      unsupportedType: null,
      note: null,
      time: 5_000,
      sentAt: 1_000,
      messageId: newUuid(),
    };
    const timers = [{ ttl: 30, sentAt: 0, messageId: newUuid() }];
    expect(expiryFor(base, timers)).toBe(31_000);
    expect(expiryFor({ ...base, timer: 30 }, timers)).toBeNull();
    expect(expiryFor({ ...base, state: 'unverified', sentAt: null }, timers)).toBe(35_000);
    expect(expiryFor(base, [])).toBeNull();
  });
});
