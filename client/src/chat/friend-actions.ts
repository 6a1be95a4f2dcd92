// What the person does with friends: requests, accepting (which creates the direct
// room, its id and key chosen here), removing and blocking; each change is shown at
// once, and a failed refresh is retried by the next sync.

import { api, type FriendRequest } from '../api';
import { FriendError, prepareAccept } from '../friends';
import type { ChatCore } from './core';
import type { RoomSync } from './sync';

export class FriendActions {
  constructor(
    private readonly core: ChatCore,
    private readonly sync: RoomSync,
  ) {}

  async requestFriend(username: string): Promise<FriendRequest> {
    const { request } = await api.requestFriend(username);
    await this.refreshAfterChange();
    return request;
  }

  /** Creates the direct room (this client picks its id and key) and returns its id. */
  async accept(request: FriendRequest): Promise<string> {
    let requesterKeys;
    try {
      requesterKeys = this.core.directory.learn(request.user);
    } catch {
      throw new FriendError(
        `The server sent public keys for ${request.user.username} that don't check out, so the request was not accepted.`,
      );
    }
    const prepared = prepareAccept(request, this.core.me, this.core.identity, requesterKeys);
    try {
      await api.acceptFriend(request.id, prepared.roomId, prepared.wrappedKeys);
    } catch (error) {
      prepared.roomKey.fill(0);
      throw error;
    }
    this.core.keyring.put(prepared.roomId, 1, prepared.roomKey);
    await this.refreshAfterChange();
    return prepared.roomId;
  }

  async dismissRequest(request: FriendRequest): Promise<void> {
    await api.deleteFriendRequest(request.id);
    await this.refreshAfterChange();
  }

  async removeFriend(userId: string): Promise<void> {
    await api.removeFriend(userId);
    await this.refreshAfterChange();
  }

  async block(username: string): Promise<void> {
    await api.block(username);
    await this.refreshAfterChange();
  }

  async unblock(userId: string): Promise<void> {
    await api.unblock(userId);
    await this.refreshAfterChange();
  }

  /** After a change made here: show it at once; a failed refresh is retried by the next sync. */
  private async refreshAfterChange(): Promise<void> {
    try {
      await this.sync.refreshLists();
    } catch {
      this.sync.scheduleSync();
      return;
    }
    // Load a new conversation's messages; no need to fetch the lists again.
    void this.sync.syncRooms().catch(() => this.sync.scheduleSync());
  }
}
