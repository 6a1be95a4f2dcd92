import nacl from 'tweetnacl';
import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU32, equalBytes, randomBytes } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { runNative, runSync, type Steps } from './crypto-steps.js';
import { BOX_SECRET_KEY_BYTES, SIGN_SEED_BYTES } from './key-sizes.js';
import { identitySteps, type Identity } from './identity.js';
import type { IdentityKeys } from './public-keys.js';
import { USERNAME_MIN, canonicalUsername, encodeUsernameField } from './username.js';

/** Outer (sealed) format version. */
export const KEY_BUNDLE_VERSION = 1;
/** Inner (plaintext) format version; versioned separately so either can change alone. */
export const KEY_BUNDLE_PLAINTEXT_VERSION = 1;
export const KEY_BUNDLE_NONCE_BYTES = nacl.secretbox.nonceLength; // 24
export const WRAP_KEY_BYTES = nacl.secretbox.keyLength; // 32
const MAC_BYTES = nacl.secretbox.overheadLength; // 16
const EXTENSION_TYPE_MAX = 0xff;
/** version(1) usernameLength(1) username(>= 3) boxSecretKey(32) signSeed(32) */
const MIN_PLAINTEXT_BYTES = 1 + 1 + USERNAME_MIN + BOX_SECRET_KEY_BYTES + SIGN_SEED_BYTES;
/** version(1) nonce(24) secretbox(>= 16 + plaintext) */
export const KEY_BUNDLE_MIN_BYTES = 1 + KEY_BUNDLE_NONCE_BYTES + MAC_BYTES + MIN_PLAINTEXT_BYTES;

/**
 * A type-length-value entry stored after the secrets, for data that must
 * stay as private as the keys (contact pins, the bundle state, the ML-KEM
 * seed; PROTOCOL.md section 6 lists the types). Readers keep entries they do
 * not understand so that re-sealing (e.g. on a passphrase change) by an
 * older client does not destroy data written by a newer one.
 */
export interface BundleExtension {
  type: number;
  value: Uint8Array;
}

export interface OpenedBundle {
  identity: Identity;
  extensions: BundleExtension[];
}

/**
 * sealed    = version(1)=1 || nonce(24) || secretbox(plaintext, nonce, wrapKey)
 * plaintext = version(1)=1 || u8 len(username) || username || boxSecretKey(32)
 *             || signSeed(32) || extensions (type u8, length u32 BE, value)*
 *
 * `nonce` is only for test vectors; in normal use it must be left out so a
 * fresh random nonce is drawn.
 */
export function sealKeyBundle(
  identity: Identity,
  wrapKey: Uint8Array,
  extensions: BundleExtension[] = [],
  nonce: Uint8Array = randomBytes(KEY_BUNDLE_NONCE_BYTES),
): Uint8Array {
  requireLength(wrapKey, WRAP_KEY_BYTES, 'Wrap key');
  requireLength(nonce, KEY_BUNDLE_NONCE_BYTES, 'Key bundle nonce');
  requireLength(identity.boxSecretKey, BOX_SECRET_KEY_BYTES, 'Box secret key');
  requireLength(identity.signSeed, SIGN_SEED_BYTES, 'Signing seed');
  const plaintext = concatBytes(
    Uint8Array.of(KEY_BUNDLE_PLAINTEXT_VERSION),
    encodeUsernameField(identity.username),
    identity.boxSecretKey,
    identity.signSeed,
    ...extensions.map(encodeExtension),
  );
  const box = nacl.secretbox(plaintext, nonce, wrapKey);
  plaintext.fill(0);
  return concatBytes(Uint8Array.of(KEY_BUNDLE_VERSION), nonce, box);
}

/**
 * Opens a sealed bundle for `username`. Pass `expected` (the user's
 * published public keys) whenever they are known: it catches a bundle whose
 * secrets do not belong to the published identity.
 */
export function openKeyBundle(
  sealed: Uint8Array,
  wrapKey: Uint8Array,
  username: string,
  expected?: IdentityKeys,
): OpenedBundle {
  return runSync(openSteps(sealed, wrapKey, username, expected));
}

/** openKeyBundle, deriving the public keys through the engine's native code where it can. */
export function openKeyBundleAsync(
  sealed: Uint8Array,
  wrapKey: Uint8Array,
  username: string,
  expected?: IdentityKeys,
): Promise<OpenedBundle> {
  return runNative(openSteps(sealed, wrapKey, username, expected));
}

function* openSteps(
  sealed: Uint8Array,
  wrapKey: Uint8Array,
  username: string,
  expected?: IdentityKeys,
): Steps<OpenedBundle> {
  requireLength(wrapKey, WRAP_KEY_BYTES, 'Wrap key');
  const canonical = canonicalUsername(username);
  const plaintext = decryptBundle(sealed, wrapKey);
  try {
    const opened = yield* parsePlaintext(plaintext, canonical);
    if (expected !== undefined) checkExpectedKeys(opened.identity, expected);
    return opened;
  } finally {
    plaintext.fill(0);
  }
}

function decryptBundle(sealed: Uint8Array, wrapKey: Uint8Array): Uint8Array {
  if (!(sealed instanceof Uint8Array) || sealed.length < KEY_BUNDLE_MIN_BYTES) {
    throw new ProtocolError(
      'bad-length',
      `A sealed key bundle is at least ${KEY_BUNDLE_MIN_BYTES} bytes long, got ${sealed?.length}.`,
    );
  }
  const reader = new ByteReader(sealed, 'Sealed key bundle');
  const version = reader.u8('version');
  if (version !== KEY_BUNDLE_VERSION) {
    throw new ProtocolError('bad-version', `Unknown key bundle version ${version}.`);
  }
  const nonce = reader.take(KEY_BUNDLE_NONCE_BYTES, 'nonce');
  const plaintext = nacl.secretbox.open(reader.take(reader.remaining, 'ciphertext'), nonce, wrapKey);
  if (plaintext === null) {
    throw new ProtocolError(
      'decrypt-failed',
      'The key bundle could not be decrypted: wrong passphrase, or the bundle was altered.',
    );
  }
  return plaintext;
}

function* parsePlaintext(plaintext: Uint8Array, canonical: string): Steps<OpenedBundle> {
  const reader = new ByteReader(plaintext, 'Key bundle');
  const version = reader.u8('version');
  if (version !== KEY_BUNDLE_PLAINTEXT_VERSION) {
    throw new ProtocolError('bad-version', `Unknown key bundle contents version ${version}.`);
  }
  const usernameField = encodeUsernameField(canonical);
  const nameLength = reader.u8('username length');
  const name = reader.take(nameLength, 'username');
  if (!equalBytes(concatBytes(Uint8Array.of(nameLength), name), usernameField)) {
    throw new ProtocolError('username-mismatch', `This key bundle does not belong to "${canonical}".`);
  }
  const boxSecretKey = reader.take(BOX_SECRET_KEY_BYTES, 'box secret key');
  const signSeed = reader.take(SIGN_SEED_BYTES, 'signing seed');
  const extensions: BundleExtension[] = [];
  while (reader.remaining > 0) {
    const type = reader.u8(`extension ${extensions.length} type`);
    const length = reader.u32(`extension ${extensions.length} length`);
    extensions.push({ type, value: reader.take(length, `extension ${extensions.length} value`) });
  }
  const identity = yield* identitySteps(canonical, boxSecretKey, signSeed, null);
  boxSecretKey.fill(0);
  signSeed.fill(0);
  return { identity, extensions };
}

function checkExpectedKeys(identity: Identity, expected: IdentityKeys): void {
  const sameSign = equalBytes(identity.signPublicKey, expected.signPublicKey);
  const sameBox = equalBytes(identity.boxPublicKey, expected.boxPublicKey);
  if (!sameSign || !sameBox) {
    throw new ProtocolError(
      'key-mismatch',
      'The keys in this bundle do not match the published public keys for this account.',
    );
  }
}

/**
 * `extensions` with `value` as the one entry of `type`: in place of the first such
 * entry (any others of that type go), else at the end. Other entries keep their order.
 */
export function withExtension(
  extensions: readonly BundleExtension[],
  type: number,
  value: Uint8Array,
): BundleExtension[] {
  const at = extensions.findIndex((extension) => extension.type === type);
  if (at < 0) return [...extensions, { type, value }];
  return extensions.flatMap((extension, i) => {
    if (i === at) return [{ type, value }];
    return extension.type === type ? [] : [extension];
  });
}

function encodeExtension(extension: BundleExtension): Uint8Array {
  const { type, value } = extension;
  if (!Number.isInteger(type) || type < 0 || type > EXTENSION_TYPE_MAX) {
    throw new ProtocolError('bad-encoding', `Bundle extension type must be 0-255, got ${type}.`);
  }
  if (!(value instanceof Uint8Array)) {
    throw new ProtocolError('bad-encoding', 'Bundle extension value must be a Uint8Array.');
  }
  return concatBytes(Uint8Array.of(type), encodeU32(value.length), value);
}
