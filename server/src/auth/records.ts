// The server cannot open key bundles, but it checks the public records it will hand to
// others, so garbage or a key signed for another name is refused at the door.
import { decodeKdfParams, decodePublicKeys, ProtocolError, type KdfParams, type PublicKeys } from '@onionchat/protocol';
import { badRequest } from '../common/api-error.js';

function checked<T>(field: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof ProtocolError) throw badRequest(`${field}: ${err.message}`, 'invalid_record');
    throw err;
  }
}

export const checkKdfParams = (bytes: Uint8Array): KdfParams => checked('kdfParams', () => decodeKdfParams(bytes));

export const checkPublicKeys = (bytes: Uint8Array, username: string, userId: string): PublicKeys =>
  checked('publicKeys', () => decodePublicKeys(bytes, username, userId));
