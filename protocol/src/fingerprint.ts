import nacl from 'tweetnacl';
import { concatBytes, toHex, utf8Encode } from './bytes.js';
import { requireLength } from './errors.js';
import { BOX_PUBLIC_KEY_BYTES, SIGN_PUBLIC_KEY_BYTES } from './key-sizes.js';
import type { IdentityKeys } from './public-keys.js';

const FINGERPRINT_CONTEXT = utf8Encode('OnionChat v1 fingerprint\0');
/** 160 bits: enough that finding a second key pair with the same fingerprint is infeasible. */
export const FINGERPRINT_BYTES = 20;
const GROUP_HEX_CHARS = 4;

/**
 * A short string two people can compare out of band (read aloud, on paper)
 * to confirm they see the same keys:
 * SHA-512("OnionChat v1 fingerprint\0" || signPublicKey || boxPublicKey),
 * first 20 bytes, upper-case hex in 10 groups of 4.
 */
export function fingerprint(keys: IdentityKeys): string {
  requireLength(keys.signPublicKey, SIGN_PUBLIC_KEY_BYTES, 'Signing public key');
  requireLength(keys.boxPublicKey, BOX_PUBLIC_KEY_BYTES, 'Box public key');
  const digest = nacl.hash(concatBytes(FINGERPRINT_CONTEXT, keys.signPublicKey, keys.boxPublicKey));
  const hex = toHex(digest.subarray(0, FINGERPRINT_BYTES)).toUpperCase();
  const groups: string[] = [];
  for (let i = 0; i < hex.length; i += GROUP_HEX_CHARS) groups.push(hex.slice(i, i + GROUP_HEX_CHARS));
  return groups.join(' ');
}
