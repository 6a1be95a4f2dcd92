// The verified state of each group's chain. Checking a new record needs the state after
// every record before it; replaying the whole chain each time would cost a signature
// check per record, so the states of recently changed groups stay in memory. Records are
// never changed once filed, so a remembered state is always a true prefix of the chain:
// it is brought up to date with the records filed after it (by any instance).
import { Inject, Injectable } from '@nestjs/common';
import { GROUP_RECORD_MAX_ENTRIES, applyGroupRecordAsync, type GroupState } from '@onionchat/protocol';
import { CONFIG, type Config } from '../config/config.js';
import { GroupRecordsRepository } from './group-records.repository.js';

@Injectable()
export class GroupStates {
  /** In least recently used order. */
  private readonly states = new Map<string, GroupState>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly records: GroupRecordsRepository,
  ) {}

  /**
   * The state after the group's last filed record. The filed records were checked
   * against the member limit of their day, so replaying takes the protocol's highest.
   */
  async current(roomId: string): Promise<GroupState> {
    let state = this.states.get(roomId) ?? null;
    const newer = await this.records.bytesAfter(roomId, state?.index ?? -1);
    for (const record of newer) {
      state = await applyGroupRecordAsync(state, record, { roomId, maxMembers: GROUP_RECORD_MAX_ENTRIES });
    }
    if (!state) throw new Error(`group ${roomId} has no records`);
    this.remember(state);
    return state;
  }

  /** Keeps `state` unless a later one of the same group is kept already. */
  remember(state: GroupState): void {
    const limit = this.config.GROUP_STATE_CACHE_ENTRIES;
    if (limit === 0) return;
    const known = this.states.get(state.roomId);
    if (known && known.index > state.index) return;
    this.states.delete(state.roomId);
    this.states.set(state.roomId, state);
    while (this.states.size > limit) this.states.delete(this.states.keys().next().value!);
  }
}
