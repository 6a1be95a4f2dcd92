import {
  newRoomKey,
  newUuid,
  sealGroupInfo,
  signGroupRecord,
  verifyGroupChain,
  type GroupState,
} from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { person } from '../test-support/group-server.js';
import { ApiError } from '../transport/api-error.js';
import { VerifyError } from '../trust/verify-error.js';
import { GroupInfos, readGroupInfo } from './group-info.js';

const alice = person('alice');

function stateWith(info: Uint8Array): GroupState {
  const roomId = newUuid();
  const record = signGroupRecord(
    {
      roomId,
      index: 0,
      previous: new Uint8Array(32),
      signerId: alice.user.id,
      epoch: 1,
      sentAt: 1,
      action: 'create',
      entries: [{ userId: alice.user.id, role: 'admin', signPublicKey: alice.identity.signPublicKey }],
      info,
    },
    alice.identity,
  );
  return verifyGroupChain([record], { roomId }).state!;
}

describe('reading a group’s name', () => {
  const key = newRoomKey();
  const picture = 'data:image/png;base64,AAAA';
  const state = stateWith(sealGroupInfo({ name: 'Hikers', picture }, key));

  it('opens the info with the key of its epoch', async () => {
    const epochs: number[] = [];
    const read = await readGroupInfo(state, async (epoch) => (epochs.push(epoch), key));
    expect(read).toEqual({ kind: 'open', info: { name: 'Hikers', picture } });
    expect(epochs).toEqual([1]);
    expect(await readGroupInfo(null, async () => key)).toEqual({ kind: 'none' });
  });

  it('turns every failure into a warning', async () => {
    expect(await readGroupInfo(state, async () => newRoomKey())).toEqual({
      kind: 'warning',
      warning: 'The group’s name does not open with the group’s key.',
      retry: false,
    });
    const noKey = await readGroupInfo(state, async () => Promise.reject(new VerifyError('there is no key for it')));
    expect(noKey).toEqual({
      kind: 'warning',
      warning: 'The group’s name could not be read: there is no key for it.',
      retry: true,
    });
    const offline = await readGroupInfo(state, async () => Promise.reject(new ApiError(0, 'network', 'offline')));
    expect(offline).toMatchObject({ kind: 'warning', retry: true });
  });

  it('opens each info once, and asks again after a warning that may pass', async () => {
    const infos = new GroupInfos();
    let asked = 0;
    const keyOf = async () => {
      asked += 1;
      if (asked === 1) throw new ApiError(0, 'network', 'offline');
      return key;
    };
    expect((await infos.read(state, keyOf)).kind).toBe('warning');
    expect((await infos.read(state, keyOf)).kind).toBe('open');
    expect((await infos.read(state, keyOf)).kind).toBe('open');
    expect(asked).toBe(2);
    infos.forget(state.roomId);
    await infos.read(state, keyOf);
    expect(asked).toBe(3);
  });
});
