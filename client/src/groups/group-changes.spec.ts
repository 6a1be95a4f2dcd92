// The changes a member makes: what goes to the server is the next record on the
// verified chain, signed by this account, with the new epoch's key wrapped for exactly
// the members after it; what the chain would refuse is refused here first, and nothing
// is posted then.

import {
  decodeGroupRecord,
  fromBase64,
  groupRecordDigest,
  newRoomKey,
  openGroupInfo,
  openRoomKey,
  readRoomKeyContext,
  type DecodedGroupRecord,
} from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { GroupServer, changing, person, type Person } from '../test-support/group-server.js';
import { KeyDirectory } from '../trust/key-directory.js';
import { ContactPins } from '../trust/pins.js';
import { RoomKeyring } from '../trust/room-keyring.js';
import { GroupChangeError } from './group-change-error.js';
import { GroupChanges } from './group-changes.js';
import { GroupChains } from './group-chains.js';

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const dave = person('dave');
const erin = person('erin');
const everyone = [alice, bob, carol, dave, erin];
const byId = new Map(everyone.map((p) => [p.user.id, p]));
/** Alice's contacts: everyone but Erin. */
const contacts = new Set([bob, carol, dave].map((p) => p.user.id));

function setup(options: { maxMembers?: number } = {}) {
  const server = new GroupServer(alice, [bob, carol, dave, erin]);
  const directory = new KeyDirectory(alice.user.id, alice.identity, new ContactPins(null));
  const chains = new GroupChains({ api: server.api, ...options });
  const keyring = new RoomKeyring(server.api, alice.user.id, alice.identity, directory, chains);
  const changes = new GroupChanges({
    api: server.api,
    meId: alice.user.id,
    identity: alice.identity,
    directory,
    keyring,
    chains,
    room: (roomId) => server.room(roomId),
    isContact: (userId) => contacts.has(userId),
    now: () => 1_800_000_000_000,
  });
  const posts = (path: RegExp | string) => server.http.callsTo('POST', path);
  return { server, directory, chains, keyring, changes, posts };
}

/** A group Alice made earlier (through the server), with its key of epoch 1. */
async function aliceGroup(members: Person[] = [bob, carol]) {
  const parts = setup();
  const key = newRoomKey();
  const roomId = parts.server.groupBy(alice, members, key);
  await parts.chains.sync(roomId);
  return { ...parts, roomId, key };
}

interface Posted {
  record: DecodedGroupRecord;
  bytes: Uint8Array;
  keys?: { memberId: string; record: string }[];
}

function lastPost(posts: ReturnType<typeof setup>['posts'], path: RegExp | string): Posted {
  const calls = posts(path);
  const body = calls[calls.length - 1]!.body as { record: string; keys?: { memberId: string; record: string }[] };
  const bytes = fromBase64(body.record);
  return { record: decodeGroupRecord(bytes), bytes, keys: body.keys };
}

const recordsPath = (roomId: string) => `/api/groups/${roomId}/records`;

/** The key each member's wrapped copy opens to (it must be the same one for all). */
function openAll(roomId: string, epoch: number, keys: { memberId: string; record: string }[]): Uint8Array {
  const opened = keys.map(({ memberId, record }) => {
    const bytes = fromBase64(record);
    expect(readRoomKeyContext(bytes)).toMatchObject({ roomId, epoch, memberId, wrapperId: alice.user.id });
    const me = byId.get(memberId)!.identity;
    const wrapper = { id: alice.user.id, ...alice.identity };
    return openRoomKey(bytes, { roomId, epoch, memberId }, me, wrapper);
  });
  expect(opened.every((o) => o.hybrid)).toBe(true);
  for (const o of opened) expect(o.roomKey).toEqual(opened[0]!.roomKey);
  return opened[0]!.roomKey;
}

const ids = (people: Person[]) => people.map((p) => p.user.id).sort();
const memberIds = (keys: { memberId: string }[] | undefined) => (keys ?? []).map((k) => k.memberId).sort();

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.fail('expected the change to be refused'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GroupChangeError);
  return (error as Error).message;
}

describe('creating a group', () => {
  it('posts record 0 by this account as admin, with the first key for exactly every member', async () => {
    const { changes, posts, keyring, chains } = setup();
    const room = await changes.create({ name: 'Hikers', members: [bob.user, carol.user] });
    const { record, keys } = lastPost(posts, '/api/groups');
    expect(record).toMatchObject({
      roomId: room.id,
      index: 0,
      previous: new Uint8Array(32),
      signerId: alice.user.id,
      epoch: 1,
      sentAt: 1_800_000_000_000,
      action: 'create',
    });
    expect(record.entries).toEqual([
      { userId: alice.user.id, role: 'admin', signPublicKey: alice.identity.signPublicKey },
      { userId: bob.user.id, role: 'member', signPublicKey: bob.identity.signPublicKey },
      { userId: carol.user.id, role: 'member', signPublicKey: carol.identity.signPublicKey },
    ]);
    expect(memberIds(keys)).toEqual(ids([alice, bob, carol]));
    const key = openAll(room.id, 1, keys!);
    expect(openGroupInfo(record.info, key)).toEqual({ name: 'Hikers' });
    expect(keyring.peek(room.id, 1)).toEqual(key);
    expect([...chains.stateOf(room.id)!.members.keys()]).toEqual([alice.user.id, bob.user.id, carol.user.id]);
  });

  it('refuses, posting nothing, someone who is not a contact, someone listed twice, too many, or a bad name', async () => {
    const { changes, posts } = setup();
    expect(await refusal(changes.create({ name: 'G', members: [erin.user] }))).toBe(
      'erin is not one of your contacts; only contacts can be added.',
    );
    expect(await refusal(changes.create({ name: 'G', members: [bob.user, bob.user] }))).toBe('bob is listed twice.');
    expect(await refusal(changes.create({ name: '', members: [bob.user] }))).toBe(
      'The name must be a string of 1 to 64 characters.',
    );
    const small = setup({ maxMembers: 2 });
    expect(await refusal(small.changes.create({ name: 'G', members: [bob.user, carol.user] }))).toBe(
      'A group can have at most 2 members.',
    );
    expect(posts('/api/groups')).toHaveLength(0);
    expect(small.posts('/api/groups')).toHaveLength(0);
  });

  it('draws a new id once when the server says the id is taken, then gives up', async () => {
    const once = setup();
    once.server.takenAnswers = 1;
    const room = await once.changes.create({ name: 'Hikers', members: [bob.user] });
    const [first, second] = once.posts('/api/groups').map((call) => {
      const body = call.body as { record: string };
      return decodeGroupRecord(fromBase64(body.record)).roomId;
    });
    expect(first).not.toBe(second);
    expect(room.id).toBe(second);
    expect(once.chains.stateOf(room.id)).not.toBeNull();

    const always = setup();
    always.server.takenAnswers = 2;
    await expect(always.changes.create({ name: 'Hikers', members: [bob.user] })).rejects.toMatchObject({
      code: 'room_taken',
    });
    expect(always.posts('/api/groups')).toHaveLength(2);
  });

  it('refuses a contact whose keys changed since they were pinned', async () => {
    const { changes, directory, posts } = setup();
    directory.learn(bob.user);
    const newBob = person('bob', bob.user.id);
    expect(await refusal(changes.create({ name: 'G', members: [newBob.user] }))).toMatch(
      /^bob's keys cannot be used now \(bob's safety number changed\)/,
    );
    expect(posts('/api/groups')).toHaveLength(0);
  });
});

describe('adding members', () => {
  it('posts the next record and a new key for exactly the members after it, the name re-sealed under it', async () => {
    const { changes, posts, roomId, server, keyring } = await aliceGroup();
    await changes.add(roomId, [dave.user]);
    const { record, keys } = lastPost(posts, recordsPath(roomId));
    expect(record).toMatchObject({
      index: 1,
      previous: groupRecordDigest(server.filed(roomId)[0]!.record),
      signerId: alice.user.id,
      epoch: 2,
      action: 'add',
      entries: [{ userId: dave.user.id, role: 'member', signPublicKey: dave.identity.signPublicKey }],
    });
    expect(memberIds(keys)).toEqual(ids([alice, bob, carol, dave]));
    const key = openAll(roomId, 2, keys!);
    expect(openGroupInfo(record.info, key)).toEqual({ name: 'Group' });
    expect(keyring.peek(roomId, 2)).toEqual(key);
  });

  it('refuses a member already in, a non-admin, and going over the limit', async () => {
    const { changes, roomId, posts } = await aliceGroup();
    expect(await refusal(changes.add(roomId, [bob.user]))).toBe('bob is already in the group.');
    expect(await refusal(changes.add(roomId, []))).toBe('Choose at least one person to add.');
    expect(await refusal(changes.add(roomId, [erin.user]))).toMatch(/erin is not one of your contacts/);

    const other = setup();
    const byBob = other.server.groupBy(bob, [alice, carol]);
    expect(await refusal(other.changes.add(byBob, [dave.user]))).toBe('Only an admin can add members to this group.');

    const small = setup({ maxMembers: 3 });
    const full = small.server.groupBy(alice, [bob, carol]);
    expect(await refusal(small.changes.add(full, [dave.user]))).toBe('A group can have at most 3 members.');
    expect(posts(recordsPath(roomId))).toHaveLength(0);
    expect(other.posts(recordsPath(byBob))).toHaveLength(0);
  });

  it('never wraps to a member whose presented signing key is not the chain’s', async () => {
    const { changes, roomId, server, posts } = await aliceGroup();
    // The server swaps Carol's keys for new ones under her id (first sight for Alice's pins).
    const fakeCarol = person('carol', carol.user.id);
    server.group(roomId).members = [alice.user, bob.user, fakeCarol.user];
    expect(await refusal(changes.add(roomId, [dave.user]))).toBe(
      "carol's keys do not match the group's, so no key is sent to them. Nothing was changed.",
    );
    expect(posts(recordsPath(roomId))).toHaveLength(0);
  });

  it('on chain_changed, reads the records again and makes the change once more on top of them', async () => {
    const { changes, roomId, server, posts, chains } = await aliceGroup();
    server.fileBy(roomId, alice, 'role', [changing(carol, 'admin')]);
    await chains.sync(roomId);
    server.racers.push(() => server.fileBy(roomId, carol, 'role', [changing(bob, 'admin')]));
    await changes.add(roomId, [dave.user]);
    const [first, second] = posts(recordsPath(roomId)).map(
      (call) => decodeGroupRecord(fromBase64((call.body as { record: string }).record)).index,
    );
    expect([first, second]).toEqual([2, 3]);
    expect(chains.stateOf(roomId)!.index).toBe(3);
    expect(chains.stateOf(roomId)!.members.has(dave.user.id)).toBe(true);
  });

  it('tries only once more', async () => {
    const { changes, roomId, server, chains } = await aliceGroup();
    server.fileBy(roomId, alice, 'role', [changing(carol, 'admin')]);
    await chains.sync(roomId);
    server.racers.push(
      () => server.fileBy(roomId, carol, 'role', [changing(bob, 'admin')]),
      () => server.fileBy(roomId, carol, 'role', [changing(bob, 'member')]),
    );
    await expect(changes.add(roomId, [dave.user])).rejects.toMatchObject({ status: 409, code: 'chain_changed' });
  });
});

describe('removing members', () => {
  it('posts a remove with a new key for those who stay, none for the removed', async () => {
    const { changes, posts, roomId, keyring } = await aliceGroup([bob, carol, dave]);
    await changes.remove(roomId, [carol.user.id]);
    const { record, keys } = lastPost(posts, recordsPath(roomId));
    expect(record).toMatchObject({ index: 1, epoch: 2, action: 'remove' });
    expect(record.entries).toEqual([{ userId: carol.user.id, role: 'none', signPublicKey: new Uint8Array(32) }]);
    expect(memberIds(keys)).toEqual(ids([alice, bob, dave]));
    const key = openAll(roomId, 2, keys!);
    expect(openGroupInfo(record.info, key)).toEqual({ name: 'Group' });
    expect(keyring.peek(roomId, 2)).toEqual(key);
  });

  it('refuses removing oneself, someone not in the group, and a non-admin’s removal', async () => {
    const { changes, roomId, posts } = await aliceGroup();
    expect(await refusal(changes.remove(roomId, [alice.user.id]))).toBe(
      'You cannot remove yourself; leave the group instead.',
    );
    expect(await refusal(changes.remove(roomId, [dave.user.id]))).toBe(`${dave.user.id} is not in the group.`);
    expect(await refusal(changes.remove(roomId, []))).toBe('Choose at least one member to remove.');
    const other = setup();
    const byBob = other.server.groupBy(bob, [alice, carol]);
    expect(await refusal(other.changes.remove(byBob, [carol.user.id]))).toBe(
      'Only an admin can remove members from this group.',
    );
    expect(posts(recordsPath(roomId))).toHaveLength(0);
  });
});

describe('leaving', () => {
  it('posts a leave that starts an epoch and carries no key (the leaver must not know it)', async () => {
    const { server, changes, chains, posts } = setup();
    const roomId = server.groupBy(bob, [alice, carol]);
    await changes.leave(roomId);
    const { record, keys } = lastPost(posts, recordsPath(roomId));
    expect(record).toMatchObject({ index: 1, epoch: 2, action: 'leave', entries: [], info: new Uint8Array(0) });
    expect(keys).toBeUndefined();
    expect(server.keysOf(roomId, 2)).toHaveLength(0);
    expect(chains.sendBlock(roomId, alice.user.id)).toBe('You are no longer a member of this group.');
  });

  it('refuses to leave members without an admin, but lets the last member go', async () => {
    const { changes, roomId, posts } = await aliceGroup();
    expect(await refusal(changes.leave(roomId))).toBe(
      'You are the group’s only admin: make someone else an admin before you leave.',
    );
    expect(posts(recordsPath(roomId))).toHaveLength(0);
    const alone = await aliceGroup([]);
    await alone.changes.leave(alone.roomId);
    expect(alone.chains.stateOf(alone.roomId)!.members.size).toBe(0);
  });
});

describe('roles and the name', () => {
  it('posts a role change in the same epoch, with no key', async () => {
    const { changes, posts, roomId } = await aliceGroup();
    await changes.setRole(roomId, bob.user.id, 'admin');
    const { record, keys } = lastPost(posts, recordsPath(roomId));
    expect(record).toMatchObject({ index: 1, epoch: 1, action: 'role', info: new Uint8Array(0) });
    expect(record.entries).toEqual([{ userId: bob.user.id, role: 'admin', signPublicKey: new Uint8Array(32) }]);
    expect(keys).toBeUndefined();
  });

  it('refuses the role held, the last admin stepping down, and a non-admin', async () => {
    const { changes, roomId, server } = await aliceGroup();
    expect(await refusal(changes.setRole(roomId, bob.user.id, 'member'))).toBe('bob is already a member.');
    expect(await refusal(changes.setRole(roomId, alice.user.id, 'member'))).toBe(
      'You are the group’s only admin: make someone else an admin first.',
    );
    expect(await refusal(changes.setRole(roomId, dave.user.id, 'admin'))).toBe(`${dave.user.id} is not in the group.`);
    const byBob = server.groupBy(bob, [alice]);
    expect(await refusal(changes.setRole(byBob, alice.user.id, 'admin'))).toBe(
      'Only an admin can change who is an admin.',
    );
  });

  it('renames under the current epoch’s key, with no key posted', async () => {
    const { changes, posts, roomId, key } = await aliceGroup();
    await changes.rename(roomId, { name: 'Climbers' });
    const { record, keys } = lastPost(posts, recordsPath(roomId));
    expect(record).toMatchObject({ index: 1, epoch: 1, action: 'rename' });
    expect(openGroupInfo(record.info, key)).toEqual({ name: 'Climbers' });
    expect(keys).toBeUndefined();
    expect(await refusal(changes.rename(roomId, { name: 'a\u0007b' }))).toBe('The name contains a control character.');
  });
});

describe('finishing an epoch after a leave', () => {
  async function afterBobLeft() {
    const parts = setup();
    const roomId = parts.server.groupBy(carol, [alice, bob], newRoomKey());
    parts.server.fileBy(roomId, bob, 'leave');
    await parts.chains.sync(roomId);
    return { ...parts, roomId };
  }

  it('posts a fresh key for exactly the members who started the epoch', async () => {
    const { changes, roomId, posts, keyring, server } = await afterBobLeft();
    expect(await changes.finishEpoch(roomId)).toEqual({ kind: 'posted' });
    const body = posts(`/api/rooms/${roomId}/keys`)[0]!.body as {
      epoch: number;
      keys: { memberId: string; record: string }[];
    };
    expect(body.epoch).toBe(2);
    expect(memberIds(body.keys)).toEqual(ids([alice, carol]));
    const key = openAll(roomId, 2, body.keys);
    expect(keyring.peek(roomId, 2)).toEqual(key);
    expect(server.keysOf(roomId, 2)).toHaveLength(2);
  });

  it('reads the key another member posted first (409)', async () => {
    const { changes, roomId, server, keyring } = await afterBobLeft();
    const carols = newRoomKey();
    server.racers.push(() => server.storeKeys(roomId, carol, carols));
    expect(await changes.finishEpoch(roomId)).toEqual({ kind: 'taken' });
    expect(keyring.peek(roomId, 2)).toEqual(carols);
  });

  it('does nothing while the key is there, or for someone no longer a member', async () => {
    const { changes, roomId, posts } = await aliceGroup();
    expect(await changes.finishEpoch(roomId)).toEqual({ kind: 'not-needed' });
    const left = setup();
    const gone = left.server.groupBy(bob, [alice, carol]);
    left.server.fileBy(gone, alice, 'leave');
    await left.chains.sync(gone);
    expect(await left.changes.finishEpoch(gone)).toEqual({ kind: 'not-needed' });
    expect(posts(`/api/rooms/${roomId}/keys`)).toHaveLength(0);
    expect(left.posts(`/api/rooms/${gone}/keys`)).toHaveLength(0);
  });
});
