// Groups' names and pictures for the views, which are built synchronously: each is
// opened in the background (it needs the key of the epoch it was sealed under) and kept
// here; the conversation is drawn again once it is. A name that could not be had yet is
// asked for again at the next refresh; until then the view says why.

import type { Room } from '@onionchat/contract';
import type { GroupState } from '@onionchat/protocol';
import { GroupInfos, type GroupInfoResult } from '../groups/group-info.js';
import type { RoomKeyring } from '../trust/room-keyring.js';

export class GroupNames {
  private readonly infos = new GroupInfos();
  /** The newest result read per group, with the index of the record it came from. */
  private readonly read = new Map<string, { index: number; result: GroupInfoResult }>();
  /** Groups forgotten since a read began: its answer is dropped. */
  private readonly forgotten = new Set<string>();

  constructor(
    private readonly keyring: Pick<RoomKeyring, 'get'>,
    /** A group's name was read: draw it again. */
    private readonly onRead: (roomId: string) => void,
  ) {}

  /** What is known of the group's name now (the last one read stays until a newer one is). */
  current(roomId: string): GroupInfoResult | null {
    return this.read.get(roomId)?.result ?? null;
  }

  /** Reads the name the verified state carries, unless it was read already. */
  refresh(room: Room, state: GroupState | null): void {
    const info = state?.info;
    if (!info) return;
    const known = this.read.get(room.id);
    const settled = known && known.index === info.index && !(known.result.kind === 'warning' && known.result.retry);
    if (settled) return;
    this.forgotten.delete(room.id);
    void this.infos
      .read(state, (epoch) => this.keyring.get(room, epoch))
      .then((result) => {
        const latest = this.read.get(room.id);
        // An older record's answer coming in late does not replace a newer one.
        if (latest && latest.index > info.index) return;
        this.read.set(room.id, { index: info.index, result });
        this.onRead(room.id);
      });
  }

  forget(roomId: string): void {
    this.forgotten.add(roomId);
    this.read.delete(roomId);
    this.infos.forget(roomId);
  }
}
