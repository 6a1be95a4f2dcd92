// A group record carries each new member's signing key, and every client checks members'
// keys against it. The server takes a record only when each key is the one that user
// publishes now, so a member whose key the record got wrong is caught at once.
import { decodePublicKeysAsync, equalBytes, type GroupEntry } from '@onionchat/protocol';
import { conflict } from '../common/api-error.js';

interface Published {
  id: string;
  username: string;
  publicKeys: Uint8Array;
}

/** 409 key_changed naming the first entry whose key is not its user's published signing key. */
export async function checkPublishedKeys(entries: readonly GroupEntry[], users: readonly Published[]): Promise<void> {
  const byId = new Map(users.map((user) => [user.id, user]));
  const keys = await Promise.all(
    entries.map(async (entry) => {
      const user = byId.get(entry.userId);
      if (!user) return null;
      const published = await decodePublicKeysAsync(new Uint8Array(user.publicKeys), user.username, user.id);
      return published.signPublicKey;
    }),
  );
  entries.forEach((entry, i) => {
    const key = keys[i];
    if (!key || !equalBytes(key, entry.signPublicKey)) {
      const who = byId.get(entry.userId)?.username ?? `user ${entry.userId}`;
      throw conflict(
        'key_changed',
        `The signing key this record gives for ${who} is not the one ${who} publishes now. Fetch their keys again and check them before you make the change.`,
      );
    }
  });
}
