// Deleting the account for good. The passphrase is checked here first (it must open the
// sealed keys), so a wrong one changes nothing; then every group is left with a signed
// record, so its members' chains say this account left; then the server deletes the
// account with its keys, messages, files and direct conversations.

import { deriveAccountKeys, toBase64, type IdentityKeys } from '@onionchat/protocol';
import type { FriendsList, Room, User } from '@onionchat/contract';
import type { Api } from '../transport/api.js';
import { AccountError } from './account-error.js';
import { GroupChangeError } from '../groups/group-change-error.js';
import { canonicalUsername, wipe, wipeIdentity } from './identity.js';
import {
  decodeServerKdfParams,
  knownKdfFloor,
  openBundle,
  pause,
  publishedKeys,
  rethrowCredentials,
  type ProgressFn,
} from './sealed-keys.js';
import { sayer } from '../present/phrasebook.js';
import { ACCOUNT_PHRASES } from './account-phrases.js';

const say = sayer(ACCOUNT_PHRASES);

/** The refusal of a wrong passphrase, in the reader's language. */
export function wrongDeletePassphraseMessage(): string {
  return say('account.delete.wrongPassphrase');
}
/** How long to wait for the chat session's first lists (Tor can be slow). */
export const LISTS_WAIT_MS = 60_000;

/** What deleting needs of a running chat session: its lists, and its leave action (GroupActions.leave). */
export interface GroupLeaver {
  getSnapshot(): {
    friends: FriendsList | null;
    rooms: ReadonlyMap<string, GroupListing>;
    error: string | null;
  };
  subscribe(listener: () => void): () => void;
  leaveGroup(roomId: string): Promise<void>;
  /** Hands a group on: the only admin makes another member admin before leaving (GroupActions.setRole). */
  setGroupRole(roomId: string, userId: string, role: 'member' | 'admin'): Promise<void>;
}

/** A room as the lists show it; a group with its verified members. */
interface GroupListing {
  room: Room;
  group?: { members: readonly { id: string; role: 'admin' | 'member'; me: boolean }[] } | null;
}

export interface DeleteAccountInput {
  api: Pick<Api, 'bundle' | 'deleteAccount'>;
  user: User;
  /** The keys unlocked in this session, if any (preferred over the published record). */
  knownIdentity: IdentityKeys | null;
  groups: GroupLeaver;
  passphrase: string;
  /** The username as the person typed it, to confirm. */
  confirmation: string;
  onProgress?: ProgressFn;
  /** How long to wait for the lists (tests shorten it). */
  listsWaitMs?: number;
}

/**
 * Deletes the account. On success the server has ended every session: the caller signs
 * out and wipes the keys as a log-out does. On failure before the last step nothing was
 * deleted (a group already left stays left).
 */
export async function deleteAccount(input: DeleteAccountInput): Promise<void> {
  const { api, user, passphrase, onProgress = () => {} } = input;
  if (canonicalUsername(input.confirmation.replace(/^\s*@/, '')) !== user.username) {
    throw new AccountError(say('account.delete.confirmUsername'), 'username');
  }
  if (passphrase.length === 0) throw new AccountError(say('account.form.enterPassphrase'), 'passphrase');

  onProgress(say('account.progress.fetchingSealedKeys'));
  const { kdfParams, keyBundle } = await api.bundle();
  const params = decodeServerKdfParams(kdfParams, knownKdfFloor(api as Api, user.username));
  const expected = input.knownIdentity ?? (await publishedKeys(user, user.username));
  onProgress(say('account.progress.checkingPassphrase'));
  await pause();
  const keys = await deriveAccountKeys(passphrase, user.username, params);
  try {
    const opened = await openBundle(
      keyBundle,
      keys.wrapKey,
      user.username,
      expected,
      new AccountError(wrongDeletePassphraseMessage(), 'passphrase'),
    );
    // Only the check was needed: the unlocked session keeps its own copy.
    wipeIdentity(opened.identity);

    await leaveEveryGroup(input.groups, input.listsWaitMs ?? LISTS_WAIT_MS, onProgress);

    onProgress(say('account.progress.deletingAccount'));
    await api
      .deleteAccount(toBase64(keys.authKey))
      .catch((error: unknown) => rethrowCredentials(error, wrongDeletePassphraseMessage(), 'passphrase'));
  } finally {
    wipe(keys.authKey, keys.wrapKey);
  }
}

/**
 * Leaves each group the lists show with a signed record. A group whose only admin this
 * account is, with members left, is handed on first: the first of them (admins are
 * listed first, then by name) is made admin, so the group keeps someone who can run it
 * and every member's chain says the account left. Any other failure stops here.
 */
async function leaveEveryGroup(groups: GroupLeaver, waitMs: number, onProgress: ProgressFn): Promise<void> {
  const rooms = await loadedRooms(groups, waitMs);
  const groupIds = [...rooms.values()].filter((state) => state.room.kind === 'group').map((state) => state.room.id);
  for (const [index, roomId] of groupIds.entries()) {
    onProgress(say('account.progress.leavingGroups', { index: index + 1, total: groupIds.length }));
    try {
      await groups.leaveGroup(roomId);
    } catch (error) {
      if (!(error instanceof GroupChangeError)) throw error;
      const successor = successorIn(rooms.get(roomId));
      if (!successor) throw error;
      await groups.setGroupRole(roomId, successor, 'admin');
      await groups.leaveGroup(roomId);
    }
  }
}

/** Who takes over a group this account is the only admin of: null when it is not (the refusal is another). */
function successorIn(listing: GroupListing | undefined): string | null {
  const members = listing?.group?.members ?? [];
  const otherAdmins = members.filter((member) => !member.me && member.role === 'admin');
  if (otherAdmins.length > 0) return null;
  return members.find((member) => !member.me)?.id ?? null;
}

function loadedRooms(groups: GroupLeaver, waitMs: number): Promise<ReadonlyMap<string, GroupListing>> {
  return new Promise((resolve, reject) => {
    let stop = () => {};
    const timer = setTimeout(() => {
      stop();
      reject(new AccountError(say('account.delete.listsTimeout')));
    }, waitMs);
    const check = () => {
      const snapshot = groups.getSnapshot();
      if (snapshot.friends === null) return;
      clearTimeout(timer);
      stop();
      resolve(snapshot.rooms);
    };
    stop = groups.subscribe(check);
    check();
  });
}
