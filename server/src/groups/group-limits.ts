// Sizes a group change can reach. A record of a group at the member limit, with the
// largest info, and a hybrid wrapped key per member do not fit the ordinary body limit,
// so the routes that take them get a limit derived from GROUP_MAX_MEMBERS.
import {
  GROUP_RECORD_MAX_ENTRIES,
  GROUP_RECORD_MIN_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  UUID_BYTES,
  WRAPPED_ROOM_KEY_V2_BYTES,
} from '@onionchat/protocol';
import type { Config } from '../config/config.js';

/** userId, role, signing key. */
const ENTRY_BYTES = UUID_BYTES + 1 + SIGN_PUBLIC_KEY_BYTES;
/** The info's length is a u16. */
const INFO_MAX_BYTES = 0xffff;
/** `{"memberId":"<uuid>","record":""},` and some room for spaces. */
const KEY_ITEM_CHARS = 96;
/** The rest of the body: field names, brackets, an epoch. */
const BODY_FIELDS_CHARS = 1024;

const base64Chars = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** The longest record with `entries` entries. */
export function groupRecordMaxBytes(entries: number): number {
  return GROUP_RECORD_MIN_BYTES + ENTRY_BYTES * entries + INFO_MAX_BYTES;
}

/** Any record the protocol allows (1,000 entries); the member limit is checked on the decoded record. */
export const GROUP_RECORD_MAX_BYTES = groupRecordMaxBytes(GROUP_RECORD_MAX_ENTRIES);

/**
 * The body limit of the routes that take a group record and keys (`POST /api/groups`,
 * `POST /api/groups/:id/records`, `POST /api/rooms/:id/keys`): the largest record of a
 * group at the limit and a hybrid wrapped key for each member, in base64; never below
 * BODY_LIMIT_BYTES. 277 KiB for 100 members.
 */
export function groupBodyLimitBytes(config: Pick<Config, 'GROUP_MAX_MEMBERS' | 'BODY_LIMIT_BYTES'>): number {
  const members = config.GROUP_MAX_MEMBERS;
  const keys = members * (base64Chars(WRAPPED_ROOM_KEY_V2_BYTES) + KEY_ITEM_CHARS);
  return Math.max(config.BODY_LIMIT_BYTES, base64Chars(groupRecordMaxBytes(members)) + keys + BODY_FIELDS_CHARS);
}

/** The requests that get groupBodyLimitBytes. */
export function takesGroupBody(method: string, path: string): boolean {
  return method === 'POST' && /^\/api\/(groups|groups\/[^/]+\/records|rooms\/[^/]+\/keys)\/?$/.test(path);
}
