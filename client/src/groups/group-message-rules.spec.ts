// Who may write under a group's epoch: a removed member's message filed after the
// removal is refused (they still hold the old key), one filed just before it is not,
// and nobody the chain never took in may write at all.

import { newRoomKey } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { GroupServer, changing, joining, person } from '../test-support/group-server.js';
import { GroupChains } from './group-chains.js';
import { judgeGroupMessage } from './group-message-rules.js';

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const mallory = person('mallory');

/** Epoch 1: Alice, Bob, Carol; 10 messages; Carol removed (epoch 2); 2 more messages. */
async function afterRemoval() {
  const server = new GroupServer(alice, [bob, carol, mallory]);
  const chains = new GroupChains({ api: server.api });
  const roomId = server.groupBy(alice, [bob, carol]);
  server.messages(roomId, 10);
  server.fileBy(roomId, alice, 'remove', [changing(carol)], { key: newRoomKey() });
  server.messages(roomId, 2);
  await chains.sync(roomId);
  const state = chains.stateOf(roomId)!;
  const judge = (epoch: number, who: typeof alice, seq: number) =>
    judgeGroupMessage(state, (e) => chains.epochEndedAt(roomId, e), { epoch, senderId: who.user.id, seq });
  return { server, chains, roomId, judge };
}

describe('judgeGroupMessage', () => {
  it('refuses a removed member’s message filed after the removal, under the old key', async () => {
    const { judge } = await afterRemoval();
    expect(judge(1, carol, 11)).toEqual({
      ok: false,
      code: 'stale-epoch',
      reason: 'it was sent under a key the group had already replaced',
    });
    // Anyone's, in fact: the epoch is over.
    expect(judge(1, bob, 12)).toMatchObject({ ok: false, code: 'stale-epoch' });
  });

  it('accepts their message filed just before it', async () => {
    const { judge } = await afterRemoval();
    expect(judge(1, carol, 10)).toEqual({ ok: true });
    expect(judge(2, bob, 11)).toEqual({ ok: true });
  });

  it('refuses a removed member under the new epoch, and a sender the server added without a record', async () => {
    const { judge, server, roomId } = await afterRemoval();
    server.group(roomId).members.push(mallory.user);
    const refused = {
      ok: false,
      code: 'not-entitled',
      reason: 'its sender was not in the group while that key was in use',
    };
    expect(judge(2, carol, 11)).toEqual(refused);
    expect(judge(2, mallory, 12)).toEqual(refused);
    expect(judge(1, mallory, 3)).toEqual(refused);
  });

  it('refuses an epoch the verified chain has not reached', async () => {
    const { judge, server, roomId } = await afterRemoval();
    server.fileBy(roomId, alice, 'add', [joining(mallory)]);
    expect(judge(3, mallory, 13)).toMatchObject({ ok: false, code: 'context-mismatch' });
  });
});
