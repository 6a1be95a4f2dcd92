// Held messages wait for a contact's key to be trusted: only those whose key is
// trusted now are released, in sequence order, and each only once.

import type { PublicUser, ServerMessage } from '@onionchat/contract';
import { createIdentity, encodePublicKeys, newUuid, toBase64 } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { HeldMessages } from './held.js';
import { KeyDirectory } from './key-directory.js';
import { ContactPins } from './pins.js';
import { UntrustedKeyError } from './verify-error.js';

function message(roomId: string, seq: number, senderId: string): ServerMessage {
  return {
    id: newUuid(),
    roomId,
    seq,
    senderId,
    epoch: 1,
    envelope: 'AAAA',
    createdAt: '2025-01-01T00:00:00Z',
    disappearsAt: null,
    erasedAt: null,
  };
}

function person(username: string, id = newUuid()): PublicUser {
  return { id, username, publicKeys: toBase64(encodePublicKeys(createIdentity(username), id)) };
}

describe('HeldMessages', () => {
  it('releases a room’s messages only for users trusted now, in seq order', () => {
    const held = new HeldMessages();
    const room = newUuid();
    held.hold(message(room, 7, 'bob'), 'bob');
    held.hold(message(room, 3, 'bob'), 'bob');
    held.hold(message(room, 5, 'carol'), 'carol');
    held.hold(message(newUuid(), 1, 'bob'), 'bob');

    expect(held.due(room, () => false)).toEqual([]);
    expect(held.due(room, (id) => id === 'bob').map((m) => m.seq)).toEqual([3, 7]);
    expect(held.due(room, () => true).map((m) => m.seq)).toEqual([3, 5, 7]);
    expect(held.due(newUuid(), () => true)).toEqual([]);
  });

  it('releases a message once, and forgets rooms', () => {
    const held = new HeldMessages();
    const room = newUuid();
    const other = newUuid();
    held.hold(message(room, 1, 'bob'), 'bob');
    held.hold(message(room, 2, 'bob'), 'bob');
    held.hold(message(other, 1, 'bob'), 'bob');

    held.release(room, 1);
    expect(held.due(room, () => true).map((m) => m.seq)).toEqual([2]);
    held.release(room, 2);
    held.release(room, 2);
    expect(held.due(room, () => true)).toEqual([]);

    held.forgetRoom(other);
    expect(held.due(other, () => true)).toEqual([]);
    held.hold(message(room, 9, 'bob'), 'bob');
    held.clear();
    expect(held.due(room, () => true)).toEqual([]);
  });

  it('keeps a message exactly as delivered; a redelivery of a seq replaces it', () => {
    const held = new HeldMessages();
    const room = newUuid();
    const first = message(room, 4, 'bob');
    const again = { ...message(room, 4, 'bob'), envelope: 'BBBB' };
    held.hold(first, 'bob');
    expect(held.due(room, () => true)).toEqual([first]);
    held.hold(again, 'bob');
    expect(held.due(room, () => true)).toEqual([again]);
  });

  it('waits for the person to accept a changed key in the key directory', () => {
    const me = createIdentity('alice');
    const directory = new KeyDirectory(newUuid(), me, new ContactPins(null));
    const bob = person('bob');
    directory.learn(bob);
    const changed = person('bob', bob.id);
    expect(() => directory.learn(changed)).toThrow(UntrustedKeyError);

    const held = new HeldMessages();
    const room = newUuid();
    held.hold(message(room, 1, bob.id), bob.id);
    const trusted = (userId: string) => directory.trusts(userId);
    expect(held.due(room, trusted)).toEqual([]);

    directory.accept(bob.id, false);
    expect(held.due(room, trusted).map((m) => m.seq)).toEqual([1]);
  });
});
