// A group's name and picture, sealed in its latest record that carries them under the
// room key of that record's epoch (PROTOCOL.md §19, "Info"). Opening them can fail (no
// key yet, a server that cannot be reached, a sealed info that does not open): that is
// a warning to show in the name's place, never an error out of a view.

import { ProtocolError, openGroupInfo, type GroupInfo, type GroupState } from '@onionchat/protocol';
import { sayer } from '../present/phrasebook.js';
import { ApiError } from '../transport/api-error.js';
import { VerifyError } from '../trust/verify-error.js';
import { GROUP_PHRASES } from './group-phrases.js';

const say = sayer(GROUP_PHRASES);

export type GroupInfoResult =
  /** The chain carries no info yet (nothing verified). */
  | { kind: 'none' }
  | { kind: 'open'; info: GroupInfo }
  /** `retry`: the key could not be had (yet); asking again later may work. */
  | { kind: 'warning'; warning: string; retry: boolean };

/** The room key of an epoch (the keyring's `get` for this room): throws VerifyError or ApiError. */
export type EpochKey = (epoch: number) => Promise<Uint8Array>;

/** Opens the verified state's info with the key of its epoch. Never rejects. */
export async function readGroupInfo(state: GroupState | null, keyOf: EpochKey): Promise<GroupInfoResult> {
  if (!state?.info) return { kind: 'none' };
  try {
    const key = await keyOf(state.info.epoch);
    return { kind: 'open', info: openGroupInfo(state.info.sealed, key) };
  } catch (error) {
    // A key that is missing or unreachable may come; an info that does not open under it will not.
    const retry = !(error instanceof ProtocolError);
    // Worded when read (the result is kept), so it is in the reader's language of the moment.
    return {
      kind: 'warning',
      get warning() {
        return infoWarning(error);
      },
      retry,
    };
  }
}

function infoWarning(error: unknown): string {
  if (error instanceof ApiError) return say('groups.info.notLoaded');
  if (error instanceof VerifyError) return say('groups.info.unreadable', { reason: error.message });
  if (error instanceof ProtocolError && error.code === 'bad-content') return say('groups.info.invalid');
  return say('groups.info.doesNotOpen');
}

/**
 * Opened infos by group and record, so each is opened once; concurrent reads of one
 * share the work. A warning that may pass (network) is not kept.
 */
export class GroupInfos {
  private readonly opened = new Map<string, Promise<GroupInfoResult>>();

  read(state: GroupState | null, keyOf: EpochKey): Promise<GroupInfoResult> {
    if (!state?.info) return Promise.resolve({ kind: 'none' });
    const slot = `${state.roomId}/${state.info.index}`;
    let result = this.opened.get(slot);
    if (!result) {
      result = readGroupInfo(state, keyOf);
      this.opened.set(slot, result);
      void result.then((read) => {
        if (read.kind === 'warning' && read.retry) this.opened.delete(slot);
      });
    }
    return result;
  }

  forget(roomId: string): void {
    for (const slot of [...this.opened.keys()]) if (slot.startsWith(`${roomId}/`)) this.opened.delete(slot);
  }
}
