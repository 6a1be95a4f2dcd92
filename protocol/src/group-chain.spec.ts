import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { changing, joining, person, recordAfter, type Person } from '../test-support/group-records.js';
import { ProtocolError } from './errors.js';
import {
  applyGroupRecord,
  applyGroupRecordAsync,
  verifyGroupChain,
  verifyGroupChainAsync,
  type GroupState,
} from './group-chain.js';
import { GROUP_MAX_MEMBERS } from './group-change.js';
import { decodeGroupRecord, groupRecordDigest, type GroupAction, type GroupEntry } from './group-record.js';
import { newUuid } from './uuid.js';

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const mallory = person('mallory');
const room = newUuid();
const expected = { roomId: room };

const c0 = recordAfter(null, room, alice, 'create', 1, [joining(alice, 'admin'), joining(bob)]);
const c1 = recordAfter(c0, room, alice, 'add', 2, [joining(carol)]);
const c2 = recordAfter(c1, room, alice, 'role', 2, [changing(bob, 'admin')]);
const c3 = recordAfter(c2, room, bob, 'rename', 2);
const c4 = recordAfter(c3, room, bob, 'remove', 3, [changing(carol)]);
const c5 = recordAfter(c4, room, alice, 'leave', 4);
const chain = [c0, c1, c2, c3, c4, c5];

function stateOf(records: Uint8Array[], maxMembers?: number): GroupState {
  let state: GroupState | null = null;
  for (const record of records) state = applyGroupRecord(state, record, { roomId: room, maxMembers });
  return state!;
}
const after0 = stateOf([c0]);
const after1 = stateOf([c0, c1]);

/** The code applying `record` to `state` throws. */
const failing = (state: GroupState | null, record: Uint8Array, limit?: number) =>
  code(() => applyGroupRecord(state, record, { roomId: room, maxMembers: limit }));
const next = (
  after: Uint8Array,
  signer: Person,
  action: GroupAction,
  epoch: number,
  entries: GroupEntry[] = [],
  overrides = {},
) => recordAfter(after, room, signer, action, epoch, entries, overrides);

describe('applying group records', () => {
  it('follows a chain through every action', () => {
    const state = stateOf(chain);
    expect(state.index).toBe(5);
    expect(state.epoch).toBe(4);
    expect(state.head).toEqual(groupRecordDigest(c5));
    expect([...state.members.keys()]).toEqual([bob.id]);
    expect(state.members.get(bob.id)).toEqual({
      userId: bob.id,
      role: 'admin',
      signPublicKey: bob.identity.signPublicKey,
      addedBy: alice.id,
      addedAt: 0,
    });
    expect([...state.epochMembers.keys()]).toEqual([1, 2, 3, 4]);
    expect(state.epochMembers.get(2)).toEqual(new Set([alice.id, bob.id, carol.id]));
    expect(state.epochMembers.get(4)).toEqual(new Set([bob.id]));
    expect(state.info).toEqual({ index: 4, epoch: 3, sealed: decodeGroupRecord(c4).info });
    expect(state.last).toEqual(decodeGroupRecord(c5));
  });

  it('records who added whom, and when', () => {
    expect(after1.members.get(carol.id)).toMatchObject({ addedBy: alice.id, addedAt: 1, role: 'member' });
    expect(after0.members.get(alice.id)).toMatchObject({ addedBy: alice.id, addedAt: 0, role: 'admin' });
  });

  it('never changes the state it is given', () => {
    const before = stateOf([c0, c1]);
    const snapshot = {
      members: new Map(before.members),
      epochMembers: new Map(before.epochMembers),
      index: before.index,
    };
    const later = applyGroupRecord(before, c2, expected);
    expect(later).not.toBe(before);
    expect(before.members).toEqual(snapshot.members);
    expect(before.epochMembers).toEqual(snapshot.epochMembers);
    expect(before.index).toBe(snapshot.index);
    expect(before.members.get(bob.id)?.role).toBe('member');
    expect(later.members.get(bob.id)?.role).toBe('admin');
    // A branch from the same state does not see the other branch.
    const other = applyGroupRecord(before, next(c1, alice, 'remove', 3, [changing(carol)]), expected);
    expect(other.members.has(carol.id)).toBe(false);
    expect(later.members.has(carol.id)).toBe(true);
  });

  it('agrees with the native path', async () => {
    let sync: GroupState | null = null;
    let native: GroupState | null = null;
    for (const record of chain) {
      sync = applyGroupRecord(sync, record, expected);
      native = await applyGroupRecordAsync(native, record, expected);
      expect(native).toEqual(sync);
    }
    const forged = next(c0, alice, 'add', 2, [joining(mallory)], { key: mallory.identity });
    await expect(applyGroupRecordAsync(after0, forged, expected)).rejects.toMatchObject({ code: 'bad-signature' });
  });
});

describe('each record must, in this order', () => {
  it('decode', () => {
    const broken = c1.slice();
    broken[0] = 2;
    expect(failing(after0, broken)).toBe('bad-version');
    expect(failing(after0, c1.subarray(0, 149))).toBe('bad-length');
  });

  it('name the room asked for, before the chain', () => {
    const elsewhere = newUuid();
    const other = recordAfter(c0, elsewhere, alice, 'rename', 1, [], { index: 9 });
    expect(failing(after0, other)).toBe('context-mismatch');
    const otherCreate = recordAfter(null, elsewhere, alice, 'create', 1, [joining(alice, 'admin')]);
    expect(failing(null, otherCreate)).toBe('context-mismatch');
    // A state of another room.
    expect(code(() => applyGroupRecord(after0, c1, { roomId: elsewhere }))).toBe('context-mismatch');
  });

  it('continue the chain: a create with zeros at index 0, then the next index and the head', () => {
    expect(failing(null, c1)).toBe('bad-chain');
    expect(failing(null, next(c0, alice, 'create', 1, [joining(alice, 'admin')], { index: 0 }))).toBe('bad-chain');
    expect(failing(after0, c2)).toBe('bad-chain');
    expect(failing(after0, c0)).toBe('bad-chain');
    expect(failing(after1, c1)).toBe('bad-chain');
    expect(failing(after0, next(c0, alice, 'create', 2, [joining(carol, 'admin')]))).toBe('bad-chain');
    expect(failing(after0, next(c0, alice, 'rename', 1, [], { previous: groupRecordDigest(c1) }))).toBe('bad-chain');
    expect(failing(after0, next(c0, alice, 'rename', 1, [], { index: 2 }))).toBe('bad-chain');
  });

  it('carry the epoch the action gives, before its signer is judged', () => {
    expect(failing(null, recordAfter(null, room, alice, 'create', 2, [joining(alice, 'admin')]))).toBe('bad-chain');
    expect(failing(after0, next(c0, alice, 'add', 1, [joining(carol)]))).toBe('bad-chain');
    expect(failing(after0, next(c0, alice, 'add', 3, [joining(carol)]))).toBe('bad-chain');
    expect(failing(after0, next(c0, alice, 'remove', 1, [changing(bob)]))).toBe('bad-chain');
    expect(failing(after0, next(c0, bob, 'leave', 1))).toBe('bad-chain');
    expect(failing(after0, next(c0, alice, 'role', 2, [changing(bob, 'admin')]))).toBe('bad-chain');
    expect(failing(after0, next(c0, alice, 'rename', 2))).toBe('bad-chain');
    expect(failing(after0, next(c0, mallory, 'add', 1, [joining(mallory)]))).toBe('bad-chain');
  });

  it('have a signer who is a member (for a create: an admin entry of its own), before the signature', () => {
    expect(failing(after0, next(c0, mallory, 'add', 2, [joining(mallory)]))).toBe('not-entitled');
    expect(failing(after0, next(c0, mallory, 'add', 2, [joining(mallory)], { key: alice.identity }))).toBe(
      'not-entitled',
    );
    const byMember = recordAfter(null, room, bob, 'create', 1, [joining(alice, 'admin'), joining(bob)]);
    expect(failing(null, byMember)).toBe('not-entitled');
    const byOutsider = recordAfter(null, room, mallory, 'create', 1, [joining(alice, 'admin')]);
    expect(failing(null, byOutsider)).toBe('not-entitled');
    // carol was removed (c4): she is no longer a member.
    const afterRemove = stateOf([c0, c1, c2, c3, c4]);
    expect(failing(afterRemove, next(c4, carol, 'leave', 4))).toBe('not-entitled');
  });

  it('verify under the key the state holds (for a create: its own entry), before the right', () => {
    expect(failing(after0, next(c0, alice, 'add', 2, [joining(mallory)], { key: mallory.identity }))).toBe(
      'bad-signature',
    );
    expect(failing(after0, next(c0, bob, 'add', 2, [joining(mallory)], { key: mallory.identity }))).toBe(
      'bad-signature',
    );
    const selfVouched = recordAfter(null, room, alice, 'create', 1, [
      { ...joining(alice, 'admin'), signPublicKey: mallory.identity.signPublicKey },
    ]);
    expect(failing(null, selfVouched)).toBe('bad-signature');
    const flipped = c1.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    expect(failing(after0, flipped)).toBe('bad-signature');
    // A member re-added with a new key signs with that key, not the old one.
    const bobAgain = person('bob');
    const s1 = next(c0, alice, 'remove', 2, [changing(bob)]);
    const s2 = next(s1, alice, 'add', 3, [{ ...joining(bobAgain), userId: bob.id }]);
    const s3 = next(s2, bob, 'leave', 4, [], { key: bobAgain.identity });
    expect(stateOf([c0, s1, s2, s3]).members.has(bob.id)).toBe(false);
    expect(failing(stateOf([c0, s1, s2]), next(s2, bob, 'leave', 4))).toBe('bad-signature');
  });

  it('have a signer with the right to make it, before it is judged to make sense', () => {
    expect(failing(after0, next(c0, bob, 'add', 2, [joining(mallory)]))).toBe('not-entitled');
    expect(failing(after0, next(c0, bob, 'add', 2, [joining(alice)]))).toBe('not-entitled');
    expect(failing(after0, next(c0, bob, 'remove', 2, [changing(alice)]))).toBe('not-entitled');
    expect(failing(after0, next(c0, bob, 'role', 1, [changing(bob, 'admin')]))).toBe('not-entitled');
    expect(failing(after0, next(c0, bob, 'role', 1, [changing(alice, 'member')]))).toBe('not-entitled');
    expect(failing(after0, next(c0, bob, 'rename', 1))).toBe('not-entitled');
    expect(failing(after0, next(c0, alice, 'remove', 2, [changing(alice)]))).toBe('not-entitled');
    expect(failing(after1, next(c1, alice, 'remove', 3, [changing(carol), changing(alice)]))).toBe('not-entitled');
    // Any member may leave.
    expect(failing(after1, next(c1, carol, 'leave', 3))).toBeUndefined();
  });

  it('make sense', () => {
    expect(failing(after0, next(c0, alice, 'add', 2, [joining(bob, 'admin')]))).toBe('bad-room');
    expect(failing(after0, next(c0, alice, 'add', 2, [joining(carol), joining(bob)]))).toBe('bad-room');
    expect(failing(after0, next(c0, alice, 'remove', 2, [changing(carol)]))).toBe('bad-room');
    expect(failing(after0, next(c0, alice, 'role', 1, [changing(carol, 'admin')]))).toBe('bad-room');
    expect(failing(after0, next(c0, alice, 'role', 1, [changing(bob, 'member')]))).toBe('bad-room');
    expect(failing(after0, next(c0, alice, 'role', 1, [changing(alice, 'member')]))).toBe('bad-room');
    expect(failing(after0, next(c0, alice, 'leave', 2))).toBe('bad-room');
  });

  it('stay within the member limit', () => {
    expect(failing(null, c0, 1)).toBe('bad-room');
    expect(failing(null, c0, 2)).toBeUndefined();
    expect(failing(stateOf([c0], 2), c1, 2)).toBe('bad-room');
    expect(failing(stateOf([c0], 3), c1, 3)).toBeUndefined();
    expect(GROUP_MAX_MEMBERS).toBe(100);
    const crowd = Array.from({ length: 99 }, () => ({ ...joining(bob), userId: newUuid() }));
    const full = recordAfter(null, room, alice, 'create', 1, [joining(alice, 'admin'), ...crowd]);
    expect(failing(null, full)).toBeUndefined();
    expect(failing(stateOf([full]), next(full, alice, 'add', 2, [joining(carol)]))).toBe('bad-room');
    expect(failing(stateOf([full], 101), next(full, alice, 'add', 2, [joining(carol)]), 101)).toBeUndefined();
  });

  it('refuses a member limit outside 1 to 1,000 and a room id that is not canonical', () => {
    expect(failing(null, c0, 0)).toBe('bad-encoding');
    expect(failing(null, c0, 1001)).toBe('bad-encoding');
    expect(failing(null, c0, 2.5)).toBe('bad-encoding');
    expect(code(() => applyGroupRecord(null, c0, { roomId: room.toUpperCase() }))).toBe('bad-encoding');
  });

  it('lets the last member leave an empty group that nobody can change again', () => {
    const solo = recordAfter(null, room, alice, 'create', 1, [joining(alice, 'admin')]);
    const gone = next(solo, alice, 'leave', 2);
    const state = stateOf([solo, gone]);
    expect(state.members.size).toBe(0);
    expect(state.epochMembers.get(2)).toEqual(new Set());
    expect(failing(state, next(gone, alice, 'add', 3, [joining(bob)]))).toBe('not-entitled');
  });
});

describe('verifying a chain', () => {
  it('returns the state after the whole chain', () => {
    const { state, failure } = verifyGroupChain(chain, expected);
    expect(failure).toBeNull();
    expect(state).toEqual(stateOf(chain));
    expect(verifyGroupChain([], expected)).toEqual({ state: null, failure: null });
  });

  it('stops at the first record that fails, keeping the last good state', () => {
    const { state, failure } = verifyGroupChain([c0, c1, c2, c3, c5], expected);
    expect(state).toEqual(stateOf([c0, c1, c2, c3]));
    expect(failure).toMatchObject({ index: 4, signerId: alice.id });
    expect(failure?.error).toBeInstanceOf(ProtocolError);
    expect(failure?.error.code).toBe('bad-chain');
  });

  it('names no signer for a record that does not decode', () => {
    const { state, failure } = verifyGroupChain([c0, new Uint8Array(3)], expected);
    expect(state).toEqual(after0);
    expect(failure).toMatchObject({ index: 1, signerId: null });
    expect(failure?.error.code).toBe('bad-version');
  });

  it('continues from a verified state, so a listing that forks from it fails', () => {
    const from = stateOf([c0, c1, c2]);
    expect(verifyGroupChain([c3, c4, c5], expected, from).state).toEqual(stateOf(chain));
    const forked = recordAfter(c2, room, alice, 'rename', 2, [], { previous: groupRecordDigest(c1) });
    const result = verifyGroupChain([forked], expected, from);
    expect(result.state).toBe(from);
    expect(result.failure).toMatchObject({ index: 3, signerId: alice.id });
    expect(result.failure?.error.code).toBe('bad-chain');
  });

  it('agrees with the native path', async () => {
    for (const records of [chain, [c0, c1, c3], [c0, c1, next(c1, mallory, 'add', 3, [joining(mallory)])]]) {
      const sync = verifyGroupChain(records, expected);
      const native = await verifyGroupChainAsync(records, expected);
      expect(native.state).toEqual(sync.state);
      expect(native.failure?.error.code).toBe(sync.failure?.error.code);
      expect(native.failure?.index).toBe(sync.failure?.index);
    }
  });

  it('reports a value that is not bytes as a record that does not decode', () => {
    expect(verifyGroupChain([c0, 'x' as unknown as Uint8Array], expected).failure?.error.code).toBe('bad-length');
  });
});
