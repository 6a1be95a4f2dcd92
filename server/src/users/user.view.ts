import { toBase64 } from '@onionchat/protocol';

/** What the API says about a user: public data only. */
export function userView(user: { id: string; username: string; publicKeys: Uint8Array; createdAt: Date }) {
  return { id: user.id, username: user.username, publicKeys: toBase64(user.publicKeys), createdAt: user.createdAt.toISOString() };
}
