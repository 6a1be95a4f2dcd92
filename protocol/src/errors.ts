/**
 * Every failure in the protocol package is a ProtocolError with a stable
 * machine-readable code, so callers can branch on `code` (for example to tell
 * "wrong passphrase" apart from "the server sent a malformed record") while
 * the message stays a sentence a person can read.
 */
export type ProtocolErrorCode =
  | 'bad-length'
  | 'bad-version'
  | 'bad-algorithm'
  | 'weak-kdf'
  | 'bad-signature'
  | 'decrypt-failed'
  | 'username-mismatch'
  | 'key-mismatch'
  | 'bad-encoding'
  | 'bad-key'
  | 'context-mismatch'
  | 'bad-padding'
  | 'bad-content'
  | 'too-large'
  | 'replay'
  | 'not-a-member'
  | 'bad-room'
  | 'not-entitled'
  | 'rollback'
  | 'bad-chain'
  | 'stale-epoch';

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

/** Throws a 'bad-length' error unless `bytes` has exactly `expected` bytes. */
export function requireLength(bytes: Uint8Array, expected: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new ProtocolError('bad-length', `${what} must be a Uint8Array of ${expected} bytes.`);
  }
  if (bytes.length !== expected) {
    throw new ProtocolError('bad-length', `${what} must be ${expected} bytes long, got ${bytes.length}.`);
  }
}
