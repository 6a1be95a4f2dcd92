// Writes protocol/testdata/vectors.json from the built package (protocol/dist).
// Everything is deterministic: seeds, salts, nonces and keys come from
// SHA-512 of fixed labels, so running this twice gives an identical file.
// Run with: npm run vectors -w protocol   (builds first)
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
const alice = people.alice;
const bob = people.bob;

const identity = Object.values(people).map((id) => ({
  username: id.username,
  boxSecretKey: hex(id.boxSecretKey),
  signSeed: hex(id.signSeed),
  boxPublicKey: hex(id.boxPublicKey),
  signPublicKey: hex(id.signPublicKey),
  signSecretKey: hex(id.signSecretKey),
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

const publicKeysValid = Object.values(people).map((id) => {
  const record = p.encodePublicKeys(id);
  return {
    username: id.username,
    boxSecretKey: hex(id.boxSecretKey),
    signSeed: hex(id.signSeed),
    record: hex(record),
    base64: p.toBase64(record),
    fingerprint: p.fingerprint(p.decodePublicKeys(record, id.username)),
  };
});

/** A correctly signed record around any box key, to test the key checks behind the signature. */
function signedRecord(id, boxPublicKey, version = p.PUBLIC_KEYS_VERSION) {
  const body = concat(Uint8Array.of(version), id.signPublicKey, boxPublicKey);
  const message = concat(utf8('OnionChat v1 public keys\0'), usernameField(id.username), body);
  return concat(body, nacl.sign.detached(message, id.signSecretKey));
}

const aliceRecord = p.encodePublicKeys(alice);
const smallOrderKey = p.fromHex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800');
const publicKeysInvalid = [
  { name: 'empty', record: new Uint8Array(0), error: 'bad-length' },
  { name: 'one byte short', record: aliceRecord.subarray(0, 128), error: 'bad-length' },
  { name: 'one byte too long', record: concat(aliceRecord, Uint8Array.of(0)), error: 'bad-length' },
  { name: 'version 0', record: withByte(aliceRecord, 0, 0), error: 'bad-version' },
  { name: 'version 2 (validly signed)', record: signedRecord(alice, alice.boxPublicKey, 2), error: 'bad-version' },
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

// ---------------------------------------------------------------- self-check

/** Fails loudly if a negative case does not fail the way it claims to. */
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
  expectError(c.name, c.error, () => p.decodePublicKeys(p.fromHex(c.record), c.username));
for (const c of keyBundleInvalid) {
  const expected = c.expected === undefined ? undefined : keysFrom(c.expected);
  expectError(c.name, c.error, () => p.openKeyBundle(p.fromHex(c.sealed), p.fromHex(c.wrapKey), c.username, expected));
}
for (const c of base64Invalid) expectError(c.name, c.error, () => p.fromBase64(c.text));

// ---------------------------------------------------------------- output

const vectors = {
  about: [
    'OnionChat protocol v1 test vectors; formats are described in docs/PROTOCOL.md.',
    'Byte strings are lower-case hex unless a field says base64. Generated by protocol/scripts/generate-vectors.mjs; do not edit by hand.',
    'Fixed inputs are the first n bytes of SHA-512("OnionChat test vector: " || label).',
    'Negative cases name the ProtocolError code a conforming implementation must throw.',
  ],
  identity,
  kdf: { params: { valid: kdfParamsValid, invalid: kdfParamsInvalid }, derivation: kdfDerivation },
  publicKeys: { valid: publicKeysValid, invalid: publicKeysInvalid },
  keyBundle: { valid: keyBundleValid, invalid: keyBundleInvalid },
  base64: { valid: base64Valid, invalid: base64Invalid },
  usernames,
};

writeFileSync(OUTPUT, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(`wrote ${OUTPUT.pathname}`);
