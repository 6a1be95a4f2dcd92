// TuiActions over the core's ChatSession: names resolved against the friend list
// (and the groups, for /open),
// files read from a path (as a file-backed Blob, never whole in memory), saved files
// handed to whoever chose the folder; and over the logged-in account: its sessions,
// its passphrase and its contact link.

import {
  allConversations,
  contactLink,
  identityFingerprint,
  parseContactLink,
  type AccountFlows,
  type BundleVault,
  type ChatItem,
  type ChatSession,
  type FriendRequest,
  type Identity,
  type User,
} from '@onionchat/client';
import { openLocalFile } from '../local-file.js';
import type { AccountActions } from './account-commands.js';
import type { TuiActions } from './commands.js';

/** The logged-in account, as the terminal client's Account has it. */
export interface AccountAccess {
  client: { account: Pick<AccountFlows, 'listSessions' | 'endSession' | 'changePassphrase'> };
  user: User;
  identity: Identity;
  /** Takes the vault sealed under the new passphrase and the identity it signs with (the old vault is wiped). */
  useResealed(resealed: { vault: BundleVault; identity: Identity }): void;
}

export interface SessionActionsOptions {
  /**
   * Where a file goes: called before each download with the folder typed after /save
   * (null: none) and the file's message; returns the folder it will be written to, or
   * throws why it cannot be. Left out: /save saves where the file sink writes, and a
   * folder can't be chosen.
   */
  chooseFolder?: (dir: string | null, item: ChatItem) => string;
  /**
   * The account, and the origin it was reached at (for the contact link). Left out:
   * /sessions, /end, /passphrase and /me say where to go instead.
   */
  account?: { access: AccountAccess; origin: string };
}

const NO_ACCOUNT = 'The account can’t be reached from here: use onionchat sessions, passphrase or login.';

const same = (a: string, b: string) => a.toLowerCase() === b.replace(/^@/, '').toLowerCase();

export function sessionActions(chat: ChatSession, options: SessionActionsOptions = {}): TuiActions {
  const lists = () => {
    const friends = chat.getSnapshot().friends;
    if (!friends) throw new Error('The friend list has not loaded yet.');
    return friends;
  };
  const request = (list: readonly FriendRequest[], username: string, what: string): FriendRequest => {
    const found = list.find((entry) => same(entry.user.username, username));
    if (!found) throw new Error(`There is no ${what} ${username}.`);
    return found;
  };

  return {
    ...accountActions(chat, options.account),
    send: (roomId, text, replyTo) => chat.send(roomId, text, replyTo ?? null),
    edit: (roomId, item, text) => chat.edit(roomId, item, text),
    deleteForEveryone: (roomId, item) => chat.deleteForEveryone(roomId, item),
    react: (roomId, item, emoji) => chat.react(roomId, item, emoji),
    setTimer: (roomId, seconds) => chat.setTimer(roomId, seconds),
    retry(roomId) {
      const room = chat.getSnapshot().rooms.get(roomId);
      let count = 0;
      for (const item of room?.items ?? []) {
        if (!item.mine || !item.messageId) continue;
        const upload = item.file ? chat.files.upload(item.messageId) : null;
        if (upload?.phase === 'failed') chat.files.retryUpload(item.messageId);
        else if (item.state === 'failed') chat.retry(roomId, item.messageId);
        else continue;
        count += 1;
      }
      return count;
    },
    async sendFile(roomId, path) {
      const file = await openLocalFile(path);
      chat.sendFiles(roomId, [file]);
      return file.name;
    },
    saveFile(item: ChatItem, dir) {
      if (dir !== null && !options.chooseFolder) throw new Error('A folder can’t be chosen here: type /save N.');
      const where = options.chooseFolder ? options.chooseFolder(dir, item) : 'the download folder';
      chat.saveFile(item);
      return where;
    },
    stopFile(item) {
      if (item.mine && item.messageId && chat.files.upload(item.messageId)) chat.files.cancelUpload(item.messageId);
      else if (chat.files.download(item.key)) chat.files.cancelDownload(item.key);
      else throw new Error('Nothing is being sent or downloaded for this file.');
    },
    loadOlder: (roomId) => chat.loadOlder(roomId),
    async requestFriend(username) {
      await chat.requestFriend(username.replace(/^@/, ''));
    },
    accept: (username) => chat.accept(request(lists().incoming, username, 'friend request from')),
    decline: (username) => chat.dismissRequest(request(lists().incoming, username, 'friend request from')),
    cancel: (username) => chat.dismissRequest(request(lists().outgoing, username, 'request of yours to')),
    remove(username) {
      const friend = lists().friends.find((entry) => same(entry.user.username, username));
      if (!friend) return Promise.reject(new Error(`${username} is not one of your friends.`));
      return chat.removeFriend(friend.user.id);
    },
    block: (username) => chat.block(username.replace(/^@/, '')),
    unblock(username) {
      const blocked = lists().blocked.find((entry) => same(entry.user.username, username));
      if (!blocked) return Promise.reject(new Error(`${username} is not blocked.`));
      return chat.unblock(blocked.user.id);
    },
    async addFromLink(text) {
      const link = parseContactLink(text);
      if (!link) throw new Error('That is not a contact link (it has no “add=” part).');
      const outcome = await chat.addFromLink(link);
      switch (outcome.kind) {
        case 'requested':
          return { message: `Friend request sent to ${outcome.username}; their keys match the link.`, roomId: null };
        case 'accepted':
          return {
            message: `You and ${outcome.username} are now friends, verified from the link.`,
            roomId: outcome.roomId,
          };
        case 'verified':
          return { message: `${outcome.username} is verified: their keys match the link.`, roomId: null };
      }
    },
    safetyNumber: async (userId) => (await chat.safetyNumberWith(userId)).groups,
    setTrust: (userId, verified) => chat.setTrust(userId, verified),
    roomOf(username) {
      const snapshot = chat.getSnapshot();
      const friend = snapshot.friends?.friends.find((entry) => same(entry.user.username, username));
      if (friend) return friend.roomId;
      // A group by its name (any case), or by its id.
      const wanted = username.trim().toLowerCase();
      const groups = allConversations(snapshot).filter((entry) => entry.kind === 'group');
      const named = groups.filter((entry) => entry.title.toLowerCase() === wanted || entry.roomId === username.trim());
      if (named.length > 1) throw new Error(`More than one group is called “${username}”: choose it in the list.`);
      return named[0]?.roomId ?? null;
    },
    createGroup: (name, memberIds) => chat.createGroup({ name, memberIds }),
    addToGroup: (roomId, userIds) => chat.addToGroup(roomId, userIds),
    removeFromGroup: (roomId, userIds) => chat.removeFromGroup(roomId, userIds),
    setGroupRole: (roomId, userId, role) => chat.setGroupRole(roomId, userId, role),
    renameGroup: (roomId, info) => chat.renameGroup(roomId, info),
    leaveGroup: (roomId) => chat.leaveGroup(roomId),
  };
}

function accountActions(
  chat: Pick<ChatSession, 'saveNow' | 'replaceVault'>,
  account: SessionActionsOptions['account'],
): AccountActions {
  if (!account) {
    const refuse = () => Promise.reject(new Error(NO_ACCOUNT));
    return {
      listSessions: refuse,
      endSession: refuse,
      changePassphrase: refuse,
      contactLink: () => {
        throw new Error(NO_ACCOUNT);
      },
    };
  }
  const { access, origin } = account;
  const flows = access.client.account;
  return {
    listSessions: () => flows.listSessions(),
    endSession: (id) => flows.endSession(id),
    async changePassphrase(current, next, progress) {
      // What waits to be saved into the keys goes under the current passphrase first: the
      // change re-seals the stored bundle, and this chat can't write to it afterwards.
      await chat.saveNow();
      const changed = await flows.changePassphrase(access.user, access.identity, current, next, progress);
      // Pins and chain marks are saved under the new passphrase from now on. The new vault
      // signs with its own copy of the identity, which the account wipes at log-out.
      chat.replaceVault(changed.vault);
      access.useResealed(changed);
    },
    contactLink: () => contactLink(origin, access.user.username, identityFingerprint(access.identity)),
  };
}
