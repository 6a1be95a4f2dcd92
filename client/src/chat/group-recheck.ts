// A group's messages judged again when its verified chain moves on. A message shown
// under an epoch that a change verified since had ended before the message was filed is
// refused after all: the server delivered it ahead of that change (a removed member
// still holds the old key). And a message that waited for a change this device had not
// verified yet is opened again once it has.

import type { ServerMessage } from '@onionchat/contract';
import { groupMembersAtEpoch, type GroupState } from '@onionchat/protocol';
import type { GroupChains } from '../groups/group-chains.js';
import { judgeGroupMessage } from '../groups/group-message-rules.js';
import { refusedItem } from './items.js';
import type { Conversation, RoomStore } from './room-store.js';

export interface GroupRecheckParts {
  store: RoomStore;
  chains: Pick<GroupChains, 'stateOf' | 'epochEndedAt'>;
  /** Opens stored messages again, each in its old item's place (RoomHistory.reopen). */
  reopen: (roomId: string, messages: readonly ServerMessage[]) => Promise<void>;
}

export class GroupRecheck {
  /** Messages refused for an epoch the chain had not reached, by room and seq. */
  private readonly waiting = new Map<string, Map<number, ServerMessage>>();

  constructor(private readonly parts: GroupRecheckParts) {}

  waitForChain(message: ServerMessage): void {
    let room = this.waiting.get(message.roomId);
    if (!room) this.waiting.set(message.roomId, (room = new Map()));
    room.set(message.seq, message);
  }

  forget(roomId: string): void {
    this.waiting.delete(roomId);
  }

  /** After the room's chain changed. In the room's queue. */
  async run(roomId: string): Promise<void> {
    const conversation = this.parts.store.get(roomId);
    const state = this.parts.chains.stateOf(roomId);
    if (!conversation || !state) return;
    this.refuseEnded(roomId, conversation, state);
    await this.reopenReached(roomId, state);
  }

  private refuseEnded(roomId: string, conversation: Conversation, state: GroupState): void {
    const endedAt = (epoch: number) => this.parts.chains.epochEndedAt(roomId, epoch);
    for (const item of conversation.timeline.items) {
      if (item.state !== 'sent' || item.seq === null || item.epoch === undefined) continue;
      const verdict = judgeGroupMessage(state, endedAt, { epoch: item.epoch, senderId: item.senderId, seq: item.seq });
      if (!verdict.ok) this.parts.store.replace(roomId, refusedItem(item, verdict.reason));
    }
  }

  private async reopenReached(roomId: string, state: GroupState): Promise<void> {
    const waiting = this.waiting.get(roomId);
    if (!waiting) return;
    const due = [...waiting.values()].filter((message) => groupMembersAtEpoch(state, message.epoch) !== null);
    if (due.length === 0) return;
    for (const message of due) waiting.delete(message.seq);
    try {
      await this.parts.reopen(roomId, due);
    } catch (error) {
      // Not reachable now: they wait for the next change or sync.
      for (const message of due) waiting.set(message.seq, message);
      throw error;
    }
  }
}
