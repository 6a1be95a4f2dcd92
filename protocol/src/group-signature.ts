import { concatBytes, utf8Encode } from './bytes.js';
import { runNative, runSync, signStep, verifyStep, type Steps } from './crypto-steps.js';
import { requireLength } from './errors.js';
import { decodeGroupRecord, encodeGroupRecordBody, type GroupRecordFields } from './group-record.js';
import { type Identity } from './identity.js';
import { SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES } from './key-sizes.js';
import { SIGNATURE_BYTES } from './public-keys.js';

const SIGNATURE_CONTEXT = utf8Encode('OnionChat v1 group record\0');

/**
 * The whole record: the fields, then the signer's Ed25519 signature over
 * "OnionChat v1 group record\0" || every byte before it. The fields must pass
 * every rule decodeGroupRecord applies, with the same error codes: a sender
 * never makes a record readers reject. (The chain rules need the state; callers
 * check a change with applyGroupRecord before they post it.)
 */
export function signGroupRecord(fields: GroupRecordFields, identity: Identity): Uint8Array {
  return runSync(signSteps(fields, identity));
}

/** signGroupRecord through the engine's native Ed25519 where it has one. */
export function signGroupRecordAsync(fields: GroupRecordFields, identity: Identity): Promise<Uint8Array> {
  return runNative(signSteps(fields, identity));
}

/** True only for a reduced Ed25519 signature by `signPublicKey` over this record's bytes. */
export function verifyGroupRecordSignature(record: Uint8Array, signPublicKey: Uint8Array): boolean {
  return runSync(verifyGroupRecordStep(record, signPublicKey));
}

/** verifyGroupRecordSignature through the engine's native Ed25519 where it has one. */
export function verifyGroupRecordSignatureAsync(record: Uint8Array, signPublicKey: Uint8Array): Promise<boolean> {
  return runNative(verifyGroupRecordStep(record, signPublicKey));
}

function* signSteps(fields: GroupRecordFields, identity: Identity): Steps<Uint8Array> {
  requireLength(identity.signSecretKey, SIGN_SECRET_KEY_BYTES, 'Signing secret key');
  const body = encodeGroupRecordBody(fields);
  // The reader's rules over the record with a placeholder signature: same checks, same codes.
  decodeGroupRecord(concatBytes(body, new Uint8Array(SIGNATURE_BYTES)));
  const signature = yield* signStep(concatBytes(SIGNATURE_CONTEXT, body), identity.signSecretKey);
  return concatBytes(body, signature);
}

/** The signature is the record's last 64 bytes; it covers every byte before them. */
export function* verifyGroupRecordStep(record: Uint8Array, signPublicKey: Uint8Array): Steps<boolean> {
  requireLength(signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Signing public key');
  if (!(record instanceof Uint8Array) || record.length < SIGNATURE_BYTES) return false;
  const split = record.length - SIGNATURE_BYTES;
  const message = concatBytes(SIGNATURE_CONTEXT, record.subarray(0, split));
  return yield* verifyStep(message, record.subarray(split), signPublicKey);
}
