// The verified member lists: only records that continue what this page verified are
// applied; a fork, a dropped record, a forged change or a member the server slipped in
// stops the chain with a warning, and nothing is sent until a listing passes again.

import { newRoomKey, randomBytes } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { GroupServer, changing, joining, person, type FiledRecord } from '../test-support/group-server.js';
import { GroupChains, notAMemberAnyMore, notVerifiedYet } from './group-chains.js';

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const mallory = person('mallory');
const names = new Map([alice, bob, carol, mallory].map((p) => [p.user.id, p.user.username]));

function setup(options: { maxMembers?: number } = {}) {
  const server = new GroupServer(alice, [bob, carol, mallory]);
  const chains = new GroupChains({ api: server.api, nameOf: (id) => names.get(id) ?? id, ...options });
  const roomId = server.groupBy(alice, [bob]);
  const afters = () =>
    server.recordsCalls(roomId).map((call) => new URL(call.path, 'http://x').searchParams.get('after'));
  return { server, chains, roomId, afters };
}

const WARNING_END = 'Nothing will be sent here until it does.';

describe('GroupChains', () => {
  it('verifies the chain from the start, then only the records after the verified one', async () => {
    const { server, chains, roomId, afters } = setup();
    expect(chains.stateOf(roomId)).toBeNull();
    expect(chains.sendBlock(roomId, alice.user.id)).toBe(notVerifiedYet());
    await chains.sync(roomId);
    expect([...chains.stateOf(roomId)!.members.keys()]).toEqual([alice.user.id, bob.user.id]);
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.members.has(carol.user.id)).toBe(true);
    expect(chains.stateOf(roomId)!.epoch).toBe(2);
    expect(afters()).toEqual([null, '0']);
    expect(chains.sendBlock(roomId, alice.user.id)).toBeNull();
    expect(chains.warning(roomId)).toBeNull();
  });

  it('pages through a long chain', async () => {
    const { server, chains, roomId, afters } = setup();
    server.pageMax = 2;
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    server.fileBy(roomId, alice, 'role', [changing(bob, 'admin')]);
    server.fileBy(roomId, bob, 'remove', [changing(carol)]);
    server.fileBy(roomId, alice, 'rename');
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.index).toBe(4);
    expect(afters()).toEqual([null, '1', '3']);
    expect(chains.view(roomId).changes.map((change) => change.action)).toEqual([
      'create',
      'add',
      'role',
      'remove',
      'rename',
    ]);
  });

  it('shares one request between concurrent syncs, and asks again for an index announced past it', async () => {
    const { server, chains, roomId, afters } = setup();
    await Promise.all([chains.sync(roomId), chains.sync(roomId), chains.sync(roomId)]);
    expect(afters()).toEqual([null]);
    // The event came before the listing had the record: the announced index asks once more.
    let listings = 0;
    server.listing = (id) => ((listings += 1) === 1 ? server.filed(id).slice(0, 1) : server.filed(id));
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    await chains.sync(roomId, 1);
    expect(chains.stateOf(roomId)!.index).toBe(1);
    expect(afters()).toEqual([null, '0', '0']);
  });

  it('refuses a listing that forks from the verified state, keeping that state', async () => {
    const { server, chains, roomId } = setup();
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    await chains.sync(roomId);
    const verified = chains.stateOf(roomId);
    // Record 2 names another record 1 than the one verified.
    const fork = server.recordBy(roomId, alice, 'rename', [], { overrides: { previous: randomBytes(32) } });
    server.listing = () => [...server.filed(roomId), { index: 2, record: fork, afterSeq: 0 }];
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)).toBe(verified);
    const warning = chains.warning(roomId)!;
    expect(warning).toBe(
      'The server handed out a change to this group that does not check out ' +
        `(record 2 by alice: it does not follow the changes before it). ${WARNING_END}`,
    );
    expect(chains.sendBlock(roomId, alice.user.id)).toBe(warning);
  });

  it('refuses a listing that drops a record, naming the index that should have come', async () => {
    const { server, chains, roomId } = setup();
    await chains.sync(roomId);
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    server.fileBy(roomId, alice, 'rename');
    server.listing = () => server.filed(roomId).filter((filed) => filed.index !== 1);
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.index).toBe(0);
    expect(chains.warning(roomId)).toContain('(record 1 by alice: it does not follow the changes before it)');
  });

  it('refuses a listing that ends before what this page verified (rollback), even after forgetting', async () => {
    const { server, chains, roomId } = setup();
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    await chains.sync(roomId);
    chains.forget(roomId);
    server.listing = () => server.filed(roomId).slice(0, 1);
    await chains.sync(roomId);
    // The members verified before are shown, not the older list the server wants believed.
    expect(chains.stateOf(roomId)!.index).toBe(1);
    expect(chains.stateOf(roomId)!.members.has(carol.user.id)).toBe(true);
    expect(chains.warning(roomId)).toContain('(record 1: the server left out changes this device already checked)');
    // The warning stays while the listing still leaves the record out...
    await chains.sync(roomId);
    expect(chains.warning(roomId)).toContain('the server left out changes');
    expect(chains.sendBlock(roomId, alice.user.id)).toContain('does not check out');
    // ...and goes once a later record follows the state brought back.
    server.listing = null;
    server.fileBy(roomId, alice, 'rename');
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.index).toBe(2);
    expect(chains.warning(roomId)).toBeNull();
  });

  it('refuses a forged role change: by a member who is not an admin, or signed with another key', async () => {
    const { server, chains, roomId } = setup();
    const byMember = server.recordBy(roomId, bob, 'role', [changing(bob, 'admin')]);
    server.listing = () => [...server.filed(roomId), { index: 1, record: byMember, afterSeq: 0 }];
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.members.get(bob.user.id)!.role).toBe('member');
    expect(chains.warning(roomId)).toContain('(record 1 by bob: its signer may not make this change)');

    const { server: other, chains: fresh, roomId: room2 } = setup();
    const inAlicesName = other.recordBy(room2, alice, 'role', [changing(bob, 'admin')], {
      signWith: mallory.identity,
    });
    other.listing = () => [...other.filed(room2), { index: 1, record: inAlicesName, afterSeq: 0 }];
    await fresh.sync(room2);
    expect(fresh.warning(room2)).toContain('(record 1 by alice: its signature does not match its signer)');
  });

  it('never takes in a member the server lists without a record, nor one added in a record they signed', async () => {
    const { server, chains, roomId } = setup();
    server.group(roomId).members.push(mallory.user);
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.members.has(mallory.user.id)).toBe(false);
    expect(chains.warning(roomId)).toBeNull();

    const selfAdded = server.recordBy(roomId, mallory, 'add', [joining(mallory)]);
    server.listing = () => [...server.filed(roomId), { index: 1, record: selfAdded, afterSeq: 0 }];
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.members.has(mallory.user.id)).toBe(false);
    expect(chains.warning(roomId)).toContain('(record 1 by mallory: its signer may not make this change)');
  });

  it('clears the warning once a later listing passes', async () => {
    const { server, chains, roomId } = setup();
    const junk: FiledRecord = { index: 1, record: new Uint8Array(3), afterSeq: 0 };
    server.listing = () => [...server.filed(roomId), junk];
    await chains.sync(roomId);
    expect(chains.warning(roomId)).toContain('(record 1: it is malformed)');
    server.listing = null;
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    await chains.sync(roomId);
    expect(chains.warning(roomId)).toBeNull();
    expect(chains.stateOf(roomId)!.index).toBe(1);
  });

  it('judges the chain by the member limit it is given', async () => {
    const { server, chains, roomId } = setup({ maxMembers: 2 });
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.index).toBe(0);
    expect(chains.warning(roomId)).toContain('the change does not make sense for this group');
  });

  it('judges the records after it with the server’s own limit once it is given', async () => {
    const { server, chains, roomId } = setup({ maxMembers: 2 });
    server.fileBy(roomId, alice, 'add', [joining(carol)]);
    await chains.sync(roomId);
    expect(chains.warning(roomId)).not.toBeNull();
    chains.useMaxMembers(3);
    expect(chains.maxMembers).toBe(3);
    await chains.sync(roomId);
    expect(chains.warning(roomId)).toBeNull();
    expect(chains.stateOf(roomId)!.index).toBe(1);
  });

  it('keeps the signing key it gave each member, also once they are gone', async () => {
    const { server, chains, roomId } = setup();
    server.fileBy(roomId, alice, 'remove', [changing(bob)]);
    await chains.sync(roomId);
    expect(chains.stateOf(roomId)!.members.has(bob.user.id)).toBe(false);
    expect(chains.signKeyOf(roomId, bob.user.id)).toEqual(bob.identity.signPublicKey);
    expect(chains.signKeyOf(roomId, alice.user.id)).toEqual(alice.identity.signPublicKey);
    expect(chains.signKeyOf(roomId, mallory.user.id)).toBeNull();
  });

  it('keeps where each epoch ended in the message sequence', async () => {
    const { server, chains, roomId } = setup();
    server.messages(roomId, 5);
    server.fileBy(roomId, alice, 'add', [joining(carol)], { key: newRoomKey() });
    server.messages(roomId, 3);
    server.fileBy(roomId, alice, 'rename');
    server.fileBy(roomId, alice, 'remove', [changing(carol)], { key: newRoomKey() });
    await chains.sync(roomId);
    expect(chains.epochEndedAt(roomId, 1)).toBe(5);
    expect(chains.epochEndedAt(roomId, 2)).toBe(8);
    expect(chains.epochEndedAt(roomId, 3)).toBeNull();
    expect(chains.view(roomId).changes.map((change) => change.afterSeq)).toEqual([0, 5, 8, 8]);
  });

  it('says when this account is no longer a member, by the chain or by the server’s 404', async () => {
    const { server, chains, roomId } = setup();
    const byBob = server.groupBy(bob, [alice, carol]);
    server.fileBy(byBob, bob, 'remove', [changing(alice)]);
    await chains.sync(byBob);
    expect(chains.sendBlock(byBob, alice.user.id)).toBe(notAMemberAnyMore());

    await chains.sync(roomId);
    server.recordsReply = { status: 404, body: { code: 'not_found', message: 'No such group.' } };
    await chains.sync(roomId);
    expect(chains.view(roomId).gone).toBe(true);
    expect(chains.isGone(roomId)).toBe(true);
    expect(chains.sendBlock(roomId, alice.user.id)).toBe(notAMemberAnyMore());
    server.recordsReply = 'drop';
    await expect(chains.sync(roomId)).rejects.toMatchObject({ code: 'network' });
    // Taken in again: the server lists the records once more.
    server.recordsReply = null;
    await chains.sync(roomId);
    expect(chains.view(roomId).gone).toBe(false);
  });

  it('tells subscribers, with a new view per change', async () => {
    const { server, chains, roomId } = setup();
    let calls = 0;
    const stop = chains.subscribe(() => (calls += 1));
    const empty = chains.view(roomId);
    expect(chains.view(roomId)).toBe(empty);
    await chains.sync(roomId);
    expect(calls).toBeGreaterThan(0);
    const synced = chains.view(roomId);
    expect(synced).not.toBe(empty);
    expect(synced.state?.index).toBe(0);
    stop();
    const before = calls;
    server.fileBy(roomId, alice, 'rename');
    await chains.sync(roomId);
    expect(calls).toBe(before);
  });

  describe('adopting a record this account filed', () => {
    it('applies it when it follows the verified state', async () => {
      const { server, chains, roomId, afters } = setup();
      await chains.sync(roomId);
      server.messages(roomId, 4);
      const record = server.fileBy(roomId, alice, 'add', [joining(carol)]);
      await chains.adopt(roomId, record, 4);
      expect(chains.stateOf(roomId)!.index).toBe(1);
      expect(chains.epochEndedAt(roomId, 1)).toBe(4);
      expect(afters()).toEqual([null]);
    });

    it('takes it once when a sync brings it too', async () => {
      const { server, chains, roomId } = setup();
      await chains.sync(roomId);
      const record = server.fileBy(roomId, alice, 'add', [joining(carol)]);
      await Promise.all([chains.sync(roomId), chains.adopt(roomId, record, 0), chains.sync(roomId)]);
      expect(chains.view(roomId).changes.map((change) => change.index)).toEqual([0, 1]);
      expect(chains.warning(roomId)).toBeNull();
    });

    it('warns when a listing got there first with another record at that index', async () => {
      const { server, chains, roomId } = setup();
      const ours = server.recordBy(roomId, alice, 'add', [joining(carol)]);
      server.fileBy(roomId, alice, 'rename');
      await chains.sync(roomId);
      await chains.adopt(roomId, ours, 0);
      expect(chains.warning(roomId)).toContain('(record 1 by alice: it does not follow the changes before it)');
    });
  });
});
