// Deleting an account through a real chat session on the group world's fake server:
// the passphrase is checked before anything changes, every group is left with a signed
// record, and only then is the server asked to delete the account.

import type { User } from '@onionchat/contract';
import {
  KDF_MIN_ITERATIONS,
  decodeGroupRecord,
  deriveAccountKeys,
  encodeKdfParams,
  newKdfParams,
  sealKeyBundle,
  toBase64,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupWorld, type Device } from '../test-support/group-world.js';
import { AccountError } from './account-error.js';
import { wrongDeletePassphraseMessage, deleteAccount } from './delete-account.js';

const PASSPHRASE = 'amber lanterns over the quiet bay';
const until = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 20 });
const idOf = (device: Device) => device.who.user.id;

let world: GroupWorld;
afterEach(() => {
  for (const device of world?.devices.values() ?? []) device.session.stop();
});

/** The device's account as the server stores it, and the fake routes for its bundle and its deletion. */
async function storedAccount(device: Device, deleteAnswer?: { status: number; body: unknown }) {
  const { identity, user: publicUser } = device.who;
  const params = newKdfParams(KDF_MIN_ITERATIONS);
  const { authKey, wrapKey } = await deriveAccountKeys(PASSPHRASE, publicUser.username, params);
  const user: User = { ...publicUser, createdAt: '2026-01-01T00:00:00.000Z' };
  device.http.on('GET', '/api/account/bundle', {
    body: { kdfParams: toBase64(encodeKdfParams(params)), keyBundle: toBase64(sealKeyBundle(identity, wrapKey)) },
  });
  device.http.on('DELETE', '/api/account', (call) => {
    if (deleteAnswer) return deleteAnswer;
    const sent = (call.body as { currentAuthKey: string }).currentAuthKey;
    return sent === toBase64(authKey)
      ? { status: 204 }
      : {
          status: 401,
          body: { code: 'wrong_credentials', message: 'The current passphrase is wrong.' },
        };
  });
  return user;
}

async function groupOf(admin: Device, members: Device[]): Promise<string> {
  for (const device of [admin, ...members]) {
    await until(() => expect(device.session.getSnapshot().friends).not.toBeNull());
  }
  const roomId = await admin.session.createGroup({ name: 'Walkers', memberIds: members.map(idOf) });
  for (const device of [admin, ...members]) await until(() => expect(device.view(roomId)?.group).toBeTruthy());
  return roomId;
}

const actions = (roomId: string) => world.group(roomId).records.map((r) => decodeGroupRecord(r.record).action);

async function refusal(promise: Promise<unknown>): Promise<AccountError> {
  const error = await promise.then(
    () => expect.fail('expected the deletion to be refused'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AccountError);
  return error as AccountError;
}

describe('deleteAccount', () => {
  it('leaves every group with a signed record, then asks the server to delete the account', async () => {
    world = new GroupWorld(['alice', 'bob', 'carol']);
    const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((name) => world.device(name)) as [Device, Device, Device];
    const first = await groupOf(alice, [bob, carol]);
    const second = await groupOf(carol, [bob]);
    const user = await storedAccount(bob);
    const steps: string[] = [];

    await deleteAccount({
      api: bob.api,
      user,
      knownIdentity: bob.who.identity,
      groups: bob.session,
      passphrase: PASSPHRASE,
      confirmation: ' @Bob ',
      onProgress: (step) => steps.push(step),
    });

    expect(actions(first)).toEqual(['create', 'leave']);
    expect(actions(second)).toEqual(['create', 'leave']);
    expect(decodeGroupRecord(world.group(first).records[1]!.record).signerId).toBe(idOf(bob));
    const deletes = bob.http.callsTo('DELETE', '/api/account');
    expect(deletes).toHaveLength(1);
    // The deletion came after both leaves.
    const order = bob.http.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);
    expect(order.at(-1)).toBe('DELETE /api/account');
    expect(steps).toContain('Leaving your groups (2 of 2)…');
    expect(steps.at(-1)).toBe('Deleting your account…');
    await until(() => expect(alice.view(first)!.group!.members.map((m) => m.name)).not.toContain('bob'));
  });

  it('refuses a wrong passphrase before leaving anything or calling the server', async () => {
    world = new GroupWorld(['alice', 'bob']);
    const [alice, bob] = ['alice', 'bob'].map((name) => world.device(name)) as [Device, Device];
    const roomId = await groupOf(alice, [bob]);
    const user = await storedAccount(bob);

    const error = await refusal(
      deleteAccount({
        api: bob.api,
        user,
        knownIdentity: bob.who.identity,
        groups: bob.session,
        passphrase: 'not the passphrase at all',
        confirmation: 'bob',
      }),
    );
    expect(error.message).toBe(wrongDeletePassphraseMessage());
    expect(error.field).toBe('passphrase');
    expect(actions(roomId)).toEqual(['create']);
    expect(bob.http.callsTo('DELETE', '/api/account')).toEqual([]);
  });

  it('asks for the username typed exactly, and for a passphrase, before fetching anything', async () => {
    world = new GroupWorld(['bob']);
    const bob = world.device('bob');
    const user = await storedAccount(bob);
    const base = { api: bob.api, user, knownIdentity: bob.who.identity, groups: bob.session };
    const wrongName = await refusal(deleteAccount({ ...base, passphrase: PASSPHRASE, confirmation: 'bobby' }));
    expect(wrongName.field).toBe('username');
    const noPassphrase = await refusal(deleteAccount({ ...base, passphrase: '', confirmation: 'bob' }));
    expect(noPassphrase.message).toBe('Enter your passphrase.');
    expect(bob.http.callsTo('GET', '/api/account/bundle')).toEqual([]);
  });

  it("deletes an only admin's account: the group is handed on (bob made admin), then left with a signed record", async () => {
    world = new GroupWorld(['alice', 'bob']);
    const [alice, bob] = ['alice', 'bob'].map((name) => world.device(name)) as [Device, Device];
    const roomId = await groupOf(alice, [bob]);
    const user = await storedAccount(alice);
    await deleteAccount({
      api: alice.api,
      user,
      knownIdentity: null,
      groups: alice.session,
      passphrase: PASSPHRASE,
      confirmation: 'alice',
    });
    expect(actions(roomId)).toEqual(['create', 'role', 'leave']);
    expect(alice.http.callsTo('DELETE', '/api/account')).toHaveLength(1);
  });

  it("says the passphrase is wrong when the server's check refuses it", async () => {
    world = new GroupWorld(['bob']);
    const bob = world.device('bob');
    const user = await storedAccount(bob, {
      status: 401,
      body: { code: 'wrong_credentials', message: 'The current passphrase is wrong.' },
    });
    const error = await refusal(
      deleteAccount({
        api: bob.api,
        user,
        knownIdentity: bob.who.identity,
        groups: bob.session,
        passphrase: PASSPHRASE,
        confirmation: 'bob',
      }),
    );
    expect(error.message).toBe(wrongDeletePassphraseMessage());
  });

  it('stops, deleting nothing, when the conversations do not load', async () => {
    world = new GroupWorld(['bob']);
    const bob = world.device('bob');
    const user = await storedAccount(bob);
    const error = await refusal(
      deleteAccount({
        api: bob.api,
        user,
        knownIdentity: bob.who.identity,
        groups: {
          ...neverLoaded(),
          leaveGroup: () => Promise.reject(new Error('not reached')),
          setGroupRole: () => Promise.reject(new Error('not reached')),
        },
        passphrase: PASSPHRASE,
        confirmation: 'bob',
        listsWaitMs: 50,
      }),
    );
    expect(error.message).toMatch(/did not load.*Nothing was deleted/);
    expect(bob.http.callsTo('DELETE', '/api/account')).toEqual([]);
  });
});

function neverLoaded() {
  return {
    getSnapshot: () => ({ friends: null, rooms: new Map(), error: null }),
    subscribe: () => () => {},
  };
}
