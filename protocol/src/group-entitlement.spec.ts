import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { changing, joining, person, recordAfter } from '../test-support/group-records.js';
import { verifyGroupChain, type GroupState } from './group-chain.js';
import {
  entitledGroupSender,
  entitledGroupWrapper,
  groupMembersAtEpoch,
  requireGroupMemberKey,
} from './group-entitlement.js';
import { newUuid } from './uuid.js';

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const mallory = person('mallory');
const room = newUuid();
// Epoch 1: alice and bob; epoch 2: carol joins; epoch 3: bob leaves.
const r0 = recordAfter(null, room, alice, 'create', 1, [joining(alice, 'admin'), joining(bob)]);
const r1 = recordAfter(r0, room, alice, 'add', 2, [joining(carol)]);
const r2 = recordAfter(r1, room, bob, 'leave', 3);
const r3 = recordAfter(r2, room, alice, 'role', 3, [changing(carol, 'admin')]);
const state = verifyGroupChain([r0, r1, r2, r3], { roomId: room }).state as GroupState;

describe('members at an epoch', () => {
  it('are those of the state that started it, or null for an epoch the chain has not reached', () => {
    expect(groupMembersAtEpoch(state, 1)).toEqual(new Set([alice.id, bob.id]));
    expect(groupMembersAtEpoch(state, 2)).toEqual(new Set([alice.id, bob.id, carol.id]));
    // The role change in epoch 3 does not start an epoch.
    expect(groupMembersAtEpoch(state, 3)).toEqual(new Set([alice.id, carol.id]));
    expect(groupMembersAtEpoch(state, 0)).toBeNull();
    expect(groupMembersAtEpoch(state, 4)).toBeNull();
  });
});

describe('who may wrap a group key', () => {
  it('a member of the epoch, for a member of the epoch', () => {
    expect(code(() => entitledGroupWrapper(state, 2, carol.id, bob.id))).toBeUndefined();
    expect(code(() => entitledGroupWrapper(state, 3, carol.id, carol.id))).toBeUndefined();
    expect(code(() => entitledGroupWrapper(state, 3, alice.id, carol.id))).toBeUndefined();
  });

  it('not for someone outside the epoch (checked first), nor by someone outside it', () => {
    expect(code(() => entitledGroupWrapper(state, 1, carol.id, alice.id))).toBe('not-a-member');
    expect(code(() => entitledGroupWrapper(state, 3, bob.id, alice.id))).toBe('not-a-member');
    expect(code(() => entitledGroupWrapper(state, 3, mallory.id, mallory.id))).toBe('not-a-member');
    expect(code(() => entitledGroupWrapper(state, 3, alice.id, bob.id))).toBe('not-entitled');
    expect(code(() => entitledGroupWrapper(state, 1, alice.id, carol.id))).toBe('not-entitled');
    expect(code(() => entitledGroupWrapper(state, 2, alice.id, mallory.id))).toBe('not-entitled');
  });

  it('nor under an epoch the verified chain has not reached', () => {
    expect(code(() => entitledGroupWrapper(state, 4, alice.id, alice.id))).toBe('context-mismatch');
    expect(code(() => entitledGroupWrapper(state, 0, alice.id, alice.id))).toBe('context-mismatch');
  });
});

describe('who may send under an epoch', () => {
  it('only a member of the state that started it', () => {
    expect(code(() => entitledGroupSender(state, 1, bob.id))).toBeUndefined();
    expect(code(() => entitledGroupSender(state, 2, carol.id))).toBeUndefined();
    expect(code(() => entitledGroupSender(state, 3, bob.id))).toBe('not-entitled');
    expect(code(() => entitledGroupSender(state, 1, carol.id))).toBe('not-entitled');
    expect(code(() => entitledGroupSender(state, 4, alice.id))).toBe('context-mismatch');
  });
});

describe("a member's keys", () => {
  it('must be the ones the record that added them carried', () => {
    expect(code(() => requireGroupMemberKey(state, carol.id, carol.identity.signPublicKey))).toBeUndefined();
    expect(code(() => requireGroupMemberKey(state, carol.id, mallory.identity.signPublicKey))).toBe('key-mismatch');
    expect(code(() => requireGroupMemberKey(state, bob.id, bob.identity.signPublicKey))).toBe('not-a-member');
    expect(code(() => requireGroupMemberKey(state, carol.id, new Uint8Array(31)))).toBe('bad-length');
  });
});
