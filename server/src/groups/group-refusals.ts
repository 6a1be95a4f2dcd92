// What the server answers when a group record breaks a rule: the protocol's reason,
// with a status and a code a client can act on.
import { ProtocolError, type DecodedGroupRecord } from '@onionchat/protocol';
import { ApiError, badRequest, conflict, forbidden } from '../common/api-error.js';

/** A record whose place in the chain another member's record took first. */
export function chainChanged(index: number): ApiError {
  return conflict(
    'chain_changed',
    `Another change to this group was filed as record ${index} first. Load the group's records again and make your change on top of them.`,
  );
}

/** The change would make the group larger than GROUP_MAX_MEMBERS. */
export function groupFull(limit: number, size: number): ApiError {
  return new ApiError(
    422,
    'group_full',
    `A group can have at most ${limit} members on this server; this change would make it ${size}.`,
  );
}

export function wrongSigner(): ApiError {
  return forbidden(
    'wrong_signer',
    'This group record is signed in the name of someone else. A record must be posted by the member who signed it.',
  );
}

/** The ProtocolError of decodeGroupRecord or applyGroupRecord as an answer; anything else is rethrown. */
export function recordRefusal(err: unknown): ApiError {
  if (!(err instanceof ProtocolError)) throw err;
  switch (err.code) {
    case 'bad-signature':
      return badRequest(
        `record: ${err.message} It was changed after it was signed, or signed with a key the group does not hold for its signer.`,
        'bad_signature',
      );
    case 'not-entitled':
      return forbidden('not_entitled', err.message);
    case 'bad-chain':
      return badRequest(`record: ${err.message}`, 'bad_chain');
    default:
      return badRequest(`record: ${err.message}`, 'invalid_record');
  }
}

/** How many members the group would have after `record`, counted before the rules ran. */
export function sizeAfter(members: number, record: DecodedGroupRecord): number {
  if (record.action === 'create') return record.entries.length;
  if (record.action === 'add') return members + record.entries.length;
  return members;
}
