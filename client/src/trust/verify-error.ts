// Why a message, a key or a contact could not be verified, in words a person can follow.

import type { ProtocolError } from '@onionchat/protocol';

/**
 * Why something could not be verified: a short phrase that completes
 * "This message could not be verified: …".
 */
export class VerifyError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'VerifyError';
  }
}

/**
 * The one thing wrong is that a contact's key is not trusted now (it differs from
 * the pin and the person has not accepted it yet): what it refused may check out
 * once they do.
 */
export class UntrustedKeyError extends VerifyError {
  constructor(
    readonly userId: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'UntrustedKeyError';
  }
}

/** ProtocolError codes in words a person can follow. */
export function protocolReason(error: ProtocolError): string {
  switch (error.code) {
    case 'bad-signature':
      return 'its signature does not match the sender';
    case 'decrypt-failed':
      return 'it could not be decrypted';
    case 'context-mismatch':
      return 'it was delivered for another conversation or sender';
    case 'key-mismatch':
      return 'it was encrypted to a key this account does not hold';
    case 'replay':
      return 'it repeats a message already received';
    case 'bad-key':
      return 'it uses an unusable key';
    case 'too-large':
      return 'it is too large';
    default:
      return 'it is malformed';
  }
}
