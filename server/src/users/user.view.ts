import type { PublicUser, User } from '@onionchat/contract';
import { toBase64 } from '@onionchat/protocol';

/** What the API says about the caller's own account. */
export function userView(user: { id: string; username: string; publicKeys: Uint8Array; createdAt: Date }): User {
  return {
    id: user.id,
    username: user.username,
    publicKeys: toBase64(user.publicKeys),
    createdAt: user.createdAt.toISOString(),
  };
}

/** What the API says about another user: name and public keys. */
export function publicUserView(user: { id: string; username: string; publicKeys: Uint8Array }): PublicUser {
  return { id: user.id, username: user.username, publicKeys: toBase64(user.publicKeys) };
}
