// Writes protocol/testdata/vectors.json from the built package (protocol/dist).
// Everything is deterministic: seeds, salts, nonces and keys come from
// SHA-512 of fixed labels, so running this twice gives an identical file.
// Run with: npm run vectors -w protocol   (builds first)
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import nacl from 'tweetnacl';
import * as p from '../dist/index.js';

const OUTPUT = new URL('../testdata/vectors.json', import.meta.url);
const hex = p.toHex;
const utf8 = (text) => new TextEncoder().encode(text);

/** Fixed pseudo-random bytes: the first n bytes of SHA-512("OnionChat test vector: " || label). */
function fixed(label, n) {
  return nacl.hash(utf8(`OnionChat test vector: ${label}`)).slice(0, n);
}

function flipBit(bytes, index, bit = 0) {
  const out = bytes.slice();
  out[index] ^= 1 << bit;
  return out;
}

function withByte(bytes, index, value) {
  const out = bytes.slice();
  out[index] = value;
  return out;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function u32(value) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

const usernameField = (name) => concat(Uint8Array.of(name.length), utf8(name));

// ---------------------------------------------------------------- identities

const people = {};
for (const name of ['alice', 'bob', 'carol_99']) {
  people[name] = p.identityFromSeeds(name, fixed(`${name} box secret key`, 32), fixed(`${name} sign seed`, 32));
}
/**
 * The same person with ML-KEM-768 keys from a fixed 64-byte seed. `people` stay without
 * them: the room and message vectors use them as accounts that were not upgraded.
 */
const upgraded = (who) =>
  p.identityFromSeeds(who.username, who.boxSecretKey, who.signSeed, fixed(`${who.username} kem seed`, 64));
const alice = people.alice;
const bob = people.bob;

const identity = Object.values(people)
  .map(upgraded)
  .map((id) => ({
    username: id.username,
    boxSecretKey: hex(id.boxSecretKey),
    signSeed: hex(id.signSeed),
    boxPublicKey: hex(id.boxPublicKey),
    signPublicKey: hex(id.signPublicKey),
    signSecretKey: hex(id.signSecretKey),
    kemSeed: hex(id.kem.seed),
    kemPublicKey: hex(id.kem.publicKey),
    kemSecretKeySha256: createHash('sha256').update(id.kem.secretKey).digest('hex'),
  }));

// ---------------------------------------------------------------- KDF

const kdfParamsValid = [
  { name: 'minimum iterations', iterations: 600_000, salt: fixed('salt 1', 16) },
  { name: 'one million iterations', iterations: 1_000_000, salt: fixed('salt 2', 16) },
  { name: 'maximum iterations', iterations: p.KDF_MAX_ITERATIONS, salt: new Uint8Array(16).fill(0xff) },
].map(({ name, iterations, salt }) => ({
  name,
  encoded: hex(p.encodeKdfParams(p.newKdfParams(iterations, salt))),
  algorithm: p.KDF_PBKDF2_SHA256,
  iterations,
  salt: hex(salt),
}));

const goodParams = p.encodeKdfParams(p.newKdfParams(600_000, fixed('salt 1', 16)));
const paramsWith = (iterations) => concat(goodParams.subarray(0, 2), u32(iterations), goodParams.subarray(6));

const kdfParamsInvalid = [
  { name: 'empty', encoded: new Uint8Array(0), error: 'bad-length' },
  { name: 'one byte short', encoded: goodParams.subarray(0, 22), error: 'bad-length' },
  { name: 'one byte too long', encoded: concat(goodParams, Uint8Array.of(0)), error: 'bad-length' },
  { name: 'version 0', encoded: withByte(goodParams, 0, 0), error: 'bad-version' },
  { name: 'version 2', encoded: withByte(goodParams, 0, 2), error: 'bad-version' },
  { name: 'algorithm 0', encoded: withByte(goodParams, 1, 0), error: 'bad-algorithm' },
  { name: 'algorithm 2 (unknown)', encoded: withByte(goodParams, 1, 2), error: 'bad-algorithm' },
  { name: 'iterations 0', encoded: paramsWith(0), error: 'weak-kdf' },
  { name: 'iterations 1000', encoded: paramsWith(1000), error: 'weak-kdf' },
  { name: 'iterations one below minimum', encoded: paramsWith(599_999), error: 'weak-kdf' },
  { name: 'iterations one above maximum', encoded: paramsWith(10_000_001), error: 'bad-algorithm' },
  { name: 'iterations 2^32-1', encoded: paramsWith(0xffff_ffff), error: 'bad-algorithm' },
  { name: 'salt length byte 15', encoded: withByte(goodParams, 6, 15), error: 'bad-length' },
  { name: 'salt length byte 32', encoded: withByte(goodParams, 6, 32), error: 'bad-length' },
].map(({ name, encoded, error }) => ({ name, encoded: hex(encoded), error }));

const derivationCases = [
  {
    name: 'ASCII passphrase',
    passphrase: 'correct horse battery staple',
    username: 'alice',
    iterations: 600_000,
    salt: fixed('salt 1', 16),
  },
  {
    name: 'same passphrase, other username',
    passphrase: 'correct horse battery staple',
    username: 'bob',
    iterations: 600_000,
    salt: fixed('salt 1', 16),
  },
  {
    name: 'username is normalized (trim, lower case)',
    passphrase: 'correct horse battery staple',
    username: '  ALICE ',
    iterations: 600_000,
    salt: fixed('salt 1', 16),
  },
  // NFKC: full-width letters, a decomposed e + combining acute, and the "fi" ligature.
  {
    name: 'non-ASCII passphrase (needs NFKC)',
    passphrase: 'Ｃａｆｅ\u0301 \uFB01sh tacos ☕ 2024',
    username: 'carol_99',
    iterations: 1_000_000,
    salt: fixed('salt 2', 16),
  },
  {
    name: 'same passphrase in NFKC form gives the same keys',
    passphrase: 'Caf\u00e9 fish tacos ☕ 2024',
    username: 'carol_99',
    iterations: 1_000_000,
    salt: fixed('salt 2', 16),
  },
];

const kdfDerivation = [];
for (const { name, passphrase, username, iterations, salt } of derivationCases) {
  const params = p.newKdfParams(iterations, salt);
  const keys = await p.deriveAccountKeys(passphrase, username, params);
  kdfDerivation.push({
    name,
    passphrase,
    passphraseUtf8: hex(utf8(passphrase)),
    username,
    params: hex(p.encodeKdfParams(params)),
    authKey: hex(keys.authKey),
    wrapKey: hex(keys.wrapKey),
  });
}
const aliceWrapKey = p.fromHex(kdfDerivation[0].wrapKey);

// ---------------------------------------------------------------- public keys

/** A v1 record does not carry the account id, so it reads the same under any id. */
const V1_ANY_USER_ID = '00000000-0000-4000-8000-000000000000';
const publicKeysValid = Object.values(people).map((id) => {
  const record = p.encodePublicKeysV1(id);
  return {
    username: id.username,
    boxSecretKey: hex(id.boxSecretKey),
    signSeed: hex(id.signSeed),
    record: hex(record),
    base64: p.toBase64(record),
    fingerprint: p.fingerprint(p.decodePublicKeys(record, id.username, V1_ANY_USER_ID)),
  };
});

/** A correctly signed record around any box key, to test the key checks behind the signature. */
function signedRecord(id, boxPublicKey, version = p.PUBLIC_KEYS_V1) {
  const body = concat(Uint8Array.of(version), id.signPublicKey, boxPublicKey);
  const message = concat(utf8('OnionChat v1 public keys\0'), usernameField(id.username), body);
  return concat(body, nacl.sign.detached(message, id.signSecretKey));
}

const aliceRecord = p.encodePublicKeysV1(alice);
const smallOrderKey = p.fromHex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800');
const publicKeysInvalid = [
  { name: 'empty', record: new Uint8Array(0), error: 'bad-length' },
  { name: 'one byte short', record: aliceRecord.subarray(0, 128), error: 'bad-length' },
  { name: 'one byte too long', record: concat(aliceRecord, Uint8Array.of(0)), error: 'bad-length' },
  { name: 'version 0', record: withByte(aliceRecord, 0, 0), error: 'bad-version' },
  {
    name: 'version 2 at the v1 length (validly signed)',
    record: signedRecord(alice, alice.boxPublicKey, 2),
    error: 'bad-length',
  },
  { name: 'version 3 (validly signed)', record: signedRecord(alice, alice.boxPublicKey, 3), error: 'bad-version' },
  { name: 'flipped bit in signing key', record: flipBit(aliceRecord, 1), error: 'bad-signature' },
  { name: 'flipped bit in box key', record: flipBit(aliceRecord, 33), error: 'bad-signature' },
  { name: 'flipped bit in signature', record: flipBit(aliceRecord, 65), error: 'bad-signature' },
  { name: 'last signature bit flipped', record: flipBit(aliceRecord, 128, 7), error: 'bad-signature' },
  {
    name: "bob's box key under alice's signature",
    record: concat(aliceRecord.subarray(0, 33), bob.boxPublicKey, aliceRecord.subarray(65)),
    error: 'bad-signature',
  },
  { name: 'wrong username', record: aliceRecord, username: 'bob', error: 'bad-signature' },
  { name: 'username that is a prefix', record: aliceRecord, username: 'alic', error: 'bad-signature' },
  { name: 'invalid username', record: aliceRecord, username: '1alice', error: 'bad-encoding' },
  { name: 'all-zero box key (validly signed)', record: signedRecord(alice, new Uint8Array(32)), error: 'bad-key' },
  { name: 'small-order box key (validly signed)', record: signedRecord(alice, smallOrderKey), error: 'bad-key' },
  {
    name: 'zero box key with bit 255 set (validly signed)',
    record: signedRecord(alice, withByte(new Uint8Array(32), 31, 0x80)),
    error: 'bad-key',
  },
].map(({ name, record, username = 'alice', error }) => ({ name, username, record: hex(record), error }));

// ---------------------------------------------------------------- key bundle

const bundleCases = [
  { name: 'no extensions', id: alice, wrapKey: aliceWrapKey, extensions: [] },
  {
    name: 'one extension',
    id: bob,
    wrapKey: fixed('bob wrap key', 32),
    extensions: [{ type: 1, value: utf8('pinned keys go here') }],
  },
  {
    name: 'several extensions, including an empty value and unknown types',
    id: people.carol_99,
    wrapKey: fixed('carol wrap key', 32),
    extensions: [
      { type: 0xff, value: new Uint8Array(0) },
      { type: 7, value: fixed('extension value', 40) },
      { type: 7, value: Uint8Array.of(1) },
    ],
  },
];

const keyBundleValid = bundleCases.map(({ name, id, wrapKey, extensions }) => {
  const nonce = fixed(`${id.username} bundle nonce`, 24);
  return {
    name,
    username: id.username,
    boxSecretKey: hex(id.boxSecretKey),
    signSeed: hex(id.signSeed),
    wrapKey: hex(wrapKey),
    nonce: hex(nonce),
    extensions: extensions.map(({ type, value }) => ({ type, value: hex(value) })),
    sealed: hex(p.sealKeyBundle(id, wrapKey, extensions, nonce)),
  };
});

const bundleNonce = fixed('alice bundle nonce', 24);
const aliceBundle = p.fromHex(keyBundleValid[0].sealed);
const bobBundle = p.fromHex(keyBundleValid[1].sealed);
const secrets = (id) => concat(id.boxSecretKey, id.signSeed);

/** Seals an arbitrary plaintext, to test what lies behind the MAC. */
function sealRaw(plaintext) {
  return concat(Uint8Array.of(p.KEY_BUNDLE_VERSION), bundleNonce, nacl.secretbox(plaintext, bundleNonce, aliceWrapKey));
}
const alicePlaintext = (...tail) => concat(Uint8Array.of(1), usernameField('alice'), secrets(alice), ...tail);

const alicePublic = { signPublicKey: hex(alice.signPublicKey), boxPublicKey: hex(alice.boxPublicKey) };
const bobPublic = { signPublicKey: hex(bob.signPublicKey), boxPublicKey: hex(bob.boxPublicKey) };

const keyBundleInvalid = [
  { name: 'empty', sealed: new Uint8Array(0), error: 'bad-length' },
  {
    name: 'one byte below the minimum length',
    sealed: aliceBundle.subarray(0, p.KEY_BUNDLE_MIN_BYTES - 1),
    error: 'bad-length',
  },
  { name: 'outer version 0', sealed: withByte(aliceBundle, 0, 0), error: 'bad-version' },
  { name: 'outer version 2', sealed: withByte(aliceBundle, 0, 2), error: 'bad-version' },
  { name: 'flipped bit in nonce', sealed: flipBit(aliceBundle, 1), error: 'decrypt-failed' },
  { name: 'flipped bit in MAC', sealed: flipBit(aliceBundle, 25), error: 'decrypt-failed' },
  { name: 'flipped bit in ciphertext', sealed: flipBit(aliceBundle, 60), error: 'decrypt-failed' },
  { name: 'last byte removed', sealed: aliceBundle.subarray(0, aliceBundle.length - 1), error: 'decrypt-failed' },
  { name: 'byte appended', sealed: concat(aliceBundle, Uint8Array.of(0)), error: 'decrypt-failed' },
  { name: 'wrong wrap key', sealed: aliceBundle, wrapKey: fixed('bob wrap key', 32), error: 'decrypt-failed' },
  {
    name: 'wrap key with one bit flipped',
    sealed: aliceBundle,
    wrapKey: flipBit(aliceWrapKey, 0),
    error: 'decrypt-failed',
  },
  { name: 'inner version 0', sealed: sealRaw(withByte(alicePlaintext(), 0, 0)), error: 'bad-version' },
  { name: 'inner version 2', sealed: sealRaw(withByte(alicePlaintext(), 0, 2)), error: 'bad-version' },
  { name: 'opened as another user', sealed: aliceBundle, username: 'bob', error: 'username-mismatch' },
  {
    name: 'username field says bob',
    sealed: sealRaw(concat(Uint8Array.of(1), usernameField('bob'), secrets(alice))),
    error: 'username-mismatch',
  },
  {
    name: 'username field in upper case',
    sealed: sealRaw(concat(Uint8Array.of(1), usernameField('ALICE'), secrets(alice))),
    error: 'username-mismatch',
  },
  {
    name: 'username length runs past the end',
    sealed: sealRaw(concat(Uint8Array.of(1, 200), utf8('alice'), secrets(alice))),
    error: 'bad-length',
  },
  {
    name: 'signing seed truncated',
    sealed: sealRaw(alicePlaintext().subarray(0, 1 + 6 + 32 + 31)),
    error: 'bad-length',
  },
  { name: 'TLV: type without length', sealed: sealRaw(alicePlaintext(Uint8Array.of(1))), error: 'bad-length' },
  { name: 'TLV: length cut short', sealed: sealRaw(alicePlaintext(Uint8Array.of(1, 0, 0))), error: 'bad-length' },
  {
    name: 'TLV: value shorter than its length',
    sealed: sealRaw(alicePlaintext(Uint8Array.of(1), u32(10), new Uint8Array(9))),
    error: 'bad-length',
  },
  {
    name: 'TLV: second entry truncated',
    sealed: sealRaw(alicePlaintext(Uint8Array.of(1), u32(1), Uint8Array.of(9), Uint8Array.of(2), u32(0xffff_ffff))),
    error: 'bad-length',
  },
  { name: "expected public keys are bob's", sealed: aliceBundle, expected: bobPublic, error: 'key-mismatch' },
  {
    name: 'expected box key differs',
    sealed: aliceBundle,
    expected: { ...alicePublic, boxPublicKey: bobPublic.boxPublicKey },
    error: 'key-mismatch',
  },
  {
    name: 'expected signing key differs',
    sealed: aliceBundle,
    expected: { ...alicePublic, signPublicKey: bobPublic.signPublicKey },
    error: 'key-mismatch',
  },
  {
    name: "bob's secrets sealed as alice's",
    sealed: sealRaw(concat(Uint8Array.of(1), usernameField('alice'), secrets(bob))),
    expected: alicePublic,
    error: 'key-mismatch',
  },
  {
    name: "bob's bundle with bob's wrap key, opened as alice",
    sealed: bobBundle,
    wrapKey: fixed('bob wrap key', 32),
    error: 'username-mismatch',
  },
  { name: 'invalid username', sealed: aliceBundle, username: 'a', error: 'bad-encoding' },
].map(({ name, sealed, wrapKey = aliceWrapKey, username = 'alice', expected, error }) => ({
  name,
  username,
  wrapKey: hex(wrapKey),
  sealed: hex(sealed),
  ...(expected === undefined ? {} : { expected }),
  error,
}));

// ---------------------------------------------------------------- base64

const base64Valid = [
  new Uint8Array(0),
  Uint8Array.of(0),
  Uint8Array.of(0xff, 0xfe),
  Uint8Array.of(1, 2, 3),
  Uint8Array.of(0xfb, 0xff, 0xbf),
  utf8('OnionChat'),
  fixed('base64', 32),
].map((bytes) => ({ bytes: hex(bytes), text: p.toBase64(bytes) }));

const base64Invalid = [
  ['A', 'length not a multiple of 4'],
  ['AQ', 'missing padding'],
  ['AQI', 'missing padding'],
  ['AQID=', 'length not a multiple of 4'],
  ['AR==', 'non-zero unused bits (one byte)'],
  ['AQJ=', 'non-zero unused bits (two bytes)'],
  ['A===', 'too much padding'],
  ['====', 'only padding'],
  ['AQ=A', 'padding in the middle'],
  ['AQ==AQ==', 'padding in the middle'],
  ['AQID====', 'padding group after data'],
  ['-_-_', 'URL-safe alphabet'],
  ['AQI D', 'space'],
  ['AQID\n', 'trailing newline'],
  [' AQID', 'leading space'],
  ['AQ\u00c9=', 'non-ASCII character'],
  ['AQ%D', 'character outside the alphabet'],
].map(([text, name]) => ({ name, text, error: 'bad-encoding' }));

// ---------------------------------------------------------------- usernames

const usernames = [
  'alice',
  'Alice',
  '  bob  ',
  'carol_99',
  'abc',
  'a'.repeat(32),
  'a'.repeat(33),
  'ab',
  '1alice',
  '_alice',
  'al ice',
  'alice-b',
  'ålice',
  '',
].map((input) => {
  const canonical = p.normalizeUsername(input);
  return { input, canonical, valid: p.usernameProblem(canonical) === null };
});

// ---------------------------------------------------------------- UUIDs

const uuidValid = [
  '00000000-0000-0000-0000-000000000000',
  '00112233-4455-6677-8899-aabbccddeeff',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
].map((text) => ({ text, bytes: hex(p.uuidToBytes(text)) }));

const uuidInvalid = [
  ['', 'empty'],
  ['00112233-4455-6677-8899-AABBCCDDEEFF', 'upper case'],
  ['00112233445566778899aabbccddeeff', 'no dashes'],
  ['{00112233-4455-6677-8899-aabbccddeeff}', 'braces'],
  ['urn:uuid:00112233-4455-6677-8899-aabbccddeeff', 'URN prefix'],
  ['00112233-4455-6677-8899-aabbccddeeff ', 'trailing space'],
  ['001122334-455-6677-8899-aabbccddeeff', 'dash in the wrong place'],
  ['00112233-4455-6677-8899-aabbccddeef', 'one digit short'],
  ['00112233-4455-6677-8899-aabbccddeefg', 'not hex'],
].map(([text, name]) => ({ name, text, error: 'bad-encoding' }));

// ---------------------------------------------------------------- users (ids and identities for rooms and messages)

/** A fixed id with the version 4 and variant bits set, like a real random UUID. */
function fixedUuid(label) {
  const bytes = fixed(`${label} id`, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return p.bytesToUuid(bytes);
}

const mallory = p.identityFromSeeds('mallory', fixed('mallory box secret key', 32), fixed('mallory sign seed', 32));
const members = {};
for (const id of [alice, bob, people.carol_99, mallory]) {
  members[id.username] = { id: fixedUuid(`user ${id.username}`), identity: id };
}
const carol = people.carol_99;
const userId = (identity) => members[identity.username].id;
const publicOf = (identity, id = userId(identity)) => ({
  id,
  signPublicKey: hex(identity.signPublicKey),
  boxPublicKey: hex(identity.boxPublicKey),
});

const users = Object.values(members).map(({ id, identity: who }) => ({
  id,
  username: who.username,
  boxSecretKey: hex(who.boxSecretKey),
  signSeed: hex(who.signSeed),
  boxPublicKey: hex(who.boxPublicKey),
  signPublicKey: hex(who.signPublicKey),
}));

// ---------------------------------------------------------------- public keys, v2 (bound to the user id)

const publicKeysV2Valid = [alice, bob, carol].map(upgraded).map((who) => {
  const record = p.encodePublicKeys(who, userId(who));
  return { username: who.username, userId: userId(who), record: hex(record), base64: p.toBase64(record) };
});

/** A correctly signed v2 record around any fields, to test the checks behind the signature. */
function signedRecordV2(
  who,
  { version = 2, id = userId(who), boxPublicKey = who.boxPublicKey, kem = who.kem.publicKey },
) {
  const body = concat(Uint8Array.of(version), p.uuidToBytes(id), who.signPublicKey, boxPublicKey, kem);
  const message = concat(utf8('OnionChat v2 public keys\0'), usernameField(who.username), body);
  return concat(body, nacl.sign.detached(message, who.signSecretKey));
}
/** The first 12-bit coefficient of an ML-KEM public key set to `value` (FIPS 203 packs them little-endian). */
function withFirstKemCoefficient(key, value) {
  const out = withByte(key, 0, value & 0xff);
  out[1] = (out[1] & 0xf0) | (value >> 8);
  return out;
}
const aliceRecordV2 = p.fromHex(publicKeysV2Valid[0].record);
const aliceV2 = upgraded(alice);
const publicKeysV2Invalid = [
  { name: 'one byte short', record: aliceRecordV2.subarray(0, 1328), error: 'bad-length' },
  { name: 'one byte too long', record: concat(aliceRecordV2, Uint8Array.of(0)), error: 'bad-length' },
  { name: 'v1 record length with version 2', record: aliceRecordV2.subarray(0, 129), error: 'bad-length' },
  { name: 'version 3 at the v2 length', record: signedRecordV2(aliceV2, { version: 3 }), error: 'bad-version' },
  { name: 'flipped bit in user id', record: flipBit(aliceRecordV2, 1), error: 'bad-signature' },
  { name: 'flipped bit in signing key', record: flipBit(aliceRecordV2, 17), error: 'bad-signature' },
  { name: 'flipped bit in box key', record: flipBit(aliceRecordV2, 49), error: 'bad-signature' },
  { name: 'flipped bit in ML-KEM key', record: flipBit(aliceRecordV2, 81), error: 'bad-signature' },
  { name: 'last signature bit flipped', record: flipBit(aliceRecordV2, 1328, 7), error: 'bad-signature' },
  { name: 'wrong username', record: aliceRecordV2, username: 'bob', error: 'bad-signature' },
  { name: "served under bob's id", record: aliceRecordV2, userId: userId(bob), error: 'context-mismatch' },
  {
    name: 'signed for another id (the name taken over by a new account)',
    record: signedRecordV2(aliceV2, { id: fixedUuid('user alice, an older account') }),
    error: 'context-mismatch',
  },
  { name: 'expected id not a canonical UUID', record: aliceRecordV2, userId: 'ALICE', error: 'bad-encoding' },
  {
    name: 'small-order box key (validly signed)',
    record: signedRecordV2(aliceV2, { boxPublicKey: smallOrderKey }),
    error: 'bad-key',
  },
  {
    name: 'ML-KEM coefficient equal to q = 3329 (validly signed)',
    record: signedRecordV2(aliceV2, { kem: withFirstKemCoefficient(aliceV2.kem.publicKey, 3329) }),
    error: 'bad-key',
  },
  {
    name: 'ML-KEM coefficient 4095 (validly signed)',
    record: signedRecordV2(aliceV2, { kem: withFirstKemCoefficient(aliceV2.kem.publicKey, 4095) }),
    error: 'bad-key',
  },
].map(({ name, record, username = 'alice', userId: id = userId(alice), error }) => ({
  name,
  username,
  userId: id,
  record: hex(record),
  error,
}));

// ---------------------------------------------------------------- ML-KEM seed (key bundle extension type 3)

const kemSeedValid = [alice, bob].map(upgraded).map((who) => ({
  username: who.username,
  value: hex(p.encodeKemSeed(who.kem.seed)),
  kemPublicKey: hex(who.kem.publicKey),
}));
const aliceKemSeed = p.fromHex(kemSeedValid[0].value);
const kemSeedInvalid = [
  { name: 'empty', value: new Uint8Array(0), error: 'bad-length' },
  { name: 'one byte short', value: aliceKemSeed.subarray(0, 64), error: 'bad-length' },
  { name: 'one byte too long', value: concat(aliceKemSeed, Uint8Array.of(0)), error: 'bad-length' },
  { name: 'version 0', value: withByte(aliceKemSeed, 0, 0), error: 'bad-version' },
  { name: 'version 2', value: withByte(aliceKemSeed, 0, 2), error: 'bad-version' },
].map(({ name, value, error }) => ({ name, value: hex(value), error }));

const roomA = fixedUuid('room A');
const roomB = fixedUuid('room B');
const keyOf = (room, epoch) => fixed(`room ${room === roomA ? 'A' : 'B'} epoch ${epoch} key`, 32);

// ---------------------------------------------------------------- wrapped room keys

const roomKeyCases = [
  { name: 'alice wraps room A epoch 1 for herself', wrapper: alice, member: alice, roomId: roomA, epoch: 1 },
  { name: 'alice wraps room A epoch 1 for bob', wrapper: alice, member: bob, roomId: roomA, epoch: 1 },
  { name: 'bob wraps room B epoch 3 for carol_99', wrapper: bob, member: carol, roomId: roomB, epoch: 3 },
];

const roomKeyValid = roomKeyCases.map(({ name, wrapper, member, roomId, epoch }) => {
  const context = { roomId, epoch, memberId: userId(member), wrapperId: userId(wrapper) };
  const roomKey = keyOf(roomId, epoch);
  const nonce = fixed(`${name} nonce`, 24);
  return {
    name,
    wrapper: wrapper.username,
    member: member.username,
    context,
    roomKey: hex(roomKey),
    nonce: hex(nonce),
    record: hex(p.wrapRoomKey(roomKey, context, wrapper, member.boxPublicKey, nonce)),
  };
});

const aliceToBob = p.fromHex(roomKeyValid[1].record);
const roomKeyNonce = p.fromHex(roomKeyValid[1].nonce);

/** Any room key record, signed by `signer`, to test what lies behind (or in front of) the signature. */
function rawRoomKey({
  version = 1,
  roomId = roomA,
  epoch = 1,
  memberId = userId(bob),
  wrapperId = userId(alice),
  memberBox = bob.boxPublicKey,
  boxer = alice,
  box = nacl.box(keyOf(roomA, 1), roomKeyNonce, memberBox, boxer.boxSecretKey),
  signer = alice,
}) {
  const body = concat(
    Uint8Array.of(version),
    p.uuidToBytes(roomId),
    u32(epoch),
    p.uuidToBytes(memberId),
    p.uuidToBytes(wrapperId),
    memberBox,
    roomKeyNonce,
    box,
  );
  return concat(body, nacl.sign.detached(concat(utf8('OnionChat v1 room key\0'), body), signer.signSecretKey));
}

const forBob = { roomId: roomA, epoch: 1, memberId: userId(bob) };
const roomKeyInvalid = [
  { name: 'empty', record: new Uint8Array(0), error: 'bad-length' },
  { name: 'one byte short', record: aliceToBob.subarray(0, 220), error: 'bad-length' },
  { name: 'one byte too long', record: concat(aliceToBob, Uint8Array.of(0)), error: 'bad-length' },
  { name: 'version 0', record: withByte(aliceToBob, 0, 0), error: 'bad-version' },
  { name: 'version 3 (validly signed)', record: rawRoomKey({ version: 3 }), error: 'bad-version' },
  {
    name: 'version 2 byte on a 221-byte record (validly signed)',
    record: rawRoomKey({ version: 2 }),
    error: 'bad-length',
  },
  { name: 'epoch 0 (validly signed)', record: rawRoomKey({ epoch: 0 }), error: 'bad-encoding' },
  { name: 'flipped bit in signature', record: flipBit(aliceToBob, 157), error: 'bad-signature' },
  { name: 'last signature bit flipped', record: flipBit(aliceToBob, 220, 7), error: 'bad-signature' },
  { name: 'flipped bit in room id', record: flipBit(aliceToBob, 1), error: 'bad-signature' },
  { name: 'flipped bit in epoch (1 becomes 3)', record: flipBit(aliceToBob, 20, 1), error: 'bad-signature' },
  { name: 'flipped bit in boxed key', record: flipBit(aliceToBob, 120), error: 'bad-signature' },
  {
    name: "carol's box key put in, signature unchanged",
    record: concat(aliceToBob.subarray(0, 53), carol.boxPublicKey, aliceToBob.subarray(85)),
    error: 'bad-signature',
  },
  {
    name: 'mallory (not the wrapper) re-signs a record naming alice as wrapper',
    record: rawRoomKey({ boxer: mallory, signer: mallory }),
    error: 'bad-signature',
  },
  {
    name: 'genuine record, but the server says carol_99 wrapped it',
    record: aliceToBob,
    wrapper: publicOf(carol),
    error: 'bad-signature',
  },
  {
    name: "mallory's record naming alice as wrapper, checked against mallory",
    record: rawRoomKey({ boxer: mallory, signer: mallory }),
    wrapper: publicOf(mallory),
    error: 'context-mismatch',
  },
  {
    name: 'filed under room B',
    record: aliceToBob,
    expected: { ...forBob, roomId: roomB },
    error: 'context-mismatch',
  },
  { name: 'filed under epoch 2', record: aliceToBob, expected: { ...forBob, epoch: 2 }, error: 'context-mismatch' },
  {
    name: "bob's record filed for carol_99",
    record: aliceToBob,
    me: 'carol_99',
    expected: { ...forBob, memberId: userId(carol) },
    error: 'context-mismatch',
  },
  {
    name: "record for carol_99 wrapped to bob's box key",
    record: rawRoomKey({ memberId: userId(carol), memberBox: bob.boxPublicKey }),
    me: 'carol_99',
    expected: { ...forBob, memberId: userId(carol) },
    error: 'key-mismatch',
  },
  {
    name: "signed by alice, boxed with mallory's secret key",
    record: rawRoomKey({ boxer: mallory }),
    error: 'decrypt-failed',
  },
  {
    name: 'boxed key altered, then re-signed by alice',
    record: rawRoomKey({
      box: flipBit(nacl.box(keyOf(roomA, 1), roomKeyNonce, bob.boxPublicKey, alice.boxSecretKey), 20),
    }),
    error: 'decrypt-failed',
  },
].map(({ name, record, expected = forBob, me = 'bob', wrapper = publicOf(alice), error }) => ({
  name,
  record: hex(record),
  expected,
  me,
  wrapper,
  error,
}));

// ---------------------------------------------------------------- hybrid wrapped room keys (version 2)

/** The same people with ML-KEM-768 keys, from fixed 64-byte seeds. */
const kemSeedOf = (identity) => fixed(`${identity.username} kem seed`, 64);
const withKem = (identity) =>
  p.identityFromSeeds(identity.username, identity.boxSecretKey, identity.signSeed, kemSeedOf(identity));
const hybridPeople = Object.fromEntries([alice, bob, carol, mallory].map((who) => [who.username, withKem(who)]));
const hybridKeysOf = (username) => ({
  boxPublicKey: hybridPeople[username].boxPublicKey,
  kemPublicKey: hybridPeople[username].kem.publicKey,
});
const kemKeyDigest = (kemPublicKey) => nacl.hash(kemPublicKey).slice(0, 32);

const hybridCases = [
  { name: 'alice wraps room A epoch 2 for herself', wrapper: 'alice', member: 'alice', roomId: roomA, epoch: 2 },
  { name: 'alice wraps room A epoch 2 for bob', wrapper: 'alice', member: 'bob', roomId: roomA, epoch: 2 },
  { name: 'bob wraps room B epoch 4 for carol_99', wrapper: 'bob', member: 'carol_99', roomId: roomB, epoch: 4 },
];

const hybridValid = hybridCases.map(({ name, wrapper, member, roomId, epoch }) => {
  const context = { roomId, epoch, memberId: members[member].id, wrapperId: members[wrapper].id };
  const roomKey = keyOf(roomId, epoch);
  const nonce = fixed(`${name} nonce`, 24);
  const kemSeed = fixed(`${name} ML-KEM encapsulation`, 32);
  const record = p.wrapRoomKeyHybrid(roomKey, context, hybridPeople[wrapper], hybridKeysOf(member), { nonce, kemSeed });
  return {
    name,
    wrapper,
    member,
    context,
    roomKey: hex(roomKey),
    nonce: hex(nonce),
    kemSeed: hex(kemSeed),
    record: hex(record),
  };
});

const hybridAliceToBob = p.fromHex(hybridValid[1].record);
const HYBRID_SIGNED_BYTES = 1277;
const signHybrid = (body, signer) =>
  concat(body, nacl.sign.detached(concat(utf8('OnionChat v2 room key\0'), body), signer.signSecretKey));
/** A genuine record with bytes replaced from `offset` on, then signed again by alice. */
function resignedHybrid(record, offset, bytes, signer = alice) {
  const body = record.slice(0, HYBRID_SIGNED_BYTES);
  body.set(bytes, offset);
  return signHybrid(body, signer);
}
const HYBRID_KEM_CIPHERTEXT_OFFSET = 117;
const HYBRID_BOX_OFFSET = 1229;
const hybridForBob = { roomId: roomA, epoch: 2, memberId: userId(bob) };
const hybridForCarol = { ...hybridForBob, memberId: userId(carol) };
/** A record for carol_99 in room A epoch 2, wrapped by alice with the member keys given. */
const hybridToCarol = (memberKeys, wrapper = hybridPeople.alice) =>
  p.wrapRoomKeyHybrid(keyOf(roomA, 2), { ...hybridForCarol, wrapperId: userId(alice) }, wrapper, memberKeys, {
    nonce: fixed('hybrid invalid nonce', 24),
    kemSeed: fixed('hybrid invalid ML-KEM encapsulation', 32),
  });

const hybridInvalid = [
  { name: 'one byte short', record: hybridAliceToBob.subarray(0, 1340), error: 'bad-length' },
  { name: 'one byte too long', record: concat(hybridAliceToBob, Uint8Array.of(0)), error: 'bad-length' },
  { name: 'version 1 byte on a 1341-byte record', record: withByte(hybridAliceToBob, 0, 1), error: 'bad-length' },
  { name: 'version 3', record: withByte(hybridAliceToBob, 0, 3), error: 'bad-version' },
  {
    name: 'epoch 0 (validly signed)',
    record: resignedHybrid(hybridAliceToBob, 17, u32(0)),
    error: 'bad-encoding',
  },
  { name: 'flipped bit in signature', record: flipBit(hybridAliceToBob, 1277), error: 'bad-signature' },
  { name: 'flipped bit in member ML-KEM key digest', record: flipBit(hybridAliceToBob, 90), error: 'bad-signature' },
  { name: 'flipped bit in ML-KEM ciphertext', record: flipBit(hybridAliceToBob, 700), error: 'bad-signature' },
  { name: 'flipped bit in secretbox', record: flipBit(hybridAliceToBob, 1240), error: 'bad-signature' },
  {
    name: 'genuine record, but the server says carol_99 wrapped it',
    record: hybridAliceToBob,
    wrapper: publicOf(carol),
    error: 'bad-signature',
  },
  {
    name: 'filed under epoch 3',
    record: hybridAliceToBob,
    expected: { ...hybridForBob, epoch: 3 },
    error: 'context-mismatch',
  },
  {
    name: "record for carol_99 wrapped to bob's box key",
    record: hybridToCarol({ ...hybridKeysOf('carol_99'), boxPublicKey: bob.boxPublicKey }),
    me: 'carol_99',
    expected: hybridForCarol,
    error: 'key-mismatch',
  },
  {
    name: "record for carol_99 wrapped to bob's ML-KEM key",
    record: hybridToCarol({ ...hybridKeysOf('carol_99'), kemPublicKey: hybridPeople.bob.kem.publicKey }),
    me: 'carol_99',
    expected: hybridForCarol,
    error: 'key-mismatch',
  },
  {
    name: 'opened by bob without ML-KEM keys (account not upgraded)',
    record: hybridAliceToBob,
    meHasKem: false,
    error: 'key-mismatch',
  },
  {
    name: "signed by alice, X25519 done with mallory's box secret key",
    record: p.wrapRoomKeyHybrid(
      keyOf(roomA, 2),
      { ...hybridForBob, wrapperId: userId(alice) },
      { ...hybridPeople.alice, boxSecretKey: mallory.boxSecretKey },
      hybridKeysOf('bob'),
      { nonce: fixed('hybrid invalid nonce', 24), kemSeed: fixed('hybrid invalid ML-KEM encapsulation', 32) },
    ),
    error: 'decrypt-failed',
  },
  {
    name: "encapsulated to carol_99's ML-KEM key, digest of bob's put in, re-signed by alice",
    record: resignedHybrid(
      hybridToCarol(hybridKeysOf('carol_99')),
      1,
      concat(
        p.uuidToBytes(roomA),
        u32(2),
        p.uuidToBytes(userId(bob)),
        p.uuidToBytes(userId(alice)),
        bob.boxPublicKey,
        kemKeyDigest(hybridPeople.bob.kem.publicKey),
      ),
    ),
    error: 'decrypt-failed',
  },
  {
    name: 'ML-KEM ciphertext altered, then re-signed by alice',
    record: resignedHybrid(
      hybridAliceToBob,
      HYBRID_KEM_CIPHERTEXT_OFFSET,
      flipBit(hybridAliceToBob.subarray(HYBRID_KEM_CIPHERTEXT_OFFSET, HYBRID_BOX_OFFSET - 24), 500),
    ),
    error: 'decrypt-failed',
  },
].map(({ name, record, expected = hybridForBob, me = 'bob', meHasKem = true, wrapper = publicOf(alice), error }) => ({
  name,
  record: hex(record),
  expected,
  me,
  meHasKem,
  wrapper,
  error,
}));

// ---------------------------------------------------------------- files

const sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
/** The fixed plaintext: byte i is i mod 251 (a prime, so the pattern does not line up with the chunks). */
const FILE_PATTERN_MODULUS = 251;
function pattern(size) {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = i % FILE_PATTERN_MODULUS;
  return out;
}
/** Files up to this size are stored in full; larger ones as SHA-256 of the plaintext, ciphertext and each chunk. */
const FILE_FULL_HEX_MAX = 1024;
const FILE_HEADER = p.FILE_HEADER_BYTES;
const FILE_CHUNK = p.FILE_CHUNK_CIPHER_BYTES;

const fileKey = fixed('file key', 32);
const fileKey2 = fixed('file key 2', 32);
/**
 * Every file gets its own nonce prefix, as in real use; only the "another key" case reuses one, under another key.
 * Version 1 files have ids like "200000", version 2 files "v2-200000" (their prefixes are fixed('file v2-200000 ...')).
 */
const prefixOf = (id) => fixed(`file ${id} nonce prefix`, 15);

const fileCases = [
  { id: 'empty', name: 'empty file: one empty last chunk', size: 0 },
  { id: '1', name: 'one byte', size: 1 },
  { id: '65536', name: '65,536 bytes: one full chunk, which is the last', size: 65536 },
  { id: '65537', name: '65,537 bytes: a full chunk, then a 1-byte last chunk', size: 65537 },
  { id: '200000', name: '200,000 bytes: three full chunks, then a 3,392-byte last chunk', size: 200000 },
  { id: '200000-prefix2', name: '200,000 bytes, same key, another nonce prefix', size: 200000 },
  {
    id: '200000-key2',
    name: '200,000 bytes, another key, same nonce prefix',
    size: 200000,
    key: fileKey2,
    prefix: prefixOf('200000'),
  },
];

/** Chunk i of an encrypted file: FILE_CHUNK bytes, the last one whatever remains. */
function fileChunk(encrypted, i) {
  const start = FILE_HEADER + i * FILE_CHUNK;
  return encrypted.subarray(start, Math.min(start + FILE_CHUNK, encrypted.length));
}

/** The same sizes in version 2 (AES-256-GCM): ids "v2-empty", "v2-1", ... */
const V2 = (id) => `v2-${id}`;
const fileCasesV2 = fileCases.map((c) => ({
  ...c,
  id: V2(c.id),
  ...(c.prefix ? { prefix: prefixOf(V2('200000')) } : {}),
}));

const encryptedFiles = {};
async function validFiles(version, cases) {
  const out = [];
  for (const { id, name, size, key = fileKey, prefix = prefixOf(id) } of cases) {
    const plain = pattern(size);
    const encrypted = await p.encryptFile(key, plain, { version, noncePrefix: prefix });
    encryptedFiles[id] = encrypted;
    out.push(await validFile(id, name, version, key, prefix, plain, encrypted));
  }
  return out;
}
async function validFile(id, name, version, key, prefix, plain, encrypted) {
  const size = plain.length;
  const chunkCount = p.fileChunkCount(size);
  const full = size <= FILE_FULL_HEX_MAX;
  return {
    id,
    name,
    version,
    key: hex(key),
    noncePrefix: hex(prefix),
    plainSize: size,
    chunkCount,
    encryptedSize: encrypted.length,
    ...(full ? { plain: hex(plain), encrypted: hex(encrypted) } : {}),
    plainSha256: hex(sha256(plain)),
    encryptedSha256: hex(sha256(encrypted)),
    chunkSha256: Array.from({ length: chunkCount }, (_, i) => hex(sha256(fileChunk(encrypted, i)))),
    digest: hex(await p.fileDigestOf(encrypted)),
  };
}
const fileValid = await validFiles(1, fileCases);
const fileValidV2 = await validFiles(2, fileCasesV2);

// Negative cases are built from pieces of the valid files above, so the vectors stay small:
// `parts` lists byte ranges [start, end) of a valid file's ciphertext (by id) and literal hex.
const part = (id, start = 0, end = encryptedFiles[id].length) => ({ file: id, start, end });
const literal = (bytes) => ({ hex: hex(bytes) });
const fileHeaderPart = (id) => part(id, 0, FILE_HEADER);
function chunkPart(id, i) {
  const start = FILE_HEADER + i * FILE_CHUNK;
  return part(id, start, Math.min(start + FILE_CHUNK, encryptedFiles[id].length));
}
function flippedPart(id, offset, bit = 0) {
  return [part(id, 0, offset), literal(Uint8Array.of(encryptedFiles[id][offset] ^ (1 << bit))), part(id, offset + 1)];
}
function assembleFile(parts) {
  return concat(
    ...parts.map((x) => (x.hex !== undefined ? p.fromHex(x.hex) : encryptedFiles[x.file].subarray(x.start, x.end))),
  );
}
const big = '200000';
const chunksOf200k = (...order) => [fileHeaderPart(big), ...order.map((i) => chunkPart(big, i))];

const fileInvalid = [
  { name: 'empty', parts: [], error: 'bad-length' },
  { name: 'header only', parts: [fileHeaderPart(big)], error: 'bad-length' },
  { name: 'version 0', parts: flippedPart('1', 0), error: 'bad-version' },
  { name: 'version 3', parts: [literal(Uint8Array.of(3)), part('1', 1)], error: 'bad-version' },
  {
    name: 'relabelled as version 2: opened with AES-256-GCM, it fails',
    parts: [literal(Uint8Array.of(2)), part(big, 1)],
    error: 'decrypt-failed',
  },
  {
    name: 'truncated: the last chunk dropped (chunk 2, sealed as not last, now ends the file)',
    parts: chunksOf200k(0, 1, 2),
    error: 'decrypt-failed',
  },
  {
    name: 'cut at the first chunk boundary: a full chunk without the last flag ends the file',
    parts: [fileHeaderPart('65537'), chunkPart('65537', 0)],
    error: 'decrypt-failed',
  },
  {
    name: 'truncated inside the last chunk (one byte short)',
    parts: [part(big, 0, encryptedFiles[big].length - 1)],
    error: 'decrypt-failed',
  },
  {
    name: 'truncated to a last chunk shorter than its tag (impossible size)',
    parts: [part(big, 0, FILE_HEADER + 3 * FILE_CHUNK + 10)],
    error: 'bad-length',
  },
  { name: 'reordered: chunks 1 and 2 swapped', parts: chunksOf200k(0, 2, 1, 3), error: 'decrypt-failed' },
  { name: 'reordered: chunk 0 moved to the end', parts: chunksOf200k(1, 2, 3, 0), error: 'decrypt-failed' },
  { name: 'duplicated: chunk 0 twice', parts: chunksOf200k(0, 0, 1, 2, 3), error: 'decrypt-failed' },
  { name: 'duplicated: chunk 1 in place of chunk 2', parts: chunksOf200k(0, 1, 1, 3), error: 'decrypt-failed' },
  {
    name: 'spliced: chunk 1 from the same plaintext under the same key and another nonce prefix',
    parts: [
      fileHeaderPart(big),
      chunkPart(big, 0),
      chunkPart('200000-prefix2', 1),
      chunkPart(big, 2),
      chunkPart(big, 3),
    ],
    error: 'decrypt-failed',
  },
  {
    name: 'spliced: the last chunk from the same plaintext under another key and the same prefix',
    parts: [...chunksOf200k(0, 1, 2), chunkPart('200000-key2', 3)],
    error: 'decrypt-failed',
  },
  {
    name: "spliced: another prefix's header on this file's chunks",
    parts: [fileHeaderPart('200000-prefix2'), part(big, FILE_HEADER)],
    error: 'decrypt-failed',
  },
  { name: 'flipped bit in the nonce prefix', parts: flippedPart(big, 15, 7), error: 'decrypt-failed' },
  { name: 'flipped bit in the tag of chunk 0', parts: flippedPart(big, FILE_HEADER + 3), error: 'decrypt-failed' },
  {
    name: 'flipped bit in the ciphertext of chunk 2',
    parts: flippedPart(big, FILE_HEADER + 2 * FILE_CHUNK + 5000, 4),
    error: 'decrypt-failed',
  },
  {
    name: 'last bit of the file flipped',
    parts: flippedPart(big, encryptedFiles[big].length - 1, 7),
    error: 'decrypt-failed',
  },
  { name: 'flipped bit in the one-byte file', parts: flippedPart('1', 32), error: 'decrypt-failed' },
  {
    name: 'extended: a zero byte after the last chunk',
    parts: [part(big), literal(Uint8Array.of(0))],
    error: 'decrypt-failed',
  },
  {
    name: 'extended: the last chunk repeated after itself',
    parts: [part(big), chunkPart(big, 3)],
    error: 'decrypt-failed',
  },
  {
    name: 'extended: a full last chunk repeated (it was sealed as last, now it is not)',
    parts: [part('65536'), chunkPart('65536', 0)],
    error: 'decrypt-failed',
  },
  {
    name: 'extended: one byte after a full last chunk (impossible size)',
    parts: [part('65536'), literal(Uint8Array.of(0))],
    error: 'bad-length',
  },
  {
    name: 'extended: an empty last chunk after a full one (impossible size)',
    parts: [part('65536'), chunkPart('empty', 0)],
    error: 'bad-length',
  },
  {
    name: "the empty file's only chunk under another nonce prefix's header",
    parts: [fileHeaderPart('200000-prefix2'), chunkPart('empty', 0)],
    error: 'decrypt-failed',
  },
  { name: 'opened with another key', parts: [part(big)], key: fileKey2, error: 'decrypt-failed' },
].map(invalidFile);

function invalidFile({ name, parts, key = fileKey, error }) {
  const encrypted = assembleFile(parts);
  return {
    name,
    key: hex(key),
    parts,
    encryptedSize: encrypted.length,
    encryptedSha256: hex(sha256(encrypted)),
    error,
  };
}

// Version 2: the same attacks (the tag now ends each chunk), the header bytes outside
// the nonce (authenticated as associated data), and mixing the two versions.
const big2 = V2(big);
const chunksOf200kV2 = (...order) => [fileHeaderPart(big2), ...order.map((i) => chunkPart(big2, i))];
const fileInvalidV2 = [
  { name: 'header only', parts: [fileHeaderPart(big2)], error: 'bad-length' },
  { name: 'a last chunk shorter than its tag', parts: [part(V2('1'), 0, FILE_HEADER + 15)], error: 'bad-length' },
  { name: 'version 0', parts: [literal(Uint8Array.of(0)), part(V2('1'), 1)], error: 'bad-version' },
  { name: 'version 3', parts: [literal(Uint8Array.of(3)), part(V2('1'), 1)], error: 'bad-version' },
  {
    name: 'relabelled as version 1: opened with secretbox, it fails',
    parts: [literal(Uint8Array.of(1)), part(big2, 1)],
    error: 'decrypt-failed',
  },
  {
    name: "a version 1 file's header on version 2 chunks",
    parts: [fileHeaderPart(big), part(big2, FILE_HEADER)],
    error: 'decrypt-failed',
  },
  {
    name: "a version 2 file's header on version 1 chunks",
    parts: [fileHeaderPart(big2), part(big, FILE_HEADER)],
    error: 'decrypt-failed',
  },
  {
    name: 'truncated: the last chunk dropped (chunk 2, sealed as not last, now ends the file)',
    parts: chunksOf200kV2(0, 1, 2),
    error: 'decrypt-failed',
  },
  {
    name: 'cut at the first chunk boundary: a full chunk without the last flag ends the file',
    parts: [fileHeaderPart(V2('65537')), chunkPart(V2('65537'), 0)],
    error: 'decrypt-failed',
  },
  {
    name: 'truncated inside the last chunk (one byte short)',
    parts: [part(big2, 0, encryptedFiles[big2].length - 1)],
    error: 'decrypt-failed',
  },
  {
    name: 'truncated to a last chunk shorter than its tag (impossible size)',
    parts: [part(big2, 0, FILE_HEADER + 3 * FILE_CHUNK + 10)],
    error: 'bad-length',
  },
  { name: 'reordered: chunks 1 and 2 swapped', parts: chunksOf200kV2(0, 2, 1, 3), error: 'decrypt-failed' },
  { name: 'reordered: chunk 0 moved to the end', parts: chunksOf200kV2(1, 2, 3, 0), error: 'decrypt-failed' },
  { name: 'duplicated: chunk 0 twice', parts: chunksOf200kV2(0, 0, 1, 2, 3), error: 'decrypt-failed' },
  { name: 'duplicated: chunk 1 in place of chunk 2', parts: chunksOf200kV2(0, 1, 1, 3), error: 'decrypt-failed' },
  {
    name: 'spliced: chunk 1 from the same plaintext under the same key and another nonce prefix',
    parts: [
      fileHeaderPart(big2),
      chunkPart(big2, 0),
      chunkPart(V2('200000-prefix2'), 1),
      chunkPart(big2, 2),
      chunkPart(big2, 3),
    ],
    error: 'decrypt-failed',
  },
  {
    name: 'spliced: the last chunk from the same plaintext under another key and the same prefix',
    parts: [...chunksOf200kV2(0, 1, 2), chunkPart(V2('200000-key2'), 3)],
    error: 'decrypt-failed',
  },
  {
    name: "spliced: another prefix's header on this file's chunks",
    parts: [fileHeaderPart(V2('200000-prefix2')), part(big2, FILE_HEADER)],
    error: 'decrypt-failed',
  },
  {
    name: 'spliced: the same chunks under a header whose first 7 prefix bytes (the nonce part) are kept and the rest changed',
    parts: [part(big2, 0, 8), literal(fixed('file v2 other header tail', 8)), part(big2, FILE_HEADER)],
    error: 'decrypt-failed',
  },
  {
    name: 'flipped bit in the nonce part of the prefix (byte 3)',
    parts: flippedPart(big2, 3, 2),
    error: 'decrypt-failed',
  },
  {
    name: 'flipped bit in the authenticated-only part of the prefix (byte 12)',
    parts: flippedPart(big2, 12, 5),
    error: 'decrypt-failed',
  },
  {
    name: 'flipped bit in the tag of chunk 0 (its last 16 bytes)',
    parts: flippedPart(big2, FILE_HEADER + FILE_CHUNK - 3),
    error: 'decrypt-failed',
  },
  {
    name: 'flipped bit in the ciphertext of chunk 2',
    parts: flippedPart(big2, FILE_HEADER + 2 * FILE_CHUNK + 5000, 4),
    error: 'decrypt-failed',
  },
  {
    name: 'last bit of the file flipped (the last tag)',
    parts: flippedPart(big2, encryptedFiles[big2].length - 1, 7),
    error: 'decrypt-failed',
  },
  { name: 'flipped bit in the one-byte file’s ciphertext', parts: flippedPart(V2('1'), 16), error: 'decrypt-failed' },
  { name: 'flipped bit in the empty file’s tag', parts: flippedPart(V2('empty'), 20), error: 'decrypt-failed' },
  {
    name: 'extended: a zero byte after the last chunk',
    parts: [part(big2), literal(Uint8Array.of(0))],
    error: 'decrypt-failed',
  },
  {
    name: 'extended: the last chunk repeated after itself',
    parts: [part(big2), chunkPart(big2, 3)],
    error: 'decrypt-failed',
  },
  {
    name: 'extended: a full last chunk repeated (it was sealed as last, now it is not)',
    parts: [part(V2('65536')), chunkPart(V2('65536'), 0)],
    error: 'decrypt-failed',
  },
  {
    name: 'extended: one byte after a full last chunk (impossible size)',
    parts: [part(V2('65536')), literal(Uint8Array.of(0))],
    error: 'bad-length',
  },
  {
    name: 'extended: an empty last chunk after a full one (impossible size)',
    parts: [part(V2('65536')), chunkPart(V2('empty'), 0)],
    error: 'bad-length',
  },
  {
    name: "the empty file's only chunk under another nonce prefix's header",
    parts: [fileHeaderPart(V2('200000-prefix2')), chunkPart(V2('empty'), 0)],
    error: 'decrypt-failed',
  },
  { name: 'opened with another key', parts: [part(big2)], key: fileKey2, error: 'decrypt-failed' },
].map(invalidFile);

const fileSizesValid = [0, 1, 65535, 65536, 65537, 131072, 131073, 200000, 2 ** 40].map((plainSize) => ({
  plainSize,
  chunkCount: p.fileChunkCount(plainSize),
  encryptedSize: p.encryptedFileSize(plainSize),
}));
const fileSizesInvalid = [
  ['empty', 0],
  ['header only', FILE_HEADER],
  ['a last chunk shorter than its tag', FILE_HEADER + 15],
  ['one byte after a full chunk', FILE_HEADER + FILE_CHUNK + 1],
  ['fifteen bytes after a full chunk', FILE_HEADER + FILE_CHUNK + 15],
  ['an empty last chunk after a full one', FILE_HEADER + FILE_CHUNK + 16],
  ['more than 2^40 bytes of plaintext', p.encryptedFileSize(2 ** 40) + 17],
].map(([name, encryptedSize]) => ({ name, encryptedSize, error: 'bad-length' }));

// ---------------------------------------------------------------- file messages

const bigFile = fileValid.find((v) => v.id === big);
const fileMessageInputs = [
  {
    name: 'the 200,000-byte file above',
    file: {
      fileId: fixedUuid('file 200000'),
      name: 'pattern-200000.bin',
      size: bigFile.plainSize,
      key: fileKey,
      digest: p.fromHex(bigFile.digest),
    },
  },
  {
    name: 'non-ASCII name, a media type',
    file: {
      fileId: fixedUuid('file photo'),
      name: 'Caf\u00e9 \u{1F305} \u201cSunrise\u201d.jpg',
      mime: 'image/jpeg',
      size: 1,
      key: fixed('photo file key', 32),
      digest: fixed('photo digest', 32),
    },
  },
  {
    name: 'empty file',
    file: {
      fileId: fixedUuid('file empty'),
      name: 'empty.txt',
      mime: 'text/plain',
      size: 0,
      key: fixed('empty file key', 32),
      digest: fixed('empty digest', 32),
    },
  },
  {
    name: 'the longest name and type, the largest size',
    file: {
      fileId: fixedUuid('file limits'),
      name: `${'n'.repeat(251)}.bin`,
      mime: `${'a'.repeat(63)}/${'b'.repeat(63)}`,
      size: 2 ** 40,
      key: fixed('limits file key', 32),
      digest: fixed('limits digest', 32),
    },
  },
];
const decodedFile = (f) => ({
  fileId: f.fileId,
  name: f.name,
  mime: f.mime ?? 'application/octet-stream',
  size: f.size,
  key: hex(f.key),
  digest: hex(f.digest),
});
const fileMessageValid = fileMessageInputs.map(({ name, file }) => ({
  name,
  body: p.fileMessageBody(file),
  decoded: decodedFile(file),
}));
const goodFileBody = fileMessageValid[0].body;
fileMessageValid.push(
  {
    name: 'unknown members are ignored',
    body: { ...goodFileBody, caption: 'see attached', thumbnail: null },
    decoded: fileMessageValid[0].decoded,
  },
  {
    name: 'unsafe characters in the name are replaced with "_" for display',
    body: { ...goodFileBody, name: '../x\\y\u0000z\u202Efdp.exe\u2028' },
    decoded: { ...fileMessageValid[0].decoded, name: '.._x_y_z_fdp.exe_' },
  },
);
const b64 = (bytes) => p.toBase64(bytes);
const fileMessageInvalid = [
  ['type "text"', { type: 'text' }],
  ['type "File"', { type: 'File' }],
  ['no fileId', { fileId: undefined }],
  ['upper-case fileId', { fileId: goodFileBody.fileId.toUpperCase() }],
  ['fileId without dashes', { fileId: goodFileBody.fileId.replaceAll('-', '') }],
  ['empty name', { name: '' }],
  ['name of 256 characters', { name: 'n'.repeat(256) }],
  ['name is a number', { name: 7 }],
  ['no mime', { mime: undefined }],
  ['empty mime', { mime: '' }],
  ['upper-case mime', { mime: 'Image/JPEG' }],
  ['mime with parameters', { mime: 'text/plain; charset=utf-8' }],
  ['mime without subtype', { mime: 'text' }],
  ['mime of 128 characters', { mime: `${'a'.repeat(64)}/${'b'.repeat(63)}` }],
  ['no size', { size: undefined }],
  ['negative size', { size: -1 }],
  ['fractional size', { size: 0.5 }],
  ['size 2^40 + 1', { size: 2 ** 40 + 1 }],
  ['size as a string', { size: '200000' }],
  ['no key', { key: undefined }],
  ['key of 31 bytes', { key: b64(fixed('short key', 31)) }],
  ['key of 33 bytes', { key: b64(fixed('long key', 33)) }],
  ['key in hex', { key: hex(fileKey) }],
  ['key without padding', { key: b64(fileKey).replace(/=+$/, '') }],
  ['digest of 16 bytes', { digest: b64(fixed('short digest', 16)) }],
  ['digest is null', { digest: null }],
].map(([name, change]) => ({ name, body: { ...goodFileBody, ...change }, error: 'bad-content' }));

// ---------------------------------------------------------------- messages

const SENT_AT = 1_767_225_600_000; // 2026-01-01T00:00:00Z

const messageCases = [
  {
    name: 'short text (256-byte bucket)',
    sender: alice,
    roomId: roomA,
    body: { type: 'text', text: 'Hello, Bob! \u{1F44B} Caf\u00e9?' },
  },
  {
    name: 'longer text (512-byte bucket)',
    sender: bob,
    roomId: roomA,
    body: { type: 'text', text: 'All work and no play makes Jack a dull boy. '.repeat(7) },
  },
  {
    name: '252 bytes of content: the most that fits the 256-byte bucket',
    sender: alice,
    roomId: roomA,
    body: { type: 'text', text: 'a'.repeat(252 - 25) },
  },
  {
    name: '253 bytes of content: the least that needs the 512-byte bucket',
    sender: alice,
    roomId: roomA,
    body: { type: 'text', text: 'a'.repeat(253 - 25) },
  },
  {
    name: 'a body type version 1 does not define (readers pass it on)',
    sender: carol,
    roomId: roomB,
    epoch: 3,
    body: { type: 'x-future', data: [1, 'two', { three: null }] },
  },
  {
    name: 'a file message (the 200,000-byte file; 256-byte bucket)',
    sender: bob,
    roomId: roomA,
    body: fileMessageValid[0].body,
  },
  {
    name: 'a text with a sender counter (chain id and count, inside the signed content)',
    sender: bob,
    roomId: roomA,
    body: { type: 'text', text: 'third message of this chain', chain: fixedUuid('bob chain'), n: 3 },
  },
];

const messageValid = messageCases.map(({ name, sender, roomId, epoch = 1, body }, index) => {
  const header = {
    roomId,
    epoch,
    senderId: userId(sender),
    messageId: fixedUuid(`message ${index}`),
    sentAt: SENT_AT + index * 1000,
  };
  const roomKey = keyOf(roomId, epoch);
  const nonce = fixed(`${name} nonce`, 24);
  const content = utf8(JSON.stringify(body));
  const envelope = p.sealMessage(header, body, roomKey, sender, nonce);
  return {
    name,
    sender: sender.username,
    header,
    body,
    content: hex(content),
    paddedLength: envelope.length - 165,
    roomKey: hex(roomKey),
    nonce: hex(nonce),
    envelope: hex(envelope),
  };
});

/** The same messages as older clients sealed them (version 1, send time in the clear header): still read. */
const messageV1 = messageValid.map((v) => ({
  ...v,
  envelope: hex(
    p.sealMessageV1(v.header, v.body, p.fromHex(v.roomKey), members[v.sender].identity, p.fromHex(v.nonce)),
  ),
}));
const shortV1 = p.fromHex(messageV1[0].envelope);

const short = p.fromHex(messageValid[0].envelope);
const long = p.fromHex(messageValid[1].envelope);
const shortHeader = messageValid[0].header;
const shortText = messageValid[0].body;
const messageNonce = fixed('crafted message nonce', 24);

function u64Bytes(value) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false);
  return out;
}

/** Version 2 has no send time in the header (53 bytes); version 1 ends with it (61). */
function headerBytes({ version = 2, roomId, epoch, senderId, messageId, sentAt }) {
  return concat(
    Uint8Array.of(version),
    p.uuidToBytes(roomId),
    u32(epoch),
    p.uuidToBytes(senderId),
    p.uuidToBytes(messageId),
    version === 1 ? u64Bytes(sentAt) : new Uint8Array(0),
  );
}

/** A correctly signed and encrypted version 2 envelope around any header, send-time and padded bytes. */
function rawMessage({
  header = shortHeader,
  padded,
  sentAt = u64Bytes(header.sentAt),
  roomKey = keyOf(roomA, 1),
  signer = alice,
  nonce = messageNonce,
}) {
  const head = headerBytes(header);
  const signed = concat(utf8('OnionChat v2 message\0'), head, sentAt, padded);
  const signature = nacl.sign.detached(signed, signer.signSecretKey);
  return concat(head, nonce, nacl.secretbox(concat(signature, sentAt, padded), nonce, roomKey));
}

/** Padded bytes with any length prefix, content and size; zero-filled. */
function padded(content, { size = 256, prefix = content.length } = {}) {
  const out = new Uint8Array(size);
  out.set(concat(u32(prefix), content));
  return out;
}

const replaceAt = (bytes, offset, part) =>
  concat(bytes.subarray(0, offset), part, bytes.subarray(offset + part.length));
const goodContent = utf8('{"type":"text","text":"hi"}');
const fromAlice = { roomId: roomA, epoch: 1, senderId: userId(alice) };

const messageInvalid = [
  { name: 'empty', envelope: new Uint8Array(0), error: 'bad-length' },
  { name: 'header only', envelope: short.subarray(0, 53), error: 'bad-length' },
  { name: 'one byte below the minimum length', envelope: short.subarray(0, 420), error: 'bad-length' },
  { name: 'version 0', envelope: withByte(short, 0, 0), error: 'bad-version' },
  { name: 'version 3', envelope: withByte(short, 0, 3), error: 'bad-version' },
  {
    name: 'version 3 (validly signed and encrypted)',
    envelope: rawMessage({ header: { ...shortHeader, version: 3 }, padded: padded(goodContent) }),
    error: 'bad-version',
  },
  { name: 'epoch 0 in the header', envelope: replaceAt(short, 17, u32(0)), error: 'bad-encoding' },
  {
    name: 'signed sent-at above 2^53 - 1 (inside the box, checked after the signature)',
    envelope: rawMessage({ padded: padded(goodContent), sentAt: concat(Uint8Array.of(0x00, 0x20), new Uint8Array(6)) }),
    error: 'bad-encoding',
  },
  {
    name: 'moved to room B, header unchanged',
    envelope: short,
    expected: { ...fromAlice, roomId: roomB },
    roomKey: keyOf(roomB, 1),
    error: 'context-mismatch',
  },
  {
    name: "moved to room B, header rewritten to room B, opened with room B's key",
    envelope: replaceAt(short, 1, p.uuidToBytes(roomB)),
    expected: { ...fromAlice, roomId: roomB },
    roomKey: keyOf(roomB, 1),
    error: 'decrypt-failed',
  },
  {
    name: "header rewritten to room B, opened with room A's key (if keys were shared)",
    envelope: replaceAt(short, 1, p.uuidToBytes(roomB)),
    expected: { ...fromAlice, roomId: roomB },
    error: 'bad-signature',
  },
  {
    name: 'moved to epoch 2, header unchanged',
    envelope: short,
    expected: { ...fromAlice, epoch: 2 },
    roomKey: keyOf(roomA, 2),
    error: 'context-mismatch',
  },
  {
    name: "header rewritten to epoch 2, opened with epoch 2's key",
    envelope: replaceAt(short, 17, u32(2)),
    expected: { ...fromAlice, epoch: 2 },
    roomKey: keyOf(roomA, 2),
    error: 'decrypt-failed',
  },
  {
    name: "header rewritten to epoch 2, opened with epoch 1's key (if keys were shared)",
    envelope: replaceAt(short, 17, u32(2)),
    expected: { ...fromAlice, epoch: 2 },
    error: 'bad-signature',
  },
  {
    name: 'the server says bob sent it, the header says alice',
    envelope: short,
    expected: { ...fromAlice, senderId: userId(bob) },
    sender: 'bob',
    error: 'context-mismatch',
  },
  {
    name: 'sender in the header rewritten to bob, checked against bob',
    envelope: replaceAt(short, 21, p.uuidToBytes(userId(bob))),
    expected: { ...fromAlice, senderId: userId(bob) },
    sender: 'bob',
    error: 'bad-signature',
  },
  {
    name: "mallory re-seals alice's text as alice, signed by mallory",
    envelope: p.sealMessage(shortHeader, shortText, keyOf(roomA, 1), mallory, messageNonce),
    error: 'bad-signature',
  },
  { name: 'flipped bit in message id', envelope: flipBit(short, 40), error: 'bad-signature' },
  {
    name: "mallory re-seals alice's message with an earlier send time",
    envelope: rawMessage({
      padded: padded(goodContent),
      sentAt: u64Bytes(shortHeader.sentAt - 3_600_000),
      signer: mallory,
    }),
    error: 'bad-signature',
  },
  { name: 'flipped bit in nonce', envelope: flipBit(short, 53), error: 'decrypt-failed' },
  { name: 'flipped bit in MAC', envelope: flipBit(short, 77), error: 'decrypt-failed' },
  { name: 'flipped bit in the encrypted send time', envelope: flipBit(short, 93 + 64 + 7), error: 'decrypt-failed' },
  { name: 'version 1: header only', envelope: shortV1.subarray(0, 61), error: 'bad-length' },
  { name: 'version 1: sent-at changed by one millisecond', envelope: flipBit(shortV1, 60), error: 'bad-signature' },
  {
    name: 'version 1: sent-at above 2^53 - 1',
    envelope: replaceAt(shortV1, 53, Uint8Array.of(0x00, 0x20)),
    error: 'bad-encoding',
  },
  { name: 'version 1: flipped bit in ciphertext', envelope: flipBit(shortV1, 200), error: 'decrypt-failed' },
  {
    name: 'version 1 envelope relabelled as version 2',
    envelope: withByte(shortV1, 0, 2),
    error: 'decrypt-failed',
  },
  { name: 'flipped bit in ciphertext', envelope: flipBit(short, 200), error: 'decrypt-failed' },
  { name: 'last ciphertext bit flipped', envelope: flipBit(short, short.length - 1, 7), error: 'decrypt-failed' },
  {
    name: 'last byte removed (512-byte bucket)',
    envelope: long.subarray(0, long.length - 1),
    expected: { ...fromAlice, senderId: userId(bob) },
    sender: 'bob',
    error: 'decrypt-failed',
  },
  { name: 'wrong room key', envelope: short, roomKey: keyOf(roomB, 1), error: 'decrypt-failed' },
  {
    name: 'padding: a non-zero pad byte',
    envelope: rawMessage({ padded: withByte(padded(goodContent), 100, 1) }),
    error: 'bad-padding',
  },
  {
    name: 'padding: non-zero last byte',
    envelope: rawMessage({ padded: withByte(padded(goodContent), 255, 0x80) }),
    error: 'bad-padding',
  },
  {
    name: 'padding: length prefix one past the end',
    envelope: rawMessage({ padded: padded(goodContent, { prefix: 253 }) }),
    error: 'bad-padding',
  },
  {
    name: 'padding: length prefix 2^32 - 1',
    envelope: rawMessage({ padded: padded(goodContent, { prefix: 0xffff_ffff }) }),
    error: 'bad-padding',
  },
  {
    name: 'padding: short content in the 512-byte bucket',
    envelope: rawMessage({ padded: padded(goodContent, { size: 512 }) }),
    error: 'bad-padding',
  },
  {
    name: 'padding: 300 bytes, not a bucket size',
    envelope: rawMessage({ padded: padded(goodContent, { size: 300 }) }),
    error: 'bad-padding',
  },
  { name: 'content: empty', envelope: rawMessage({ padded: padded(new Uint8Array(0)) }), error: 'bad-content' },
  { name: 'content: not JSON', envelope: rawMessage({ padded: padded(utf8('hello')) }), error: 'bad-content' },
  {
    name: 'content: a JSON array',
    envelope: rawMessage({ padded: padded(utf8('["text","hi"]')) }),
    error: 'bad-content',
  },
  { name: 'content: JSON null', envelope: rawMessage({ padded: padded(utf8('null')) }), error: 'bad-content' },
  { name: 'content: no type', envelope: rawMessage({ padded: padded(utf8('{"text":"hi"}')) }), error: 'bad-content' },
  {
    name: 'content: type is a number',
    envelope: rawMessage({ padded: padded(utf8('{"type":1,"text":"hi"}')) }),
    error: 'bad-content',
  },
  {
    name: 'content: text message without text',
    envelope: rawMessage({ padded: padded(utf8('{"type":"text"}')) }),
    error: 'bad-content',
  },
  {
    name: 'content: text is not a string',
    envelope: rawMessage({ padded: padded(utf8('{"type":"text","text":["hi"]}')) }),
    error: 'bad-content',
  },
  {
    name: 'content: invalid UTF-8',
    envelope: rawMessage({
      padded: padded(concat(utf8('{"type":"text","text":"'), Uint8Array.of(0xc3, 0x28), utf8('"}'))),
    }),
    error: 'bad-content',
  },
  {
    name: 'content: UTF-8 byte order mark',
    envelope: rawMessage({ padded: padded(concat(Uint8Array.of(0xef, 0xbb, 0xbf), goodContent)) }),
    error: 'bad-content',
  },
  {
    name: 'content: a file message with a 16-byte key',
    envelope: rawMessage({
      padded: padded(utf8(JSON.stringify({ ...goodFileBody, key: b64(fixed('short key', 16)) }))),
    }),
    error: 'bad-content',
  },
].map(({ name, envelope, expected = fromAlice, roomKey = keyOf(roomA, 1), sender = 'alice', error }) => ({
  name,
  envelope: hex(envelope),
  expected,
  roomKey: hex(roomKey),
  sender,
  error,
}));

/** alice's short text, decrypted and encrypted again under a fresh nonce: new bytes, same message. */
function reEncrypted(envelope, roomKey) {
  const inner = nacl.secretbox.open(envelope.subarray(77), envelope.subarray(53, 77), roomKey);
  const nonce = fixed('replay nonce', 24);
  return concat(envelope.subarray(0, 53), nonce, nacl.secretbox(inner, nonce, roomKey));
}
const sameIdInRoomB = p.sealMessage(
  { ...shortHeader, roomId: roomB },
  shortText,
  keyOf(roomB, 1),
  alice,
  fixed('room B copy nonce', 24),
);
const delivery = (envelope, result, roomId = roomA, sender = alice) => ({
  envelope: hex(envelope),
  expected: { roomId, epoch: 1, senderId: userId(sender) },
  roomKey: hex(keyOf(roomId, 1)),
  sender: sender.username,
  result,
});
const messageReplay = [
  { name: 'the same envelope delivered twice', deliveries: [delivery(short, 'accepted'), delivery(short, 'replay')] },
  {
    name: 'the same message re-encrypted under a new nonce',
    deliveries: [delivery(short, 'accepted'), delivery(reEncrypted(short, keyOf(roomA, 1)), 'replay')],
  },
  {
    name: 'two different messages, then the first again',
    deliveries: [delivery(short, 'accepted'), delivery(long, 'accepted', roomA, bob), delivery(short, 'replay')],
  },
  {
    name: 'the same message id in another room is another message',
    deliveries: [delivery(short, 'accepted'), delivery(sameIdInRoomB, 'accepted', roomB)],
  },
];

// ---------------------------------------------------------------- key verification

const party = (who) => ({ userId: userId(who), username: who.username, signPublicKey: who.signPublicKey });
const safetyNumbers = [];
for (const [a, b] of [
  [alice, bob],
  [alice, people.carol_99],
]) {
  const number = await p.safetyNumber(party(a), party(b));
  const reverse = await p.safetyNumber(party(b), party(a));
  if (reverse.digits !== number.digits) throw new Error('safety numbers differ by side');
  safetyNumbers.push({
    a: { userId: userId(a), username: a.username, signPublicKey: hex(a.signPublicKey) },
    b: { userId: userId(b), username: b.username, signPublicKey: hex(b.signPublicKey) },
    digits: number.digits,
    groups: number.groups,
    qr: hex(number.qr),
  });
}
const qrOf = p.fromHex(safetyNumbers[0].qr);
const safetyQrInvalid = [
  { name: 'empty', qr: '', error: 'bad-length' },
  { name: 'old version 1', qr: hex(withByte(qrOf, 0, 1)), error: 'bad-version' },
  { name: 'unknown version 3', qr: hex(withByte(qrOf, 0, 3)), error: 'bad-version' },
  { name: 'one byte short', qr: hex(qrOf.subarray(0, 60)), error: 'bad-length' },
  { name: 'one byte too many', qr: hex(concat(qrOf, Uint8Array.of(0))), error: 'bad-length' },
];

const pinOf = (who, verified) => ({
  userId: userId(who),
  username: who.username,
  signPublicKey: hex(who.signPublicKey),
  verified,
});
const pinsFrom = (pins) => pins.map((pin) => ({ ...pin, signPublicKey: p.fromHex(pin.signPublicKey) }));
const contactPinsValid = [
  { name: 'no pins', pins: [] },
  { name: 'bob verified, carol_99 pinned', pins: [pinOf(bob, true), pinOf(people.carol_99, false)] },
].map((c) => ({ ...c, value: hex(p.encodeContactPins(pinsFrom(c.pins))) }));
const twoPins = p.fromHex(contactPinsValid[1].value);
const firstPin = twoPins.subarray(5, 5 + 16 + 1 + 32 + 1 + 3);
const contactPinsInvalid = [
  { name: 'unknown version 2', value: hex(withByte(twoPins, 0, 2)), error: 'bad-version' },
  { name: 'unknown state 2', value: hex(withByte(twoPins, 5 + 16, 2)), error: 'bad-encoding' },
  { name: 'count larger than the pins', value: hex(withByte(twoPins, 4, 3)), error: 'bad-length' },
  { name: 'a trailing byte', value: hex(concat(twoPins, Uint8Array.of(0))), error: 'bad-length' },
  {
    name: 'the same user twice',
    value: hex(concat(Uint8Array.of(1), u32(2), firstPin, firstPin)),
    error: 'bad-encoding',
  },
  {
    name: 'a username in upper case',
    value: hex(withByte(twoPins, 5 + 16 + 1 + 32 + 1, 'B'.charCodeAt(0))),
    error: 'bad-encoding',
  },
];
for (const c of contactPinsInvalid) expectError(c.name, c.error, () => p.decodeContactPins(p.fromHex(c.value)));
for (const c of safetyQrInvalid) {
  const mine = { qr: qrOf };
  expectError(c.name, c.error, () => p.matchSafetyNumberQr(p.fromHex(c.qr), mine));
}

const bundlePrevious = p.sealKeyBundle(
  alice,
  fixed('alice wrap key', 32),
  [],
  fixed('bundle update previous nonce', 24),
);
const bundleNext = p.sealKeyBundle(
  alice,
  fixed('alice wrap key', 32),
  [{ type: p.CONTACT_PINS_EXTENSION, value: twoPins }],
  fixed('bundle update next nonce', 24),
);
const bundleSignature = p.signBundleUpdate(alice, userId(alice), bundlePrevious, bundleNext);
const bundleUpdate = {
  userId: userId(alice),
  signPublicKey: hex(alice.signPublicKey),
  previous: hex(bundlePrevious),
  previousDigest: hex(p.bundleDigest(bundlePrevious)),
  next: hex(bundleNext),
  signature: hex(bundleSignature),
};

const senderCounterInvalid = [
  { name: 'chain without n', body: { type: 'text', text: 'x', chain: fixedUuid('bob chain') } },
  { name: 'n without chain', body: { type: 'text', text: 'x', n: 1 } },
  { name: 'chain not a canonical UUID', body: { type: 'text', text: 'x', chain: 'ABC', n: 1 } },
  { name: 'n of 0', body: { type: 'text', text: 'x', chain: fixedUuid('bob chain'), n: 0 } },
  { name: 'n not an integer', body: { type: 'text', text: 'x', chain: fixedUuid('bob chain'), n: 1.5 } },
].map((c) => ({ ...c, content: hex(utf8(JSON.stringify(c.body))), error: 'bad-content' }));
for (const c of senderCounterInvalid) expectError(c.name, c.error, () => p.readSenderCounter(c.body));

// ---------------------------------------------------------------- groups (section 19)

const roomG = fixedUuid('room G');
const groupKeyOf = (epoch) => fixed(`room G epoch ${epoch} key`, 32);
const groupNonceOf = (label) => fixed(`group info nonce ${label}`, 24);
const GROUP_CONTEXT = utf8('OnionChat v1 group record\0');
const ZERO_KEY = new Uint8Array(32);
const ROLE_CODES = { none: 0, member: 1, admin: 2 };
const ACTION_CODES = { create: 1, add: 2, remove: 3, leave: 4, role: 5, rename: 6 };
/** A small PNG-looking payload: the format checks the data URL, not the image. */
const groupPicture = `data:image/png;base64,${p.toBase64(concat(Uint8Array.of(0x89, 0x50, 0x4e, 0x47), fixed('group picture', 60)))}`;

const groupInfoCases = [
  { name: 'a name', info: { name: 'Climbing club' }, epoch: 1 },
  { name: 'a name and a PNG picture', info: { name: 'Climbing club', picture: groupPicture }, epoch: 2 },
  { name: 'a non-ASCII name of 64 UTF-16 units', info: { name: 'Ωmega ☕ 🧗 '.padEnd(64, 'é') }, epoch: 3 },
  {
    name: 'a JPEG picture',
    info: { name: 'x', picture: `data:image/jpeg;base64,${p.toBase64(fixed('jpeg', 3))}` },
    epoch: 1,
  },
];
const groupInfoValid = groupInfoCases.map(({ name, info, epoch }) => {
  const nonce = groupNonceOf(name);
  const roomKey = groupKeyOf(epoch);
  return { name, info, roomKey: hex(roomKey), nonce: hex(nonce), sealed: hex(p.sealGroupInfo(info, roomKey, nonce)) };
});
/** Any content, sealed as info is: nonce || secretbox(content, nonce, key). */
const rawInfo = (content, key = groupKeyOf(1), nonce = groupNonceOf('raw')) =>
  concat(nonce, nacl.secretbox(typeof content === 'string' ? utf8(content) : content, nonce, key));
/** Read, not written: a reader keeps the name and picture and ignores any other member. */
const groupInfoReads = [
  {
    name: 'other members are ignored',
    roomKey: hex(groupKeyOf(1)),
    sealed: hex(rawInfo('{"name":"x","colour":"red","picture":"data:image/jpeg;base64,AAAA"}')),
    info: { name: 'x', picture: 'data:image/jpeg;base64,AAAA' },
  },
];
const firstInfo = p.fromHex(groupInfoValid[0].sealed);
const groupInfoInvalid = [
  { name: 'shorter than nonce and tag', sealed: firstInfo.subarray(0, 39), error: 'bad-length' },
  { name: 'under another epoch key', sealed: firstInfo, roomKey: groupKeyOf(2), error: 'decrypt-failed' },
  { name: 'flipped bit in the box', sealed: flipBit(firstInfo, 30), error: 'decrypt-failed' },
  { name: 'flipped bit in the nonce', sealed: flipBit(firstInfo, 3), error: 'decrypt-failed' },
  { name: 'not JSON', sealed: rawInfo('name: x'), error: 'bad-content' },
  { name: 'a JSON array', sealed: rawInfo('["x"]'), error: 'bad-content' },
  { name: 'JSON null', sealed: rawInfo('null'), error: 'bad-content' },
  {
    name: 'invalid UTF-8',
    sealed: rawInfo(concat(utf8('{"name":"'), Uint8Array.of(0xc3), utf8('"}'))),
    error: 'bad-content',
  },
  { name: 'a leading byte order mark', sealed: rawInfo('\ufeff{"name":"x"}'), error: 'bad-content' },
  { name: 'no name', sealed: rawInfo('{"picture":"' + groupPicture + '"}'), error: 'bad-content' },
  { name: 'an empty name', sealed: rawInfo('{"name":""}'), error: 'bad-content' },
  {
    name: 'a name of 65 UTF-16 units',
    sealed: rawInfo(JSON.stringify({ name: 'x'.repeat(65) })),
    error: 'bad-content',
  },
  {
    name: 'a name of 33 emoji (66 UTF-16 units)',
    sealed: rawInfo(JSON.stringify({ name: '🧗'.repeat(33) })),
    error: 'bad-content',
  },
  { name: 'a number as name', sealed: rawInfo('{"name":7}'), error: 'bad-content' },
  { name: 'a line break in the name', sealed: rawInfo('{"name":"a\\nb"}'), error: 'bad-content' },
  { name: 'a C1 control character in the name', sealed: rawInfo('{"name":"a\\u0085b"}'), error: 'bad-content' },
  { name: 'a null picture', sealed: rawInfo('{"name":"x","picture":null}'), error: 'bad-content' },
  {
    name: 'a GIF picture',
    sealed: rawInfo(JSON.stringify({ name: 'x', picture: 'data:image/gif;base64,R0lG' })),
    error: 'bad-content',
  },
  {
    name: 'a picture that is a web address',
    sealed: rawInfo(JSON.stringify({ name: 'x', picture: 'https://example.com/a.png' })),
    error: 'bad-content',
  },
  {
    name: 'a picture with no image bytes',
    sealed: rawInfo(JSON.stringify({ name: 'x', picture: 'data:image/png;base64,' })),
    error: 'bad-content',
  },
  {
    name: 'a picture that is not strict base64',
    sealed: rawInfo(JSON.stringify({ name: 'x', picture: 'data:image/png;base64,Zh==' })),
    error: 'bad-content',
  },
  {
    name: 'a picture of 48,002 characters',
    sealed: rawInfo(JSON.stringify({ name: 'x', picture: 'data:image/png;base64,' + 'A'.repeat(47980) })),
    error: 'bad-content',
  },
].map(({ name, sealed, roomKey = groupKeyOf(1), error }) => ({
  name,
  sealed: hex(sealed),
  roomKey: hex(roomKey),
  error,
}));

/** A group record written out byte by byte, signed with nacl: independent of the package's encoder. */
function rawGroupRecord({
  version = 1,
  roomId = roomG,
  index = 0,
  previous = new Uint8Array(32),
  signer = alice,
  signerId = userId(signer),
  epoch = 1,
  sentAt = SENT_AT,
  action = ACTION_CODES.create,
  entries = [],
  count = entries.length,
  info = new Uint8Array(0),
  infoLength = info.length,
}) {
  const u16 = (n) => Uint8Array.of(n >> 8, n & 0xff);
  const entryBytes = entries.map(({ user, role, key }) =>
    concat(p.uuidToBytes(user), Uint8Array.of(role), key ?? ZERO_KEY),
  );
  const body = concat(
    Uint8Array.of(version),
    p.uuidToBytes(roomId),
    u32(index),
    previous,
    p.uuidToBytes(signerId),
    u32(epoch),
    u64Bytes(sentAt),
    Uint8Array.of(action),
    u16(count),
    ...entryBytes,
    u16(infoLength),
    info,
  );
  return concat(body, nacl.sign.detached(concat(GROUP_CONTEXT, body), signer.signSecretKey));
}

const entryOf = (who, role) => ({ userId: userId(who), role, signPublicKey: who.signPublicKey });
const noKey = (who, role) => ({ userId: userId(who), role, signPublicKey: ZERO_KEY });
const sealedInfo = (label, epoch, info = { name: 'Climbing club' }) =>
  p.sealGroupInfo(info, groupKeyOf(epoch), groupNonceOf(label));
const MINUTE_MS = 60_000;
/** The valid records: one chain through every action (the rule vectors judge chains). */
const groupSteps = [
  {
    name: 'create: alice (admin) and bob',
    signer: alice,
    action: 'create',
    epoch: 1,
    entries: [entryOf(alice, 'admin'), entryOf(bob, 'member')],
    info: { name: 'Climbing club' },
  },
  { name: 'add carol_99', signer: alice, action: 'add', epoch: 2, entries: [entryOf(carol, 'member')], info: {} },
  { name: 'role: bob becomes an admin', signer: alice, action: 'role', epoch: 2, entries: [noKey(bob, 'admin')] },
  {
    name: 'rename by bob, with a picture',
    signer: bob,
    action: 'rename',
    epoch: 2,
    entries: [],
    info: { name: 'Climbing club 2027', picture: groupPicture },
  },
  { name: 'remove carol_99', signer: bob, action: 'remove', epoch: 3, entries: [noKey(carol, 'none')], info: {} },
  { name: 'alice leaves', signer: alice, action: 'leave', epoch: 4, entries: [] },
];
const groupValid = [];
let groupPrevious = new Uint8Array(32);
let groupInfoNow = null;
groupSteps.forEach((step, index) => {
  // An add or a remove carries the current info again, under the new epoch's key.
  const content = step.info === undefined ? null : { ...groupInfoNow, ...step.info };
  if (content) groupInfoNow = content;
  const fields = {
    roomId: roomG,
    index,
    previous: groupPrevious,
    signerId: userId(step.signer),
    epoch: step.epoch,
    sentAt: SENT_AT + index * MINUTE_MS,
    action: step.action,
    entries: step.entries,
    info: content ? sealedInfo(step.name, step.epoch, content) : new Uint8Array(0),
  };
  const record = p.signGroupRecord(fields, step.signer);
  groupValid.push({
    name: step.name,
    signer: step.signer.username,
    fields: {
      ...fields,
      previous: hex(fields.previous),
      entries: fields.entries.map((e) => ({ ...e, signPublicKey: hex(e.signPublicKey) })),
      info: hex(fields.info),
    },
    info: content,
    record: hex(record),
    digest: hex(nacl.hash(record).slice(0, 32)),
  });
  groupPrevious = nacl.hash(record).slice(0, 32);
});

const rawEntry = (who, role, key = who.signPublicKey) => ({ user: userId(who), role, key });
const groupInfo1 = sealedInfo('create: alice (admin) and bob', 1);
const createFields = {
  action: ACTION_CODES.create,
  entries: [rawEntry(alice, 2), rawEntry(bob, 1)],
  info: groupInfo1,
};
const rawCreate = rawGroupRecord(createFields);
const rawAdd = (overrides) =>
  rawGroupRecord({
    index: 1,
    previous: nacl.hash(rawCreate).slice(0, 32),
    epoch: 2,
    action: ACTION_CODES.add,
    entries: [rawEntry(carol, 1)],
    info: sealedInfo('add carol_99', 2),
    ...overrides,
  });
const rawOf = (action, overrides) => rawAdd({ action: ACTION_CODES[action], ...overrides });
const manyEntries = (n) =>
  Array.from({ length: n }, (_, i) => ({
    user: p.bytesToUuid(concat(u32(i + 1), new Uint8Array(12))),
    role: 1,
    key: bob.signPublicKey,
  }));
const GROUP_COUNT_OFFSET = 82;
const groupInvalid = [
  { name: 'empty', record: new Uint8Array(0), error: 'bad-length' },
  { name: 'version 0', record: withByte(rawCreate, 0, 0), error: 'bad-version' },
  { name: 'version 2', record: withByte(rawCreate, 0, 2), error: 'bad-version' },
  { name: 'version 2, one byte long (the version is checked first)', record: Uint8Array.of(2), error: 'bad-version' },
  { name: 'one byte', record: Uint8Array.of(1), error: 'bad-length' },
  { name: '149 bytes', record: rawCreate.subarray(0, 149), error: 'bad-length' },
  { name: 'one byte short', record: rawCreate.subarray(0, rawCreate.length - 1), error: 'bad-length' },
  { name: 'one byte too long', record: concat(rawCreate, Uint8Array.of(0)), error: 'bad-length' },
  {
    name: 'count one more than the entries',
    record: rawGroupRecord({ ...createFields, count: 3 }),
    error: 'bad-length',
  },
  {
    name: 'count one less than the entries',
    record: rawGroupRecord({ ...createFields, count: 1 }),
    error: 'bad-length',
  },
  {
    name: 'info length one more than the info',
    record: rawGroupRecord({ ...createFields, infoLength: groupInfo1.length + 1 }),
    error: 'bad-length',
  },
  {
    name: 'count 65535 on a short record',
    record: withByte(withByte(rawCreate, GROUP_COUNT_OFFSET, 0xff), GROUP_COUNT_OFFSET + 1, 0xff),
    error: 'bad-length',
  },
  {
    name: 'epoch 0 on a record one byte short (the length is checked first)',
    record: rawGroupRecord({ ...createFields, epoch: 0 }).subarray(0, rawCreate.length - 1),
    error: 'bad-length',
  },
  { name: 'epoch 0', record: rawGroupRecord({ ...createFields, epoch: 0 }), error: 'bad-encoding' },
  { name: 'sentAt 2^53', record: rawGroupRecord({ ...createFields, sentAt: 2 ** 53 }), error: 'bad-encoding' },
  { name: 'action 0', record: rawGroupRecord({ ...createFields, action: 0 }), error: 'bad-encoding' },
  { name: 'action 7', record: rawGroupRecord({ ...createFields, action: 7 }), error: 'bad-encoding' },
  {
    name: 'role 3',
    record: rawGroupRecord({ ...createFields, entries: [rawEntry(alice, 2), rawEntry(bob, 3)] }),
    error: 'bad-encoding',
  },
  {
    name: '1,001 entries',
    record: rawGroupRecord({ ...createFields, entries: [rawEntry(alice, 2), ...manyEntries(1000)] }),
    error: 'bad-encoding',
  },
  {
    name: 'bob listed twice',
    record: rawGroupRecord({ ...createFields, entries: [rawEntry(alice, 2), rawEntry(bob, 1), rawEntry(bob, 2)] }),
    error: 'bad-encoding',
  },
  { name: 'create with no entries', record: rawGroupRecord({ ...createFields, entries: [] }), error: 'bad-encoding' },
  {
    name: 'create with an entry of role 0',
    record: rawGroupRecord({ ...createFields, entries: [rawEntry(alice, 2), rawEntry(bob, 0)] }),
    error: 'bad-encoding',
  },
  {
    name: 'create with a zero key',
    record: rawGroupRecord({ ...createFields, entries: [rawEntry(alice, 2), rawEntry(bob, 1, ZERO_KEY)] }),
    error: 'bad-encoding',
  },
  {
    name: 'create without info',
    record: rawGroupRecord({ ...createFields, info: new Uint8Array(0) }),
    error: 'bad-encoding',
  },
  {
    name: 'create with 39 bytes of info (less than a nonce and a tag)',
    record: rawGroupRecord({ ...createFields, info: groupInfo1.subarray(0, 39) }),
    error: 'bad-encoding',
  },
  { name: 'add with no entries', record: rawAdd({ entries: [] }), error: 'bad-encoding' },
  { name: 'add with an entry of role 0', record: rawAdd({ entries: [rawEntry(carol, 0)] }), error: 'bad-encoding' },
  { name: 'add with a zero key', record: rawAdd({ entries: [rawEntry(carol, 1, ZERO_KEY)] }), error: 'bad-encoding' },
  { name: 'add without info', record: rawAdd({ info: new Uint8Array(0) }), error: 'bad-encoding' },
  {
    name: 'remove with role 1',
    record: rawOf('remove', { entries: [rawEntry(carol, 1, ZERO_KEY)] }),
    error: 'bad-encoding',
  },
  { name: 'remove with a key', record: rawOf('remove', { entries: [rawEntry(carol, 0)] }), error: 'bad-encoding' },
  { name: 'remove with no entries', record: rawOf('remove', { entries: [] }), error: 'bad-encoding' },
  {
    name: 'remove without info',
    record: rawOf('remove', { entries: [rawEntry(carol, 0, ZERO_KEY)], info: new Uint8Array(0) }),
    error: 'bad-encoding',
  },
  {
    name: 'leave with an entry',
    record: rawOf('leave', { entries: [rawEntry(alice, 0, ZERO_KEY)], info: new Uint8Array(0) }),
    error: 'bad-encoding',
  },
  { name: 'leave with info', record: rawOf('leave', { entries: [] }), error: 'bad-encoding' },
  {
    name: 'role with two entries',
    record: rawOf('role', {
      entries: [rawEntry(bob, 2, ZERO_KEY), rawEntry(alice, 1, ZERO_KEY)],
      info: new Uint8Array(0),
    }),
    error: 'bad-encoding',
  },
  {
    name: 'role with no entries',
    record: rawOf('role', { entries: [], info: new Uint8Array(0) }),
    error: 'bad-encoding',
  },
  {
    name: 'role 0 in a role change',
    record: rawOf('role', { entries: [rawEntry(bob, 0, ZERO_KEY)], info: new Uint8Array(0) }),
    error: 'bad-encoding',
  },
  {
    name: 'role change with a key',
    record: rawOf('role', { entries: [rawEntry(bob, 2)], info: new Uint8Array(0) }),
    error: 'bad-encoding',
  },
  {
    name: 'role change with info',
    record: rawOf('role', { entries: [rawEntry(bob, 2, ZERO_KEY)] }),
    error: 'bad-encoding',
  },
  {
    name: 'rename with an entry',
    record: rawOf('rename', { entries: [rawEntry(bob, 2, ZERO_KEY)] }),
    error: 'bad-encoding',
  },
  {
    name: 'rename without info',
    record: rawOf('rename', { entries: [], info: new Uint8Array(0) }),
    error: 'bad-encoding',
  },
].map(({ name, record, error }) => ({ name, record: hex(record), error }));

// ---------------------------------------------------------------- self-check

/** Fails loudly if a negative case does not fail the way it claims to. */
async function expectRejection(label, error, run) {
  try {
    await run();
  } catch (caught) {
    if (caught instanceof p.ProtocolError && caught.code === error) return;
    throw new Error(`${label}: expected ${error}, got ${caught?.code ?? caught}`, { cause: caught });
  }
  throw new Error(`${label}: expected ${error}, but it was accepted`);
}
function expectError(label, error, run) {
  try {
    run();
  } catch (caught) {
    if (caught instanceof p.ProtocolError && caught.code === error) return;
    throw new Error(`${label}: expected ${error}, got ${caught?.code ?? caught}`, { cause: caught });
  }
  throw new Error(`${label}: expected ${error}, but it was accepted`);
}
const keysFrom = (keys) => ({
  signPublicKey: p.fromHex(keys.signPublicKey),
  boxPublicKey: p.fromHex(keys.boxPublicKey),
});
for (const c of kdfParamsInvalid) expectError(c.name, c.error, () => p.decodeKdfParams(p.fromHex(c.encoded)));
for (const c of publicKeysInvalid)
  expectError(c.name, c.error, () => p.decodePublicKeys(p.fromHex(c.record), c.username, V1_ANY_USER_ID));
for (const c of publicKeysV2Invalid)
  expectError(c.name, c.error, () => p.decodePublicKeys(p.fromHex(c.record), c.username, c.userId));
for (const c of kemSeedInvalid) expectError(c.name, c.error, () => p.decodeKemSeed(p.fromHex(c.value)));
for (const c of keyBundleInvalid) {
  const expected = c.expected === undefined ? undefined : keysFrom(c.expected);
  expectError(c.name, c.error, () => p.openKeyBundle(p.fromHex(c.sealed), p.fromHex(c.wrapKey), c.username, expected));
}
for (const c of base64Invalid) expectError(c.name, c.error, () => p.fromBase64(c.text));
for (const c of uuidInvalid) expectError(c.name, c.error, () => p.uuidToBytes(c.text));

const identityOf = (username) => members[username].identity;
const wrapperFrom = (w) => ({ id: w.id, ...keysFrom(w) });
for (const v of roomKeyValid) {
  const opened = p.openRoomKey(
    p.fromHex(v.record),
    v.context,
    identityOf(v.member),
    wrapperFrom(publicOf(identityOf(v.wrapper))),
  );
  if (hex(opened.roomKey) !== v.roomKey || opened.hybrid) throw new Error(`${v.name}: room key does not open`);
}
for (const v of hybridValid) {
  const opened = p.openRoomKey(
    p.fromHex(v.record),
    v.context,
    hybridPeople[v.member],
    wrapperFrom(publicOf(identityOf(v.wrapper))),
  );
  if (hex(opened.roomKey) !== v.roomKey || !opened.hybrid) throw new Error(`${v.name}: hybrid room key does not open`);
}
for (const c of hybridInvalid) {
  const me = c.meHasKem ? hybridPeople[c.me] : identityOf(c.me);
  expectError(c.name, c.error, () => p.openRoomKey(p.fromHex(c.record), c.expected, me, wrapperFrom(c.wrapper)));
}
for (const c of roomKeyInvalid) {
  expectError(c.name, c.error, () =>
    p.openRoomKey(p.fromHex(c.record), c.expected, identityOf(c.me), wrapperFrom(c.wrapper)),
  );
}
for (const [version, list] of [
  [2, messageValid],
  [1, messageV1],
]) {
  for (const v of list) {
    const opened = p.openMessage(p.fromHex(v.envelope), v.header, p.fromHex(v.roomKey), identityOf(v.sender));
    if (JSON.stringify(opened) !== JSON.stringify({ version, header: v.header, body: v.body })) {
      throw new Error(`${v.name} (version ${version}): message does not open`);
    }
  }
}
for (const c of messageInvalid) {
  expectError(c.name, c.error, () =>
    p.openMessage(p.fromHex(c.envelope), c.expected, p.fromHex(c.roomKey), identityOf(c.sender)),
  );
}
for (const c of messageReplay) {
  const ledger = new p.MessageLedger();
  c.deliveries.forEach((d, i) => {
    const label = `${c.name}, delivery ${i}`;
    const open = () => {
      const { header } = p.openMessage(p.fromHex(d.envelope), d.expected, p.fromHex(d.roomKey), identityOf(d.sender));
      ledger.accept(header);
    };
    if (d.result === 'replay') expectError(label, 'replay', open);
    else open();
  });
}

for (const v of [...fileValid, ...fileValidV2]) {
  const encrypted = encryptedFiles[v.id];
  if (encrypted[0] !== v.version) throw new Error(`${v.name}: not version ${v.version}`);
  const plain = await p.decryptFile(p.fromHex(v.key), encrypted);
  if (hex(sha256(plain)) !== hex(sha256(pattern(v.plainSize)))) throw new Error(`${v.name}: file does not open`);
  if (p.plainFileSize(v.encryptedSize) !== v.plainSize) throw new Error(`${v.name}: sizes do not match`);
}
for (const c of [...fileInvalid, ...fileInvalidV2]) {
  await expectRejection(c.name, c.error, () => p.decryptFile(p.fromHex(c.key), assembleFile(c.parts)));
}
for (const c of fileSizesInvalid) expectError(c.name, c.error, () => p.plainFileSize(c.encryptedSize));
for (const v of fileMessageValid) {
  const read = p.readFileMessageBody(JSON.parse(JSON.stringify(v.body)));
  const decoded = { ...read, key: hex(read.key), digest: hex(read.digest) };
  if (JSON.stringify(decoded) !== JSON.stringify(v.decoded)) throw new Error(`${v.name}: file message does not read`);
}
for (const c of fileMessageInvalid) {
  expectError(c.name, c.error, () => p.readFileMessageBody(JSON.parse(JSON.stringify(c.body))));
}

const groupIdentity = (username) => identityOf(username);
for (const v of groupInfoValid) {
  const opened = p.openGroupInfo(p.fromHex(v.sealed), p.fromHex(v.roomKey));
  if (JSON.stringify(opened) !== JSON.stringify(v.info)) throw new Error(`${v.name}: group info does not open`);
}
for (const v of groupInfoReads) {
  const opened = p.openGroupInfo(p.fromHex(v.sealed), p.fromHex(v.roomKey));
  if (JSON.stringify(opened) !== JSON.stringify(v.info)) throw new Error(`${v.name}: group info does not read`);
}
for (const c of groupInfoInvalid) {
  expectError(c.name, c.error, () => p.openGroupInfo(p.fromHex(c.sealed), p.fromHex(c.roomKey)));
}
for (const v of groupValid) {
  const f = v.fields;
  const raw = rawGroupRecord({
    ...f,
    previous: p.fromHex(f.previous),
    signer: groupIdentity(v.signer),
    action: ACTION_CODES[f.action],
    entries: f.entries.map((e) => ({ user: e.userId, role: ROLE_CODES[e.role], key: p.fromHex(e.signPublicKey) })),
    info: p.fromHex(f.info),
  });
  if (hex(raw) !== v.record) throw new Error(`${v.name}: the package and the byte-by-byte encoder disagree`);
  if (!p.verifyGroupRecordSignature(raw, groupIdentity(v.signer).signPublicKey)) {
    throw new Error(`${v.name}: the signature does not verify`);
  }
  if (v.info !== null) {
    const opened = p.openGroupInfo(p.fromHex(f.info), groupKeyOf(f.epoch));
    if (JSON.stringify(opened) !== JSON.stringify(v.info))
      throw new Error(`${v.name}: the record's info does not open`);
  }
}
for (const c of groupInvalid) expectError(c.name, c.error, () => p.decodeGroupRecord(p.fromHex(c.record)));

// ---------------------------------------------------------------- output

const vectors = {
  about: [
    'OnionChat protocol v1 test vectors; formats are described in docs/PROTOCOL.md.',
    'Byte strings are lower-case hex unless a field says base64. Generated by protocol/scripts/generate-vectors.mjs; do not edit by hand.',
    'Fixed inputs are the first n bytes of SHA-512("OnionChat test vector: " || label).',
    'Negative cases name the ProtocolError code a conforming implementation must throw.',
    "Files: the plaintext follows files.pattern; files over 1 KiB are given as SHA-256 of the plaintext, ciphertext and each chunk. Negative file cases list parts to concatenate: byte ranges [start, end) of a valid file's ciphertext (by id) and literal hex; encryptedSha256 checks the result.",
    'group: group records (section 19) of one room; the valid records form one chain, each with its fields, its signer (a user), the info it carries opened with roomKeys[epoch], and its digest. info.valid are written by sealGroupInfo with the nonce given; info.reads are read only; invalid cases name the code decodeGroupRecord or openGroupInfo must throw.',
  ],
  identity,
  kdf: { params: { valid: kdfParamsValid, invalid: kdfParamsInvalid }, derivation: kdfDerivation },
  publicKeys: { valid: publicKeysValid, invalid: publicKeysInvalid },
  publicKeysV2: { valid: publicKeysV2Valid, invalid: publicKeysV2Invalid },
  kemSeed: { valid: kemSeedValid, invalid: kemSeedInvalid },
  keyBundle: { valid: keyBundleValid, invalid: keyBundleInvalid },
  base64: { valid: base64Valid, invalid: base64Invalid },
  usernames,
  uuid: { valid: uuidValid, invalid: uuidInvalid },
  users,
  roomKey: { valid: roomKeyValid, invalid: roomKeyInvalid },
  roomKeyHybrid: {
    kemSeeds: Object.fromEntries(Object.values(hybridPeople).map((who) => [who.username, hex(kemSeedOf(who))])),
    valid: hybridValid,
    invalid: hybridInvalid,
  },
  message: { valid: messageValid, v1: messageV1, invalid: messageInvalid, replay: messageReplay },
  files: {
    pattern: `plaintext byte i is i mod ${FILE_PATTERN_MODULUS}`,
    valid: fileValid,
    invalid: fileInvalid,
    v2: { valid: fileValidV2, invalid: fileInvalidV2 },
    sizes: { valid: fileSizesValid, invalid: fileSizesInvalid },
  },
  fileMessage: { valid: fileMessageValid, invalid: fileMessageInvalid },
  trust: {
    safetyNumber: { valid: safetyNumbers, invalidQr: safetyQrInvalid },
    contactPins: { valid: contactPinsValid, invalid: contactPinsInvalid },
    bundleUpdate,
    senderCounter: { invalid: senderCounterInvalid },
  },
  group: {
    roomId: roomG,
    roomKeys: Object.fromEntries([1, 2, 3, 4].map((epoch) => [epoch, hex(groupKeyOf(epoch))])),
    info: { valid: groupInfoValid, reads: groupInfoReads, invalid: groupInfoInvalid },
    valid: groupValid,
    invalid: groupInvalid,
  },
};

writeFileSync(OUTPUT, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(`wrote ${OUTPUT.pathname}`);
