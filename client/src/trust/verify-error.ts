// Why a message, a key or a contact could not be verified, in words a person can follow.

import type { ProtocolError } from '@onionchat/protocol';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

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
      return say('account.reason.badSignature');
    case 'decrypt-failed':
      return say('account.reason.decryptFailed');
    case 'context-mismatch':
      return say('account.reason.contextMismatch');
    case 'key-mismatch':
      return say('account.reason.keyMismatch');
    case 'replay':
      return say('account.reason.replay');
    case 'bad-key':
      return say('account.reason.badKey');
    case 'too-large':
      return say('account.reason.tooLarge');
    default:
      return say('account.reason.malformed');
  }
}
