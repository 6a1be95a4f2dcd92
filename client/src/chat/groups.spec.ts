// Group conversations through the chat session, with several people on one fake server:
// made, written in both ways live, joined, left and removed from, each change a notice
// in the conversation and a new key for exactly the members after it.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupWorld, person, type Device } from '../test-support/group-world.js';
import { allConversations } from './conversation-list.js';

const until = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 20 });
const idOf = (device: Device) => device.who.user.id;

let world: GroupWorld;
afterEach(() => {
  for (const device of world?.devices.values() ?? []) device.session.stop();
});

async function friendsLoaded(...devices: Device[]): Promise<void> {
  for (const device of devices) await until(() => expect(device.session.getSnapshot().friends).not.toBeNull());
}

/** `admin` makes a group of everyone given; resolves once each of them shows it by name. */
async function makeGroup(admin: Device, members: Device[], name = 'Hikers'): Promise<string> {
  await friendsLoaded(admin, ...members);
  const roomId = await admin.session.createGroup({ name, memberIds: members.map(idOf) });
  for (const device of [admin, ...members]) await until(() => expect(device.view(roomId)?.group?.title).toBe(name));
  return roomId;
}

async function says(from: Device, roomId: string, text: string, readers: Device[]): Promise<void> {
  from.session.send(roomId, text);
  for (const reader of [from, ...readers]) await until(() => expect(reader.texts(roomId)).toContain(text));
}

describe('a group conversation', () => {
  it('is made, named, listed and written in both ways live', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob, carol]);

    const group = alice.view(roomId)!.group!;
    expect(group).toMatchObject({ name: 'Hikers', myRole: 'admin', warning: null, gone: false, verified: true });
    expect(group.admins).toEqual([idOf(alice)]);
    expect(group.members.map((m) => [m.name, m.role, m.label])).toEqual([
      ['You', 'admin', 'you'],
      ['bob', 'member', 'contact'],
      ['carol', 'member', 'contact'],
    ]);
    expect(bob.view(roomId)!.group!.myRole).toBe('member');
    expect(alice.notices(roomId)).toEqual(['You created the group']);
    expect(bob.notices(roomId)).toEqual(['alice created the group']);
    expect(bob.view(roomId)!.peer).toBeNull();

    await says(alice, roomId, 'hello both', [bob, carol]);
    await says(bob, roomId, 'hi alice', [alice, carol]);
    expect(carol.texts(roomId)).toEqual(['hello both', 'hi alice']);
    // Nobody had the conversation open: counted as unread, like a direct one.
    expect(carol.view(roomId)!.room.unread).toBe(2);
    expect(alice.view(roomId)!.room.unread).toBe(1);

    // The server's group size limit is read once, before the first chain is judged.
    expect(alice.http.callsTo('GET', '/api/config')).toHaveLength(1);

    const listed = allConversations(carol.session.getSnapshot());
    expect(listed[0]).toMatchObject({ kind: 'group', roomId, title: 'Hikers', friend: null });
    expect(listed.filter((entry) => entry.kind === 'direct')).toHaveLength(2);
  });

  it('takes a new member in without the earlier keys, and lets an admin rename it and make admins', async () => {
    world = new GroupWorld(['alice', 'bob', 'dave']);
    const [alice, bob, dave] = ['alice', 'bob', 'dave'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob]);
    await says(alice, roomId, 'before dave', [bob]);

    await alice.session.addToGroup(roomId, [idOf(dave)]);
    await until(() => expect(dave.view(roomId)?.group?.title).toBe('Hikers'));
    await says(bob, roomId, 'welcome dave', [alice, dave]);
    // Dave has no key of the epoch before he joined: that message is not readable to him.
    const before = dave.view(roomId)!.items.find((item) => item.seq === 1)!;
    expect(before).toMatchObject({ state: 'unverified', text: null, beforeJoining: true });
    expect(before.note).toMatch(/not in the group/);
    expect(dave.texts(roomId)).toEqual([null, 'welcome dave']);
    expect(bob.notices(roomId)).toEqual(['alice created the group', 'alice added dave']);
    expect(dave.view(roomId)!.group!.members.find((m) => m.name === 'bob')!.label).toBe('contact');

    await alice.session.renameGroup(roomId, { name: 'Hikers 2025' });
    await alice.session.setGroupRole(roomId, idOf(bob), 'admin');
    await until(() => expect(dave.view(roomId)?.group?.title).toBe('Hikers 2025'));
    await until(() => expect(dave.view(roomId)!.group!.admins).toHaveLength(2));
    expect(dave.notices(roomId).slice(2)).toEqual(['alice renamed the group', 'alice made bob an admin']);
    await expect(dave.session.removeFromGroup(roomId, [idOf(bob)])).rejects.toThrow(/Only an admin/);
  });

  it('removes a member: a new key for those who stay, and the removed one is told and refused', async () => {
    world = new GroupWorld(['alice', 'bob', 'dave']);
    const [alice, bob, dave] = ['alice', 'bob', 'dave'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob, dave]);
    await says(dave, roomId, 'dave was here', [alice, bob]);

    await alice.session.removeFromGroup(roomId, [idOf(dave)]);
    const removedAt = world.group(roomId).records.at(-1)!;
    expect(
      world
        .group(roomId)
        .keys.filter((k) => k.epoch === 2)
        .map((k) => k.memberId),
    ).not.toContain(idOf(dave));
    await until(() => expect(dave.view(roomId)?.group?.gone).toBe(true));
    expect(dave.view(roomId)!.sendBlocked).toMatch(/no longer a member/);
    expect(() => dave.session.send(roomId, 'let me back')).toThrow(/no longer a member/);
    await until(() => expect(bob.notices(roomId)).toContain('alice removed dave; a new key is in use'));
    expect(alice.notices(roomId)).toContain('You removed dave; a new key is in use');
    // His earlier message stays verified, checked with the key the chain gave him.
    expect(bob.texts(roomId)).toEqual(['dave was here']);

    // He still holds the old key: a message he seals with it after the removal is refused.
    const oldKey = world.roomKeyOf(roomId, 1, dave.who);
    const late = world.inject(roomId, dave.who, 'I still read you', 1, oldKey);
    expect(late.seq).toBeGreaterThan(removedAt.afterSeq);
    await until(() => expect(bob.view(roomId)!.items.some((item) => item.seq === late.seq)).toBe(true));
    const refused = bob.view(roomId)!.items.find((item) => item.seq === late.seq)!;
    expect(refused).toMatchObject({ state: 'unverified', text: null });
    expect(refused.note).toMatch(/already replaced/);

    await says(alice, roomId, 'just us now', [bob]);

    // A new device of Bob's: the server lists Dave nowhere, yet his earlier message checks out.
    bob.session.stop();
    const again = world.device('bob');
    again.session.setActiveRoom(roomId);
    await until(() => expect(again.texts(roomId)).toEqual(['dave was here', null, 'just us now']));

    // Taken in again while his device heard nothing: the next sync finds out.
    world.muted.add(idOf(dave));
    await alice.session.addToGroup(roomId, [idOf(dave)]);
    world.muted.clear();
    dave.session.requestSync();
    await until(() => expect(dave.view(roomId)?.group?.gone).toBe(false));
    expect(dave.view(roomId)!.sendBlocked).toBeNull();
    await says(alice, roomId, 'welcome back', [dave]);
  });

  it('lets someone removed drop the conversation', async () => {
    world = new GroupWorld(['alice', 'dave']);
    const [alice, dave] = ['alice', 'dave'].map((name) => world.device(name)) as [Device, Device];
    const roomId = await makeGroup(alice, [dave]);
    await alice.session.removeFromGroup(roomId, [idOf(dave)]);
    await until(() => expect(dave.view(roomId)?.group?.gone).toBe(true));
    await dave.session.leaveGroup(roomId);
    expect(dave.view(roomId)).toBeUndefined();
    dave.session.requestSync();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dave.view(roomId)).toBeUndefined();
  });

  it('finishes a leave: another member posts the next key, the leaver gets none', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob, carol]);

    await bob.session.leaveGroup(roomId);
    expect(bob.view(roomId)).toBeUndefined();
    await until(() => expect(world.group(roomId).keys.some((k) => k.epoch === 2)).toBe(true));
    const next = world.group(roomId).keys.filter((k) => k.epoch === 2);
    expect(next.map((k) => k.memberId).sort()).toEqual([idOf(alice), idOf(carol)].sort());
    expect([idOf(alice), idOf(carol)]).toContain(next[0]!.wrapperId);
    await until(() => expect(carol.notices(roomId)).toContain('bob left; a new key is in use'));
    await says(carol, roomId, 'after bob', [alice]);
    expect(carol.view(roomId)!.group!.title).toBe('Hikers');
  });

  it('seals again under the new epoch when the server says the one used has ended', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol', 'dave']);
    const devices = ['alice', 'bob', 'carol', 'dave'].map((name) => world.device(name));
    const [alice, bob, carol, dave] = devices as [Device, Device, Device, Device];
    const roomId = await makeGroup(alice, [bob, carol, dave]);

    // Bob hears nothing of the removal: he seals under epoch 1, the server wants 2.
    world.muted.add(idOf(bob));
    await alice.session.removeFromGroup(roomId, [idOf(dave)]);
    await says(bob, roomId, 'sealed twice', [alice, carol]);
    expect(world.group(roomId).messages.at(-1)!.epoch).toBe(2);
    expect(bob.view(roomId)!.group!.members.map((m) => m.name)).not.toContain('dave');
  });
});

describe('what a server cannot do to a group', () => {
  it('slips in someone without a record: not shown, given no key, and their messages refused', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol', 'mallory']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob]);
    const mallory = world.get('mallory');
    world.group(roomId).extra.push(mallory);
    alice.session.requestSync();
    bob.session.requestSync();
    await until(() => expect(bob.view(roomId)!.room.members.map((m) => m.id)).toContain(mallory.user.id));
    expect(bob.view(roomId)!.group!.members.map((m) => m.name)).toEqual(['alice', 'You']);

    // The next key goes to the members the chain has, not to whoever the server lists.
    await alice.session.addToGroup(roomId, [idOf(carol)]);
    const keys = world
      .group(roomId)
      .keys.filter((k) => k.epoch === 2)
      .map((k) => k.memberId);
    expect(keys.sort()).toEqual([idOf(alice), idOf(bob), idOf(carol)].sort());

    // Even sealed with the group's own key, what she writes is refused.
    const key = world.roomKeyOf(roomId, 2, bob.who);
    const forged = world.inject(roomId, mallory, 'trust me', 2, key);
    await until(() => expect(bob.view(roomId)!.items.some((item) => item.seq === forged.seq)).toBe(true));
    const item = bob.view(roomId)!.items.find((i) => i.seq === forged.seq)!;
    expect(item).toMatchObject({ state: 'unverified', text: null });
    expect(item.note).toMatch(/not in the group while that key was in use/);
    // A forgery is a warning of its own, never folded away as "sent before you joined".
    expect(item.beforeJoining).toBeUndefined();
  });

  it('drops a removal it had handed out: the group warns and nothing more is sent', async () => {
    world = new GroupWorld(['alice', 'bob', 'dave']);
    const [alice, bob, dave] = ['alice', 'bob', 'dave'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob, dave]);
    await alice.session.removeFromGroup(roomId, [idOf(dave)]);
    await until(() => expect(bob.notices(roomId)).toContain('alice removed dave; a new key is in use'));

    // To let Dave back in, the server leaves the group out of Bob's list once, then
    // lists it again without the removal.
    const group = world.group(roomId);
    group.hiddenFrom.add(idOf(bob));
    bob.session.requestSync();
    await until(() => expect(bob.view(roomId)).toBeUndefined());
    group.hiddenFrom.clear();
    group.listing = () => group.records.slice(0, -1);
    group.extra.push(dave.who);
    bob.session.requestSync();
    await until(() => expect(bob.view(roomId)?.group?.warning).toMatch(/left out changes/));
    // The members Bob verified are the ones shown: Dave is not back in.
    expect(bob.view(roomId)!.group!.members.map((m) => m.id)).not.toContain(idOf(dave));
    expect(bob.view(roomId)!.sendBlocked).toMatch(/does not check out/);
    expect(() => bob.session.send(roomId, 'anyone?')).toThrow(/does not check out/);
  });

  it('forges a change of role: the group warns and blocks sending', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob, carol]);
    await says(alice, roomId, 'before', [bob, carol]);

    // A record making Carol an admin, in Alice's name but not signed by her.
    const group = world.group(roomId);
    const forged = forgeRole(world, roomId, carol);
    group.listing = () => [...group.records, { index: 1, record: forged, afterSeq: 1 }];
    bob.session.requestSync();
    await until(() => expect(bob.view(roomId)?.group?.warning).toMatch(/record 1 by alice: its signature/));
    expect(bob.view(roomId)!.group!.admins).toEqual([idOf(alice)]);
    expect(bob.view(roomId)!.sendBlocked).toMatch(/Nothing will be sent here/);
    expect(bob.texts(roomId)).toEqual(['before']);
  });

  it('delivers a removed member’s message before the removal: it is refused once the removal is seen', async () => {
    world = new GroupWorld(['alice', 'bob', 'dave']);
    const [alice, bob, dave] = ['alice', 'bob', 'dave'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob, dave]);
    const oldKey = world.roomKeyOf(roomId, 1, dave.who);

    world.muted.add(idOf(bob));
    const group = world.group(roomId);
    const filed = group.records.length;
    group.listing = () => group.records.slice(0, filed);
    await alice.session.removeFromGroup(roomId, [idOf(dave)]);
    world.muted.delete(idOf(bob));
    const late = world.inject(roomId, dave.who, 'still listening', 1, oldKey);
    await until(() => expect(bob.view(roomId)!.items.some((item) => item.seq === late.seq)).toBe(true));
    // Bob could not tell yet: as far as the chain he verified goes, Dave is a member.
    expect(bob.view(roomId)!.items.find((i) => i.seq === late.seq)!.text).toBe('still listening');

    group.listing = null;
    bob.session.requestSync();
    await until(() => expect(bob.view(roomId)!.items.find((i) => i.seq === late.seq)!.state).toBe('unverified'));
    const item = bob.view(roomId)!.items.find((i) => i.seq === late.seq)!;
    expect(item.text).toBeNull();
    expect(item.note).toMatch(/already replaced/);
  });
});

describe('a change the server holds back', () => {
  it('keeps messages under its key unread until the change is seen, then opens them', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob]);
    const group = world.group(roomId);
    const shown = group.records.length;
    group.listing = (viewer) => (viewer === idOf(bob) ? group.records.slice(0, shown) : group.records);
    world.muted.add(idOf(bob));
    await alice.session.addToGroup(roomId, [idOf(carol)]);
    world.muted.clear();
    await until(() => expect(carol.view(roomId)?.group?.title).toBe('Hikers'));

    await says(carol, roomId, 'hi all', [alice]);
    await until(() => expect(bob.view(roomId)!.items.filter((i) => i.state !== 'notice')).toHaveLength(1));
    const waiting = bob.view(roomId)!.items.find((i) => i.seq === 1)!;
    expect(waiting).toMatchObject({ state: 'unverified', text: null });
    expect(waiting.note).toMatch(/has not checked yet/);

    group.listing = null;
    bob.session.requestSync();
    await until(() => expect(bob.texts(roomId)).toEqual(['hi all']));
    expect(bob.notices(roomId)).toEqual(['alice created the group', 'alice added carol']);
  });
});

describe('a member whose keys the server swaps', () => {
  it('is shown as not matching the group, and their messages are refused even once the new key is accepted', async () => {
    world = new GroupWorld(['alice', 'bob']);
    const [alice, bob] = ['alice', 'bob'].map((name) => world.device(name)) as [Device, Device];
    const roomId = await makeGroup(alice, [bob]);
    await says(bob, roomId, 'really me', [alice]);

    const impostor = person('bob', idOf(bob));
    world.impostors.set(idOf(bob), impostor);
    alice.session.requestSync();
    const label = () => alice.view(roomId)!.group!.members.find((m) => m.id === idOf(bob))!.label;
    await until(() => expect(label()).toBe('keys do not match the group’s'));

    const key = world.roomKeyOf(roomId, 1, alice.who);
    const forged = world.inject(roomId, impostor, 'trust the new me', 1, key);
    await until(() => expect(alice.view(roomId)!.items.some((item) => item.seq === forged.seq)).toBe(true));
    // Accepting the presented key (as for a contact's new safety number) does not make the group vouch for it.
    alice.session.setTrust(idOf(bob), false);
    await until(() =>
      expect(alice.view(roomId)!.items.find((i) => i.seq === forged.seq)!.note).toMatch(
        /do not match the ones the group holds/,
      ),
    );
    expect(alice.texts(roomId)).toEqual(['really me', null]);
  });
});

describe('delivery in a group', () => {
  it('counts the members each message reached, among those it was sealed for', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol', 'dave']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    const roomId = await makeGroup(alice, [bob, carol]);
    const deliveredTo = (text: string) => alice.view(roomId)!.items.find((item) => item.text === text)?.deliveredTo;

    // Carol's device hears nothing for now: only Bob's receives it.
    world.muted.add(idOf(carol));
    await says(alice, roomId, 'first', [bob]);
    await until(() => expect(deliveredTo('first')).toEqual({ count: 1, of: 2 }));
    // Carol catches up: both members it was sealed for have it.
    world.muted.delete(idOf(carol));
    carol.session.requestSync();
    await until(() => expect(carol.texts(roomId)).toContain('first'));
    await until(() => expect(deliveredTo('first')).toEqual({ count: 2, of: 2 }));

    // Dave joins later: "first" was never sealed for him, so he does not count for it.
    const dave = world.device('dave');
    await friendsLoaded(dave);
    await alice.session.addToGroup(roomId, [idOf(dave)]);
    await says(alice, roomId, 'second', [bob, carol, dave]);
    await until(() => expect(deliveredTo('second')).toEqual({ count: 3, of: 3 }));
    expect(deliveredTo('first')).toEqual({ count: 2, of: 2 });
    // Others' messages carry no count.
    await says(bob, roomId, 'from bob', [alice]);
    expect(alice.view(roomId)!.items.find((item) => item.text === 'from bob')?.deliveredTo).toBeUndefined();
  });
});

describe('a member seen for the first time with swapped keys', () => {
  it('is never pinned with them, so the real keys are not taken for a change later', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    // Before Alice has ever checked Carol's keys, the server presents other ones for her.
    world.impostors.set(idOf(carol), person('carol', idOf(carol)));
    const roomId = await makeGroup(bob, [alice, carol]);
    const label = () => alice.view(roomId)!.group!.members.find((m) => m.id === idOf(carol))!.label;
    await until(() => expect(label()).toBe('keys do not match the group’s'));

    world.impostors.delete(idOf(carol));
    alice.session.requestSync();
    await until(() => expect(label()).toBe('contact'));
    // Bob, who had pinned Carol's real keys, saw the swap as a change and is not asked here.
    await says(carol, roomId, 'the real me', [alice]);
  });
});

/** A role record at index 1 naming Alice as signer, signed with another key. */
function forgeRole(world: GroupWorld, roomId: string, target: Device): Uint8Array {
  return world.forge(roomId, world.get('alice'), 'role', [
    { userId: idOf(target), role: 'admin', signPublicKey: new Uint8Array(32) },
  ]);
}
