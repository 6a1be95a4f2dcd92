import { ProtocolError, readMessageHeader, type EnvelopeHeader } from '@onionchat/protocol';
import { badRequest } from '../common/api-error.js';

/** The clear header of a sealed envelope (messages and receipts), or 400 `invalid_record` with the protocol's reason. */
export function envelopeHeader(envelope: Uint8Array): EnvelopeHeader {
  try {
    return readMessageHeader(envelope);
  } catch (err) {
    if (err instanceof ProtocolError) throw badRequest(`envelope: ${err.message}`, 'invalid_record');
    throw err;
  }
}
