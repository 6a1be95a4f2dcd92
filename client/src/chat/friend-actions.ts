// What the person does with friends: requests, accepting (which creates the direct
// room, its id and key chosen here), removing and blocking; each change is shown at
// once, and a failed refresh is retried by the next sync.

import type { FriendRequest, FriendsList, User } from '@onionchat/contract';
import type { Identity } from '@onionchat/protocol';
import type { Api } from '../transport/api.js';
import type { ContactLink } from '../trust/contact-link.js';
import type { KeyDirectory, RoomKeyring } from '../trust/index.js';
import { UntrustedKeyError } from '../trust/verify-error.js';
import { addFromLink, type LinkOutcome } from './add-from-link.js';
import { FIRST_EPOCH, FriendError, prepareAccept } from './friend-accept.js';
import type { RoomSync } from './sync.js';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

export interface FriendParts {
  api: Pick<Api, 'requestFriend' | 'acceptFriend' | 'deleteFriendRequest' | 'removeFriend' | 'block' | 'unblock'>;
  me: User;
  identity: Identity;
  directory: Pick<KeyDirectory, 'learn' | 'prepare'>;
  keyring: Pick<RoomKeyring, 'put'>;
  sync: Pick<RoomSync, 'refreshAfterChange'>;
  /** The friends lists as last loaded (null: not yet). */
  lists: () => FriendsList | null;
  /** Pins a contact's keys as presented now, verified, and unblocks their conversations. */
  verify: (userId: string) => void;
}

export class FriendActions {
  constructor(private readonly parts: FriendParts) {}

  async requestFriend(username: string): Promise<FriendRequest> {
    const { request } = await this.parts.api.requestFriend(username);
    await this.parts.sync.refreshAfterChange();
    return request;
  }

  /**
   * Adds the person a contact link names, pinned as verified when the server's keys for
   * them match the link's fingerprint. Throws LinkMismatchError (nothing pinned, no
   * request left standing) when they do not.
   */
  addFromLink(link: ContactLink): Promise<LinkOutcome> {
    const { api, me, directory, lists, verify } = this.parts;
    return addFromLink(
      {
        api,
        me,
        directory,
        lists,
        verify,
        refreshLists: () => this.parts.sync.refreshAfterChange(),
        accept: (request) => this.accept(request),
      },
      link,
    );
  }

  /** Creates the direct room (this client picks its id and key) and returns its id. */
  async accept(request: FriendRequest): Promise<string> {
    const { api, me, identity, directory, keyring } = this.parts;
    let requesterKeys;
    await directory.prepare([request.user]);
    try {
      requesterKeys = directory.learn(request.user);
    } catch (error) {
      // A known name under a new id, with other keys: the person must hear that it is a
      // key change, not that something failed to load.
      throw new FriendError(
        error instanceof UntrustedKeyError
          ? say('account.request.notAcceptedUntrusted', { reason: error.message, name: request.user.username })
          : say('account.request.notAcceptedBadKeys', { name: request.user.username }),
      );
    }
    const prepared = await prepareAccept(request, me, identity, requesterKeys);
    try {
      await api.acceptFriend(request.id, { roomId: prepared.roomId, wrappedKeys: prepared.wrappedKeys });
    } catch (error) {
      prepared.roomKey.fill(0);
      throw error;
    }
    keyring.put(prepared.roomId, FIRST_EPOCH, prepared.roomKey, prepared.hybrid);
    await this.parts.sync.refreshAfterChange();
    return prepared.roomId;
  }

  async dismissRequest(request: FriendRequest): Promise<void> {
    await this.parts.api.deleteFriendRequest(request.id);
    await this.parts.sync.refreshAfterChange();
  }

  async removeFriend(userId: string): Promise<void> {
    await this.parts.api.removeFriend(userId);
    await this.parts.sync.refreshAfterChange();
  }

  async block(username: string): Promise<void> {
    await this.parts.api.block(username);
    await this.parts.sync.refreshAfterChange();
  }

  async unblock(userId: string): Promise<void> {
    await this.parts.api.unblock(userId);
    await this.parts.sync.refreshAfterChange();
  }
}
