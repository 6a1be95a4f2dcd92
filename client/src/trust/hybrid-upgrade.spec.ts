// Moving a direct room to a hybrid epoch: only when both members have ML-KEM keys and
// the current epoch is classical; the second member to try gets 409 and reads again.

import type { PublicUser, Room } from '@onionchat/contract';
import {
  createIdentity,
  encodePublicKeys,
  encodePublicKeysV1,
  fromBase64,
  newRoomKey,
  newUuid,
  openRoomKey,
  readRoomKeyContext,
  toBase64,
  wrapRoomKey,
  wrapRoomKeyHybrid,
  type Identity,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeHttp, type FakeCall } from '../test-support/fake-http.js';
import { ApiError } from '../transport/api-error.js';
import { Api } from '../transport/api.js';
import { HybridUpgrade, UPGRADE_RETRY_MS, wantsHybridEpoch } from './hybrid-upgrade.js';
import { KeyDirectory } from './key-directory.js';
import { ContactPins } from './pins.js';
import { RoomKeyring } from './room-keyring.js';

interface Person {
  user: PublicUser;
  identity: Identity;
}

/** An account with ML-KEM keys (v2 record), or an old one without (v1 record). */
function person(username: string, upgraded = true): Person {
  const id = newUuid();
  const fresh = createIdentity(username);
  const identity = upgraded ? fresh : { ...fresh, kem: null };
  const record = upgraded ? encodePublicKeys(identity, id) : encodePublicKeysV1(identity);
  return { user: { id, username, publicKeys: toBase64(record) }, identity };
}

function room(members: PublicUser[], epoch = 1, kind = 'direct'): Room {
  return { id: newUuid(), kind, epoch, lastSeq: 0, lastReadSeq: 0, unread: 0, members };
}

/** The current epoch's key for `me`, wrapped by `me` in version 1 (classical) or 2. */
function ownKey(r: Room, me: Person, hybrid: boolean) {
  const ctx = { roomId: r.id, epoch: r.epoch, memberId: me.user.id, wrapperId: me.user.id };
  const record = hybrid
    ? wrapRoomKeyHybrid(newRoomKey(), ctx, me.identity, {
        boxPublicKey: me.identity.boxPublicKey,
        kemPublicKey: me.identity.kem!.publicKey,
      })
    : wrapRoomKey(newRoomKey(), ctx, me.identity, me.identity.boxPublicKey);
  return { epoch: r.epoch, wrapperId: me.user.id, record: toBase64(record) };
}

function setup(me: Person, r: Room, currentHybrid = false) {
  const http = new FakeHttp();
  const pins = new ContactPins(null);
  const directory = new KeyDirectory(me.user.id, me.identity, pins);
  const keyring = new RoomKeyring(new Api(http), me.user.id, me.identity, directory);
  http.on('GET', `/api/rooms/${r.id}/keys`, { body: { keys: [ownKey(r, me, currentHybrid)] } });
  http.on('POST', `/api/rooms/${r.id}/keys`, (call) => ({
    status: 201,
    body: { epoch: (call.body as { epoch: number }).epoch },
  }));
  const changed: string[] = [];
  const upgrade = new HybridUpgrade({
    api: new Api(http),
    meId: me.user.id,
    identity: me.identity,
    directory,
    keyring,
    onEpochChanged: (roomId) => changed.push(roomId),
  });
  const posts = () => http.callsTo('POST', `/api/rooms/${r.id}/keys`);
  return { http, pins, keyring, upgrade, changed, posts };
}

type PostedKeys = { epoch: number; keys: { memberId: string; record: string }[] };
const posted = (call: FakeCall) => call.body as PostedKeys;

afterEach(() => {
  vi.useRealTimers();
});

describe('wantsHybridEpoch', () => {
  const kem = new Uint8Array(1184);
  const box = new Uint8Array(32);
  const both = [
    { boxPublicKey: box, kemPublicKey: kem },
    { boxPublicKey: box, kemPublicKey: kem },
  ];
  it('is true only for a classical direct room whose members all have ML-KEM keys', () => {
    const r = room([]);
    expect(wantsHybridEpoch(r, false, both)).toBe(true);
    expect(wantsHybridEpoch(r, true, both)).toBe(false);
    expect(wantsHybridEpoch(r, false, [both[0]!, { boxPublicKey: box, kemPublicKey: null }])).toBe(false);
    expect(wantsHybridEpoch({ ...r, kind: 'group' }, false, both)).toBe(false);
  });
});

describe('HybridUpgrade', () => {
  it('moves a classical direct room to epoch + 1, wrapped in version 2 for both members', async () => {
    const [alice, bob] = [person('alice'), person('bob')];
    const r = room([alice.user, bob.user], 3);
    const { upgrade, keyring, changed, posts } = setup(alice, r);

    expect(await upgrade.upgrade(r)).toEqual({ kind: 'started', epoch: 4 });
    expect(posts()).toHaveLength(1);
    const body = posted(posts()[0]!);
    expect(body.epoch).toBe(4);
    expect(body.keys.map((k) => k.memberId)).toEqual([alice.user.id, bob.user.id]);
    for (const k of body.keys) {
      const record = fromBase64(k.record);
      expect(record).toHaveLength(1341);
      expect(readRoomKeyContext(record)).toEqual({
        roomId: r.id,
        epoch: 4,
        memberId: k.memberId,
        wrapperId: alice.user.id,
      });
    }
    // Bob opens his copy with his own keys; it is the key Alice now sends with.
    const bobs = openRoomKey(
      fromBase64(body.keys[1]!.record),
      { roomId: r.id, epoch: 4, memberId: bob.user.id },
      bob.identity,
      {
        id: alice.user.id,
        ...alice.identity,
      },
    );
    expect(bobs.hybrid).toBe(true);
    expect(keyring.peek(r.id, 4)).toEqual(bobs.roomKey);
    expect(await keyring.currentIsHybrid({ ...r, epoch: 4 })).toBe(true);
    expect(changed).toEqual([r.id]);
  });

  it('leaves a room alone that is hybrid already, or whose other member has no ML-KEM key', async () => {
    const [alice, bob, old] = [person('alice'), person('bob'), person('old', false)];
    const hybridRoom = room([alice.user, bob.user]);
    const first = setup(alice, hybridRoom, true);
    expect(await first.upgrade.upgrade(hybridRoom)).toEqual({ kind: 'not-needed' });
    expect(first.posts()).toHaveLength(0);

    const withOld = room([alice.user, old.user]);
    const second = setup(alice, withOld);
    expect(await second.upgrade.upgrade(withOld)).toEqual({ kind: 'not-needed' });
    expect(second.posts()).toHaveLength(0);
  });

  it('does not upgrade from an account that has no ML-KEM key itself', async () => {
    const [old, bob] = [person('old', false), person('bob')];
    const r = room([old.user, bob.user]);
    const { upgrade, posts } = setup(old, r);
    expect(await upgrade.upgrade(r)).toEqual({ kind: 'not-needed' });
    expect(posts()).toHaveLength(0);
  });

  it('never wraps a new key to keys that differ from the pin', async () => {
    const [alice, bob] = [person('alice'), person('bob')];
    const r = room([alice.user, bob.user]);
    const { upgrade, pins, posts } = setup(alice, r);
    pins.trust(bob.user.id, bob.user.username, createIdentity('bob').signPublicKey, true);
    expect(await upgrade.upgrade(r)).toEqual({ kind: 'not-needed' });
    expect(posts()).toHaveLength(0);
  });

  it('leaves rooms of another kind, and direct rooms whose member list does not add up, alone', async () => {
    const [alice, bob, carol] = [person('alice'), person('bob'), person('carol')];
    const group = room([alice.user, bob.user], 1, 'group');
    expect(await setup(alice, group).upgrade.upgrade(group)).toEqual({ kind: 'not-needed' });
    const three = room([alice.user, bob.user, carol.user]);
    expect(await setup(alice, three).upgrade.upgrade(three)).toEqual({ kind: 'not-needed' });
  });

  it('reads the room again when the other member started the epoch first (409)', async () => {
    const [alice, bob] = [person('alice'), person('bob')];
    const r = room([alice.user, bob.user]);
    const { http, upgrade, keyring, changed } = setup(alice, r);
    http.on('POST', `/api/rooms/${r.id}/keys`, { status: 409, body: { code: 'epoch_taken', message: 'Taken.' } });
    expect(await upgrade.upgrade(r)).toEqual({ kind: 'taken' });
    expect(keyring.peek(r.id, 2)).toBeNull();
    expect(changed).toEqual([r.id]);
  });

  it('starts one upgrade for concurrent requests of a room', async () => {
    const [alice, bob] = [person('alice'), person('bob')];
    const r = room([alice.user, bob.user]);
    const { upgrade, posts } = setup(alice, r);
    const [a, b] = await Promise.all([upgrade.upgrade(r), upgrade.upgrade(r)]);
    expect(a).toEqual(b);
    expect(posts()).toHaveLength(1);
  });

  it('passes other failures on; in the background it tries again only after UPGRADE_RETRY_MS', async () => {
    const [alice, bob] = [person('alice'), person('bob')];
    const r = room([alice.user, bob.user]);
    const { http, upgrade, posts, changed } = setup(alice, r);
    http.on('POST', `/api/rooms/${r.id}/keys`, 'drop');
    await expect(upgrade.upgrade(r)).rejects.toBeInstanceOf(ApiError);
    expect(changed).toEqual([]);

    vi.useFakeTimers({ toFake: ['Date'] });
    await upgrade.consider(r);
    expect(posts()).toHaveLength(2);
    await upgrade.consider(r);
    vi.setSystemTime(Date.now() + UPGRADE_RETRY_MS - 1);
    await upgrade.consider(r);
    expect(posts()).toHaveLength(2);
    vi.setSystemTime(Date.now() + 2);
    http.on('POST', `/api/rooms/${r.id}/keys`, { status: 201, body: { epoch: 2 } });
    await upgrade.consider(r);
    expect(posts()).toHaveLength(3);
    expect(changed).toEqual([r.id]);
  });
});
