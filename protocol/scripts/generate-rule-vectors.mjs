// Writes protocol/testdata/rules.json: vectors for the rules that judge several
// records together (who may hand out a room key, the sender counter walk, the
// pin comparison, by user id and by username). Unlike vectors.json, every
// expected result here is written by hand from docs/PROTOCOL.md; the built
// package (protocol/dist) must agree with each one, or nothing is written. Ids and keys are the fixed ones of
// vectors.json, so running this twice gives an identical file.
// Run with: npm run vectors -w protocol   (builds first)
import { writeFileSync } from 'node:fs';
import nacl from 'tweetnacl';
import * as p from '../dist/index.js';

const OUTPUT = new URL('../testdata/rules.json', import.meta.url);
const hex = p.toHex;

/** As in generate-vectors.mjs: SHA-512("OnionChat test vector: " || label), cut to n bytes. */
function fixed(label, n) {
  return nacl.hash(new TextEncoder().encode(`OnionChat test vector: ${label}`)).slice(0, n);
}

/** As in generate-vectors.mjs: a fixed id with the UUID version 4 and variant bits set. */
function fixedUuid(label) {
  const bytes = fixed(`${label} id`, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return p.bytesToUuid(bytes);
}

function flipBit(bytes, index, bit = 0) {
  const out = bytes.slice();
  out[index] ^= 1 << bit;
  return out;
}

// ---------------------------------------------------------------- users (the users of vectors.json)

const people = {};
/** Their secret keys too, to sign the group records of section 19. */
const identities = {};
for (const name of ['alice', 'bob', 'carol_99', 'mallory']) {
  const identity = p.identityFromSeeds(name, fixed(`${name} box secret key`, 32), fixed(`${name} sign seed`, 32));
  people[name] = { id: fixedUuid(`user ${name}`), username: name, signPublicKey: identity.signPublicKey };
  identities[name] = identity;
}
const { alice, bob, carol_99: carol, mallory } = people;
const users = Object.values(people).map((u) => ({ ...u, signPublicKey: hex(u.signPublicKey) }));

// ---------------------------------------------------------------- section 8: entitled wrapper

const roomA = fixedUuid('room A');
const roomG = fixedUuid('room G');
const direct = (...who) => ({ id: roomA, kind: 'direct', members: who.map((u) => ({ id: u.id })) });
const group = (...who) => ({ id: roomG, kind: 'group', members: who.map((u) => ({ id: u.id })) });
const ME = { kind: 'me' };
const memberResult = (u) => ({ kind: 'member', memberId: u.id });

const wrapperValid = [
  { name: 'direct room: the friend wrapped it', room: direct(alice, bob), me: bob, wrapper: alice },
  { name: 'direct room: this account wrapped it itself', room: direct(alice, bob), me: alice, wrapper: alice },
  {
    name: 'direct room listing a member twice still has two members',
    room: direct(alice, bob, bob),
    me: alice,
    wrapper: bob,
  },
  { name: 'group room: any member may wrap', room: group(alice, bob, carol), me: carol, wrapper: bob },
  { name: 'group room of one: this account wrapped it', room: group(alice), me: alice, wrapper: alice },
].map(({ name, room, me, wrapper }) => ({
  name,
  room,
  meId: me.id,
  wrapperId: wrapper.id,
  result: wrapper === me ? ME : memberResult(wrapper),
}));

const wrapperInvalid = [
  { name: 'this account is not a member', room: direct(alice, bob), me: carol, wrapper: alice, error: 'not-a-member' },
  {
    name: 'this account is not a member, and says it wrapped the key',
    room: direct(alice, bob),
    me: carol,
    wrapper: carol,
    error: 'not-a-member',
  },
  { name: 'not a member of a group room', room: group(alice, bob), me: carol, wrapper: bob, error: 'not-a-member' },
  { name: 'no members at all', room: group(), me: alice, wrapper: alice, error: 'not-a-member' },
  {
    name: 'not a member of a direct room of three (membership is checked first)',
    room: direct(alice, bob, mallory),
    me: carol,
    wrapper: alice,
    error: 'not-a-member',
  },
  { name: 'direct room of one, self-wrapped', room: direct(alice), me: alice, wrapper: alice, error: 'bad-room' },
  {
    name: 'direct room of three, wrapped by a listed member',
    room: direct(alice, bob, mallory),
    me: alice,
    wrapper: bob,
    error: 'bad-room',
  },
  {
    name: 'direct room of three, wrapped by an outsider (the room is checked first)',
    room: direct(alice, bob, mallory),
    me: alice,
    wrapper: carol,
    error: 'bad-room',
  },
  {
    name: "direct room: the server's own account wrapped it",
    room: direct(alice, bob),
    me: bob,
    wrapper: mallory,
    error: 'not-entitled',
  },
  {
    name: 'group room: wrapped by an outsider',
    room: group(alice, bob, carol),
    me: carol,
    wrapper: mallory,
    error: 'not-entitled',
  },
].map(({ name, room, me, wrapper, error }) => ({ name, room, meId: me.id, wrapperId: wrapper.id, error }));
wrapperInvalid.push({
  name: "the friend's id in upper case (ids compare as text)",
  room: direct(alice, bob),
  meId: bob.id,
  wrapperId: alice.id.toUpperCase(),
  error: 'not-entitled',
});

// ---------------------------------------------------------------- section 18: sender counter walk

const aliceChain = fixedUuid('alice chain 1');
const aliceChain2 = fixedUuid('alice chain 2');
const carolChain = fixedUuid('carol chain');
const MAX_N = Number.MAX_SAFE_INTEGER;

/** Messages in sequence order: [sender, chain, n], keyed by their position from 1 (as a sequence number). */
const walk = (...rows) =>
  rows.map(([sender, chain, n], i) => ({ key: String(i + 1), senderId: sender.id, counter: { chain, n } }));
const missing = (at, sender, count) => ({ at: String(at), senderId: sender.id, kind: 'missing', count });
const outOfOrder = (at, sender) => ({ at: String(at), senderId: sender.id, kind: 'out-of-order' });

const walks = [
  { name: 'nothing to walk', complete: true, messages: walk(), findings: [] },
  {
    name: 'whole history, in order from 1',
    complete: true,
    messages: walk([alice, aliceChain, 1], [alice, aliceChain, 2], [alice, aliceChain, 3]),
    findings: [],
  },
  {
    name: 'two senders interleaved, each in order',
    complete: true,
    messages: walk([alice, aliceChain, 1], [carol, carolChain, 1], [carol, carolChain, 2], [alice, aliceChain, 2]),
    findings: [],
  },
  {
    name: 'a new session starts a new chain at 1',
    complete: true,
    messages: walk([alice, aliceChain, 1], [alice, aliceChain, 2], [alice, aliceChain2, 1], [alice, aliceChain2, 2]),
    findings: [],
  },
  {
    name: 'the same chain id from two senders is two chains',
    complete: true,
    messages: walk([alice, aliceChain, 1], [carol, aliceChain, 1], [alice, aliceChain, 2]),
    findings: [],
  },
  {
    name: 'history not complete: a chain may start past 1',
    complete: false,
    messages: walk([alice, aliceChain, 5], [alice, aliceChain, 6]),
    findings: [],
  },
  {
    name: 'history not complete: the largest n',
    complete: false,
    messages: walk([alice, aliceChain, MAX_N - 1], [alice, aliceChain, MAX_N]),
    findings: [],
  },
  {
    name: 'whole history, but the chain starts at 2',
    complete: true,
    messages: walk([alice, aliceChain, 2], [alice, aliceChain, 3]),
    findings: [missing(1, alice, 1)],
  },
  {
    name: 'whole history, but the chain starts at the largest n',
    complete: true,
    messages: walk([alice, aliceChain, MAX_N]),
    findings: [missing(1, alice, MAX_N - 1)],
  },
  {
    name: 'one message withheld',
    complete: true,
    messages: walk([alice, aliceChain, 1], [alice, aliceChain, 2], [alice, aliceChain, 4]),
    findings: [missing(3, alice, 1)],
  },
  {
    name: 'three messages withheld, history not complete',
    complete: false,
    messages: walk([alice, aliceChain, 7], [alice, aliceChain, 11]),
    findings: [missing(2, alice, 3)],
  },
  {
    name: 'a repeat',
    complete: true,
    messages: walk([alice, aliceChain, 1], [alice, aliceChain, 2], [alice, aliceChain, 2]),
    findings: [outOfOrder(3, alice)],
  },
  {
    name: 'two messages swapped: a gap, then a step back',
    complete: true,
    messages: walk([alice, aliceChain, 1], [alice, aliceChain, 3], [alice, aliceChain, 2]),
    findings: [missing(2, alice, 1), outOfOrder(3, alice)],
  },
  {
    name: 'after a step back the next in line is in order (the mark does not drop)',
    complete: true,
    messages: walk(
      [alice, aliceChain, 1],
      [alice, aliceChain, 2],
      [alice, aliceChain, 3],
      [alice, aliceChain, 1],
      [alice, aliceChain, 4],
    ),
    findings: [outOfOrder(4, alice)],
  },
  {
    name: 'a jump, then the skipped ones late',
    complete: true,
    messages: walk(
      [alice, aliceChain, 1],
      [alice, aliceChain, 4],
      [alice, aliceChain, 2],
      [alice, aliceChain, 3],
      [alice, aliceChain, 5],
    ),
    findings: [missing(2, alice, 2), outOfOrder(3, alice), outOfOrder(4, alice)],
  },
  {
    name: "one sender's gap is not another's",
    complete: true,
    messages: walk([alice, aliceChain, 1], [carol, carolChain, 2], [alice, aliceChain, 2], [carol, carolChain, 3]),
    findings: [missing(2, carol, 1)],
  },
  {
    name: 'an old chain going on after a new one started',
    complete: true,
    messages: walk([alice, aliceChain, 1], [alice, aliceChain2, 1], [alice, aliceChain, 3], [alice, aliceChain2, 1]),
    findings: [missing(3, alice, 1), outOfOrder(4, alice)],
  },
];

const walkInvalid = [
  { name: 'n of 0', n: 0 },
  { name: 'n not an integer', n: 1.5 },
  { name: 'n negative', n: -1 },
  { name: 'n of 2^53, above 2^53 - 1', n: MAX_N + 1 },
  { name: 'n as a string', n: '2' },
  { name: 'chain not a canonical UUID (upper case)', chain: aliceChain.toUpperCase() },
  { name: 'chain not a UUID', chain: 'chain-1' },
].map(({ name, chain = aliceChain, n = 2 }) => {
  const messages = walk([alice, aliceChain, 1], [alice, aliceChain, 2], [alice, aliceChain, 3]);
  messages[1].counter = { chain, n };
  return { name, complete: true, messages, error: 'bad-content' };
});

// ---------------------------------------------------------------- section 16: pin comparison

const bobPin = { userId: bob.id, username: 'bob', signPublicKey: bob.signPublicKey, verified: false };
const bobVerified = { ...bobPin, verified: true };
const bobKey = bob.signPublicKey;

const pinVerdicts = [
  { name: 'no pin: first contact', pin: null, username: 'bob', key: bobKey, verdict: 'new' },
  { name: 'the pinned key and username', pin: bobPin, username: 'bob', key: bobKey, verdict: 'same' },
  { name: 'the pinned key, pin verified', pin: bobVerified, username: 'bob', key: bobKey, verdict: 'same' },
  {
    name: 'the username in another spelling is the same name',
    pin: bobPin,
    username: ' Bob',
    key: bobKey,
    verdict: 'same',
  },
  { name: 'another key', pin: bobPin, username: 'bob', key: mallory.signPublicKey, verdict: 'changed' },
  {
    name: 'another key, pin verified',
    pin: bobVerified,
    username: 'bob',
    key: mallory.signPublicKey,
    verdict: 'changed',
  },
  { name: 'the pinned key under another username', pin: bobPin, username: 'robert', key: bobKey, verdict: 'changed' },
  {
    name: 'the first bit of the key flipped',
    pin: bobPin,
    username: 'bob',
    key: flipBit(bobKey, 0),
    verdict: 'changed',
  },
  {
    name: 'the last bit of the key flipped',
    pin: bobVerified,
    username: 'bob',
    key: flipBit(bobKey, 31, 7),
    verdict: 'changed',
  },
];

const pinInvalid = [
  { name: 'key one byte short', pin: bobPin, username: 'bob', key: bobKey.subarray(0, 31), error: 'bad-length' },
  {
    name: 'key one byte short, no pin (never pinned)',
    pin: null,
    username: 'bob',
    key: bobKey.subarray(0, 31),
    error: 'bad-length',
  },
  { name: 'key one byte too long', pin: bobPin, username: 'bob', key: new Uint8Array(33), error: 'bad-length' },
  { name: 'empty key', pin: null, username: 'bob', key: new Uint8Array(0), error: 'bad-length' },
  { name: 'invalid username', pin: bobPin, username: '1bob', key: bobKey, error: 'bad-encoding' },
  { name: 'empty username, no pin', pin: null, username: '', key: bobKey, error: 'bad-encoding' },
];

const hexPin = (pin) => (pin === null ? null : { ...pin, signPublicKey: hex(pin.signPublicKey) });
const pinCase = ({ key, pin, ...rest }) => ({ ...rest, pin: hexPin(pin), signPublicKey: hex(key) });

// ---------------------------------------------------------------- section 16: pins by id and by username

// The server presents a known person under an id it made up (with its own keys, or
// even the pinned ones), or a known id under another name: both are key changes.
const newBobId = fixedUuid('user bob, as the server presents him under a new id');
const carolPin = { userId: carol.id, username: 'carol_99', signPublicKey: carol.signPublicKey, verified: false };
const staleBob = { ...bobPin, userId: fixedUuid('user bob, an older id') };
const pinned = [bobPin, carolPin];
const pinnedVerified = [bobVerified, carolPin];

const amongVerdicts = [
  { name: 'no pins at all: first contact', pins: [], id: newBobId, username: 'bob', key: bobKey, verdict: 'new' },
  {
    name: 'pins for other contacts only: first contact',
    pins: [carolPin],
    id: bob.id,
    username: 'bob',
    key: bobKey,
    verdict: 'new',
  },
  {
    name: 'the pin for this id: pinned key and name',
    pins: pinned,
    id: bob.id,
    username: 'bob',
    key: bobKey,
    verdict: 'same',
  },
  {
    name: 'the pin for this id: another key',
    pins: pinned,
    id: bob.id,
    username: 'bob',
    key: mallory.signPublicKey,
    verdict: 'changed',
  },
  {
    name: 'known id with a new name (the pinned key)',
    pins: pinned,
    id: bob.id,
    username: 'robert',
    key: bobKey,
    verdict: 'changed',
  },
  {
    name: 'known id with the name of another pinned contact',
    pins: pinned,
    id: bob.id,
    username: 'carol_99',
    key: carol.signPublicKey,
    verdict: 'changed',
  },
  {
    name: 'known name under a new id, the pinned key',
    pins: pinned,
    id: newBobId,
    username: 'bob',
    key: bobKey,
    verdict: 'changed',
  },
  {
    name: 'known name under a new id, another key',
    pins: pinned,
    id: newBobId,
    username: 'bob',
    key: mallory.signPublicKey,
    verdict: 'changed',
  },
  {
    name: 'known verified name under a new id, another key',
    pins: pinnedVerified,
    id: newBobId,
    username: 'bob',
    key: mallory.signPublicKey,
    verdict: 'changed',
  },
  {
    name: 'known name in another spelling under a new id',
    pins: pinned,
    id: newBobId,
    username: ' BOB ',
    key: mallory.signPublicKey,
    verdict: 'changed',
  },
  {
    name: 'known name under the id of another pinned contact',
    pins: pinned,
    id: carol.id,
    username: 'bob',
    key: bobKey,
    verdict: 'changed',
  },
  {
    name: 'a longer name is another name: first contact',
    pins: pinned,
    id: newBobId,
    username: 'bobby',
    key: mallory.signPublicKey,
    verdict: 'new',
  },
  {
    name: 'the pin for this id wins over an older id pinned for the same name',
    pins: [staleBob, { ...bobPin, userId: newBobId }],
    id: newBobId,
    username: 'bob',
    key: bobKey,
    verdict: 'same',
  },
];

const amongInvalid = [
  {
    name: 'key one byte short, known name under a new id',
    pins: pinned,
    id: newBobId,
    username: 'bob',
    key: bobKey.subarray(0, 31),
    error: 'bad-length',
  },
  {
    name: 'key one byte too long, no pins',
    pins: [],
    id: bob.id,
    username: 'bob',
    key: new Uint8Array(33),
    error: 'bad-length',
  },
  {
    name: 'invalid username, known id',
    pins: pinned,
    id: bob.id,
    username: '1bob',
    key: bobKey,
    error: 'bad-encoding',
  },
  { name: 'empty username, no pins', pins: [], id: newBobId, username: '', key: bobKey, error: 'bad-encoding' },
];

const pinForResults = [
  { name: 'no pins', pins: [], id: bob.id, username: 'bob', result: null },
  { name: 'by id', pins: pinned, id: bob.id, username: 'bob', result: bobPin },
  { name: 'by id, under a new name', pins: pinned, id: bob.id, username: 'robert', result: bobPin },
  {
    name: 'by id, under the name of another pinned contact',
    pins: pinned,
    id: bob.id,
    username: 'carol_99',
    result: bobPin,
  },
  { name: 'by name under a new id', pins: pinnedVerified, id: newBobId, username: 'bob', result: bobVerified },
  { name: 'by name in another spelling under a new id', pins: pinned, id: newBobId, username: ' Bob', result: bobPin },
  {
    name: 'by name, a verified pin first when the name is pinned under several ids',
    pins: [staleBob, bobVerified, carolPin],
    id: newBobId,
    username: 'bob',
    result: bobVerified,
  },
  { name: 'neither id nor name pinned', pins: pinned, id: newBobId, username: 'bobby', result: null },
];

const pinForInvalid = [
  { name: 'invalid username', pins: pinned, id: bob.id, username: '1bob', error: 'bad-encoding' },
  { name: 'username too short, no pins', pins: [], id: bob.id, username: 'bo', error: 'bad-encoding' },
];

const amongCase = ({ key, pins, id, ...rest }) => ({
  ...rest,
  pins: pins.map(hexPin),
  userId: id,
  signPublicKey: hex(key),
});
const pinForCase = ({ pins, id, result, ...rest }) => ({
  ...rest,
  pins: pins.map(hexPin),
  userId: id,
  ...(result === undefined ? {} : { result: hexPin(result) }),
});

// ---------------------------------------------------------------- section 16: merging pins

// Another session stored pins meanwhile: the merge only adds, and a verified mark is never lost.
const bobOtherKey = { ...bobPin, signPublicKey: mallory.signPublicKey };
const bobRenamed = { ...bobVerified, username: 'robert' };
const carolVerified = { ...carolPin, verified: true };
const alicePin = { userId: alice.id, username: 'alice', signPublicKey: alice.signPublicKey, verified: false };
// Pins are listed sorted by user id in every result.
const byId = (...pins) => [...pins].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));

const mergeResults = [
  { name: 'nothing on either side', local: [], stored: [], removed: [], result: [] },
  { name: 'only local pins', local: [carolPin, bobPin], stored: [], removed: [], result: byId(bobPin, carolPin) },
  { name: 'only stored pins', local: [], stored: [bobPin, carolPin], removed: [], result: byId(bobPin, carolPin) },
  {
    name: 'different contacts on each side: the union',
    local: [bobPin],
    stored: [carolPin, alicePin],
    removed: [],
    result: byId(alicePin, bobPin, carolPin),
  },
  {
    name: 'the same key, verified only in the stored pins: stays verified',
    local: [bobPin, carolPin],
    stored: [bobVerified],
    removed: [],
    result: byId(bobVerified, carolPin),
  },
  {
    name: 'the same key, verified only locally: stays verified',
    local: [bobVerified],
    stored: [bobPin, carolVerified],
    removed: [],
    result: byId(bobVerified, carolVerified),
  },
  {
    name: 'another key for the same id: the local pin wins, unverified',
    local: [bobOtherKey],
    stored: [bobVerified],
    removed: [],
    result: [bobOtherKey],
  },
  {
    name: 'another key for the same id: the local verified pin wins',
    local: [{ ...bobOtherKey, verified: true }],
    stored: [bobPin],
    removed: [],
    result: [{ ...bobOtherKey, verified: true }],
  },
  {
    name: 'the same key under another username: the local pin wins, and the stored mark does not carry over',
    local: [{ ...bobRenamed, verified: false }],
    stored: [bobVerified],
    removed: [],
    result: [{ ...bobRenamed, verified: false }],
  },
  {
    name: 'a pin removed locally stays removed',
    local: [bobPin],
    stored: [staleBob, bobPin, carolPin],
    removed: [staleBob.userId],
    result: byId(bobPin, carolPin),
  },
  {
    name: 'a removed id that was never stored changes nothing',
    local: [carolPin],
    stored: [bobVerified],
    removed: [staleBob.userId],
    result: byId(bobVerified, carolPin),
  },
];

const mergeInvalid = [
  {
    name: 'a local key one byte short',
    local: [{ ...bobPin, signPublicKey: bobKey.subarray(0, 31) }],
    stored: [],
    removed: [],
    error: 'bad-length',
  },
  {
    name: 'a stored key one byte too long',
    local: [],
    stored: [{ ...carolPin, signPublicKey: new Uint8Array(33) }],
    removed: [],
    error: 'bad-length',
  },
];

const mergeCase = ({ local, stored, result, ...rest }) => ({
  ...rest,
  local: local.map(hexPin),
  stored: stored.map(hexPin),
  ...(result === undefined ? {} : { result: result.map(hexPin) }),
});

// ---------------------------------------------------------------- sections 6 and 17: bundle state

// value = version(1)=1 || revision(u64) || kdfFloor(u32), written out by hand.
const bundleStateValid = [
  {
    name: 'revision 1, the default cost',
    value: '01' + '0000000000000001' + '000f4240',
    revision: 1,
    kdfFloor: 1_000_000,
  },
  {
    name: 'revision 0, the minimum cost',
    value: '01' + '0000000000000000' + '000927c0',
    revision: 0,
    kdfFloor: 600_000,
  },
  {
    name: 'revision 2^53 - 1, the maximum cost',
    value: '01' + '001fffffffffffff' + '00989680',
    revision: 2 ** 53 - 1,
    kdfFloor: 10_000_000,
  },
  {
    name: 'revision 2^32 (above 32 bits)',
    value: '01' + '0000000100000000' + '000f4240',
    revision: 2 ** 32,
    kdfFloor: 1_000_000,
  },
];

const bundleStateInvalid = [
  { name: 'empty', value: '', error: 'bad-length' },
  { name: 'one byte short', value: '01' + '0000000000000001' + '000f42', error: 'bad-length' },
  { name: 'one byte too long', value: '01' + '0000000000000001' + '000f4240' + '00', error: 'bad-length' },
  { name: 'version 0', value: '00' + '0000000000000001' + '000f4240', error: 'bad-version' },
  { name: 'version 2', value: '02' + '0000000000000001' + '000f4240', error: 'bad-version' },
  { name: 'revision 2^53, above 2^53 - 1', value: '01' + '0020000000000000' + '000f4240', error: 'bad-encoding' },
  { name: 'KDF floor 0', value: '01' + '0000000000000001' + '00000000', error: 'bad-encoding' },
  {
    name: 'KDF floor 599,999, below the minimum',
    value: '01' + '0000000000000001' + '000927bf',
    error: 'bad-encoding',
  },
  {
    name: 'KDF floor 10,000,001, above the maximum',
    value: '01' + '0000000000000001' + '00989681',
    error: 'bad-encoding',
  },
];

const revisionChecks = [
  { name: 'nothing seen yet, a bundle without a state', seen: 0, got: 0, error: null },
  { name: 'the revision already seen', seen: 5, got: 5, error: null },
  { name: 'a newer revision', seen: 5, got: 6, error: null },
  { name: 'a much newer revision', seen: 5, got: 2 ** 53 - 1, error: null },
  { name: 'one revision older', seen: 5, got: 4, error: 'rollback' },
  { name: 'a bundle without a state after one with a state', seen: 1, got: 0, error: 'rollback' },
  { name: 'a seen revision that is not an integer', seen: 1.5, got: 2, error: 'bad-encoding' },
  { name: 'a negative revision', seen: 0, got: -1, error: 'bad-encoding' },
];

const kdfFloorChecks = [
  { name: 'no floor known', iterations: 600_000, floor: 0, error: null },
  { name: 'at the floor', iterations: 1_000_000, floor: 1_000_000, error: null },
  { name: 'above the floor', iterations: 2_000_000, floor: 1_000_000, error: null },
  { name: 'one iteration below the floor', iterations: 999_999, floor: 1_000_000, error: 'weak-kdf' },
  { name: 'the minimum, below a floor of the default', iterations: 600_000, floor: 1_000_000, error: 'weak-kdf' },
  { name: 'a negative floor', iterations: 1_000_000, floor: -1, error: 'bad-encoding' },
];

const kdfParamsOf = (iterations) => ({ algorithm: p.KDF_PBKDF2_SHA256, iterations, salt: new Uint8Array(16) });

// ---------------------------------------------------------------- section 9: send time

const SENT = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const MINUTE = 60_000;
const sendTimes = [
  {
    name: 'sent and stored at the same moment',
    sentAt: SENT,
    serverTime: SENT,
    previousSentAt: null,
    result: { verdict: 'ok' },
  },
  {
    name: 'a sender clock 10 minutes fast (the edge)',
    sentAt: SENT + 10 * MINUTE,
    serverTime: SENT,
    previousSentAt: null,
    result: { verdict: 'ok' },
  },
  {
    name: 'a sender clock 10 minutes and 1 ms fast',
    sentAt: SENT + 10 * MINUTE + 1,
    serverTime: SENT,
    previousSentAt: null,
    result: { verdict: 're-timed', reason: 'ahead' },
  },
  {
    name: 'stored 2 hours after it was sealed (an outbox retry, the edge)',
    sentAt: SENT - 120 * MINUTE,
    serverTime: SENT,
    previousSentAt: null,
    result: { verdict: 'ok' },
  },
  {
    name: 'stored 2 hours and 1 ms after it was sealed (held back or replayed)',
    sentAt: SENT - 120 * MINUTE - 1,
    serverTime: SENT,
    previousSentAt: null,
    result: { verdict: 're-timed', reason: 'behind' },
  },
  {
    name: 'a message of last year delivered now',
    sentAt: SENT - 365 * 24 * 60 * MINUTE,
    serverTime: SENT,
    previousSentAt: null,
    result: { verdict: 're-timed', reason: 'behind' },
  },
  {
    name: 'the same millisecond as the previous message of its chain',
    sentAt: SENT,
    serverTime: SENT,
    previousSentAt: SENT,
    result: { verdict: 'ok' },
  },
  {
    name: '1 ms before the previous message of its chain',
    sentAt: SENT - 1,
    serverTime: SENT,
    previousSentAt: SENT,
    result: { verdict: 're-timed', reason: 'before-previous' },
  },
  {
    name: 'ahead of the server and before the previous message: ahead is told first',
    sentAt: SENT + 11 * MINUTE,
    serverTime: SENT,
    previousSentAt: SENT + 12 * MINUTE,
    result: { verdict: 're-timed', reason: 'ahead' },
  },
];
const sendTimeInvalid = [
  { name: 'a negative send time', sentAt: -1, serverTime: SENT, previousSentAt: null, error: 'bad-encoding' },
  { name: 'a send time of 2^53', sentAt: 2 ** 53, serverTime: SENT, previousSentAt: null, error: 'bad-encoding' },
  {
    name: 'a server time with a fraction',
    sentAt: SENT,
    serverTime: SENT + 0.5,
    previousSentAt: null,
    error: 'bad-encoding',
  },
  { name: 'a negative previous send time', sentAt: SENT, serverTime: SENT, previousSentAt: -5, error: 'bad-encoding' },
];

// ---------------------------------------------------------------- section 18: chain marks

const bobChain = fixedUuid('bob chain');
const bobChain2 = fixedUuid('bob chain 2');
const uuidHex = (id) => id.replaceAll('-', '');
const u64Hex = (n) => n.toString(16).padStart(16, '0');
/** roomId(16) senderId(16) chain(16) n(u64) seq(u64), written out by hand. */
const markHex = (m) => uuidHex(m.roomId) + uuidHex(m.senderId) + uuidHex(m.chain) + u64Hex(m.n) + u64Hex(m.seq);
const bobMark = { roomId: roomA, senderId: bob.id, chain: bobChain, n: 5, seq: 20 };
const carolMark = { roomId: roomG, senderId: carol.id, chain: carolChain, n: 1, seq: 3 };

const chainMarksValid = [
  { name: 'no marks', value: '01', marks: [] },
  { name: "one mark: bob's chain in room A, n 5 at seq 20", value: '01' + markHex(bobMark), marks: [bobMark] },
  {
    name: 'two marks, least recently updated first',
    value: '01' + markHex(carolMark) + markHex(bobMark),
    marks: [carolMark, bobMark],
  },
  {
    name: 'n and seq of 2^53 - 1',
    value: '01' + markHex({ ...bobMark, n: MAX_N, seq: MAX_N }),
    marks: [{ ...bobMark, n: MAX_N, seq: MAX_N }],
  },
  {
    name: 'the same sender in two rooms',
    value: '01' + markHex(bobMark) + markHex({ ...bobMark, roomId: roomG }),
    marks: [bobMark, { ...bobMark, roomId: roomG }],
  },
];
const chainMarksInvalid = [
  { name: 'empty', value: '', error: 'bad-length' },
  { name: 'version 0', value: '00' + markHex(bobMark), error: 'bad-version' },
  { name: 'version 2', value: '02' + markHex(bobMark), error: 'bad-version' },
  { name: 'one byte short of an entry', value: '01' + markHex(bobMark).slice(0, -2), error: 'bad-length' },
  { name: 'one byte after the last entry', value: '01' + markHex(bobMark) + '00', error: 'bad-length' },
  { name: '401 entries (more than CHAIN_MARKS_MAX)', value: '01' + '00'.repeat(401 * 64), error: 'bad-length' },
  {
    name: 'two marks for bob in room A',
    value: '01' + markHex(bobMark) + markHex({ ...bobMark, chain: bobChain2, n: 1, seq: 30 }),
    error: 'bad-encoding',
  },
  { name: 'n 0', value: '01' + markHex({ ...bobMark, n: 0 }), error: 'bad-encoding' },
  { name: 'seq 0', value: '01' + markHex({ ...bobMark, seq: 0 }), error: 'bad-encoding' },
  { name: 'n 2^53', value: '01' + markHex({ ...bobMark, n: 2 ** 53 }), error: 'bad-encoding' },
  { name: 'seq 2^53', value: '01' + markHex({ ...bobMark, seq: 2 ** 53 }), error: 'bad-encoding' },
];

const atMark = (name, n, seq, result, chain = bobChain) => ({
  name,
  mark: bobMark,
  position: { chain, n, seq },
  result,
});
const markJudgements = [
  { name: 'no mark yet', mark: null, position: { chain: bobChain, n: 9, seq: 2 }, result: 'ok' },
  atMark('the marked message itself, read again', 5, 20, 'ok'),
  atMark('the next message', 6, 21, 'ok'),
  atMark('a later message after a gap', 9, 40, 'ok'),
  atMark('an earlier message of the chain, at an earlier seq', 1, 3, 'ok'),
  atMark('another chain (a later session) at a later seq', 1, 25, 'ok', bobChain2),
  atMark('another chain at an earlier seq', 7, 2, 'ok', bobChain2),
  atMark('the marked message again at a later seq (a replayed final message)', 5, 21, 'replayed'),
  atMark('an older message of the chain at a later seq', 4, 30, 'replayed'),
  atMark('the marked n at an earlier seq', 5, 19, 'replayed'),
  atMark('another n at the marked seq', 6, 20, 'replayed'),
  atMark('a higher n at an earlier seq', 7, 10, 'replayed'),
];

const update = (mark, position) => ({ ...mark, ...position });
const markUpdates = [
  { name: 'first mark for a sender', marks: [], update: bobMark, result: [bobMark] },
  {
    name: 'a higher n of the same chain replaces the mark and moves it last',
    marks: [bobMark, carolMark],
    update: update(bobMark, { n: 6, seq: 22 }),
    result: [carolMark, update(bobMark, { n: 6, seq: 22 })],
  },
  {
    name: 'a lower n of the same chain changes nothing',
    marks: [bobMark, carolMark],
    update: update(bobMark, { n: 4, seq: 18 }),
    result: [bobMark, carolMark],
  },
  {
    name: 'a new chain first seen at a later seq replaces the old chain',
    marks: [bobMark],
    update: update(bobMark, { chain: bobChain2, n: 1, seq: 21 }),
    result: [update(bobMark, { chain: bobChain2, n: 1, seq: 21 })],
  },
  {
    name: 'an older chain seen at an earlier seq (history loaded) changes nothing',
    marks: [bobMark],
    update: update(bobMark, { chain: bobChain2, n: 8, seq: 12 }),
    result: [bobMark],
  },
];
const markUpdateInvalid = [
  { name: 'n 0', marks: [], update: { ...bobMark, n: 0 }, error: 'bad-encoding' },
  {
    name: 'a chain that is not a canonical UUID',
    marks: [],
    update: { ...bobMark, chain: bobChain.toUpperCase() },
    error: 'bad-encoding',
  },
];

const markMerges = [
  { name: 'nothing local', local: [], stored: [bobMark, carolMark], result: [bobMark, carolMark] },
  { name: 'nothing stored', local: [bobMark], stored: [], result: [bobMark] },
  {
    name: 'local is newer for bob: it wins and comes last',
    local: [update(bobMark, { n: 7, seq: 30 })],
    stored: [bobMark, carolMark],
    result: [carolMark, update(bobMark, { n: 7, seq: 30 })],
  },
  {
    name: 'stored is newer for bob: it stays where it is',
    local: [bobMark],
    stored: [update(bobMark, { chain: bobChain2, n: 2, seq: 40 }), carolMark],
    result: [update(bobMark, { chain: bobChain2, n: 2, seq: 40 }), carolMark],
  },
];

// ---------------------------------------------------------------- section 6: settings

// value = version(1)=1 || flags(1) || languageLength(1) || language || mutedCount(u16) || ids, by hand.
const asciiHex = (text) => Buffer.from(text, 'ascii').toString('hex');
const [mutedLow, mutedHigh] = [roomA, roomG].sort();
/** 501 ids in ascending order (1, 2, …), so only their count is wrong. */
const tooManyMuted = Array.from({ length: 501 }, (_, i) => (i + 1).toString(16).padStart(32, '0')).join('');
const settingsValid = [
  {
    name: 'the defaults',
    value: '01' + '07' + '00' + '0000',
    settings: { ...p.DEFAULT_SETTINGS },
  },
  {
    name: 'everything off, language "fa", two muted rooms given out of order',
    value: '01' + '00' + '02' + asciiHex('fa') + '0002' + uuidHex(mutedLow) + uuidHex(mutedHigh),
    settings: {
      readReceipts: false,
      sound: false,
      systemNotifications: false,
      previews: false,
      language: 'fa',
      muted: [mutedLow, mutedHigh],
    },
    given: {
      readReceipts: false,
      sound: false,
      systemNotifications: false,
      previews: false,
      language: 'fa',
      muted: [mutedHigh, mutedLow, mutedHigh],
    },
  },
  {
    name: 'everything on, an 8-byte language "yue-Hant", one muted room',
    value: '01' + '0f' + '08' + asciiHex('yue-Hant') + '0001' + uuidHex(roomA),
    settings: {
      readReceipts: true,
      sound: true,
      systemNotifications: true,
      previews: true,
      language: 'yue-Hant',
      muted: [roomA],
    },
  },
];
const settingsInvalid = [
  { name: 'empty', value: '', error: 'bad-length' },
  { name: 'version 0', value: '00' + '07' + '00' + '0000', error: 'bad-version' },
  { name: 'version 2', value: '02' + '07' + '00' + '0000', error: 'bad-version' },
  { name: 'ends after the version', value: '01', error: 'bad-length' },
  { name: 'ends inside the language', value: '01' + '07' + '02' + asciiHex('f'), error: 'bad-length' },
  { name: 'ends inside the muted count', value: '01' + '07' + '00' + '00', error: 'bad-length' },
  {
    name: 'ends one byte short of a muted room',
    value: '01' + '07' + '00' + '0001' + uuidHex(roomA).slice(0, -2),
    error: 'bad-length',
  },
  { name: 'one byte after the defaults', value: '01' + '07' + '00' + '0000' + '00', error: 'bad-length' },
  {
    name: 'one byte after the last muted room',
    value: '01' + '07' + '00' + '0001' + uuidHex(roomA) + '00',
    error: 'bad-length',
  },
  {
    name: '501 muted rooms (more than SETTINGS_MUTED_MAX)',
    value: '01' + '07' + '00' + '01f5' + tooManyMuted,
    error: 'bad-length',
  },
  { name: 'reserved flag bit 4 set', value: '01' + '17' + '00' + '0000', error: 'bad-encoding' },
  { name: 'reserved flag bit 7 set', value: '01' + '87' + '00' + '0000', error: 'bad-encoding' },
  {
    name: 'a 9-byte language',
    value: '01' + '07' + '09' + asciiHex('yue-Hants') + '0000',
    error: 'bad-encoding',
  },
  { name: 'language "FA" in upper case', value: '01' + '07' + '02' + asciiHex('FA') + '0000', error: 'bad-encoding' },
  { name: 'language of one letter', value: '01' + '07' + '01' + asciiHex('f') + '0000', error: 'bad-encoding' },
  {
    name: 'language "fa-" with an empty subtag',
    value: '01' + '07' + '03' + asciiHex('fa-') + '0000',
    error: 'bad-encoding',
  },
  { name: 'language with a non-ASCII byte', value: '01' + '07' + '02' + '66e1' + '0000', error: 'bad-encoding' },
  {
    name: 'muted rooms in descending order',
    value: '01' + '07' + '00' + '0002' + uuidHex(mutedHigh) + uuidHex(mutedLow),
    error: 'bad-encoding',
  },
  {
    name: 'a muted room listed twice',
    value: '01' + '07' + '00' + '0002' + uuidHex(roomA) + uuidHex(roomA),
    error: 'bad-encoding',
  },
];

// ---------------------------------------------------------------- section 19: group chains

const GROUP_SENT = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const ZEROS = new Uint8Array(32);
const groupDigest = (record) => nacl.hash(record).slice(0, 32);
const groupInfo = (label, epoch) =>
  p.sealGroupInfo({ name: label }, fixed(`room G epoch ${epoch} key`, 32), fixed(`group chain info ${label}`, 24));
const joining = (u, role) => ({ userId: u.id, role, signPublicKey: u.signPublicKey });
const leaving = (u, role = 'none') => ({ userId: u.id, role, signPublicKey: ZEROS });

/**
 * A record signed with `key`'s identity (the signer's own unless a forgery says
 * otherwise), following `after` (a record, or null for the first).
 */
function groupRecord(
  after,
  signer,
  action,
  epoch,
  entries = [],
  { key = signer, roomId = roomG, index, previous } = {},
) {
  const decodedAfter = after === null ? null : p.decodeGroupRecord(after);
  const carriesInfo = action !== 'leave' && action !== 'role';
  return p.signGroupRecord(
    {
      roomId,
      index: index ?? (decodedAfter === null ? 0 : decodedAfter.index + 1),
      previous: previous ?? (after === null ? ZEROS : groupDigest(after)),
      signerId: signer.id,
      epoch,
      sentAt: GROUP_SENT + (decodedAfter === null ? 0 : decodedAfter.index + 1) * 60_000,
      action,
      entries,
      info: carriesInfo ? groupInfo(`${action} ${epoch}`, epoch) : new Uint8Array(0),
    },
    identities[key.username],
  );
}

// The main chain: alice creates with bob, adds carol_99, makes bob an admin; bob
// renames and removes carol_99; alice leaves.
const g0 = groupRecord(null, alice, 'create', 1, [joining(alice, 'admin'), joining(bob, 'member')]);
const g1 = groupRecord(g0, alice, 'add', 2, [joining(carol, 'member')]);
const g2 = groupRecord(g1, alice, 'role', 2, [leaving(bob, 'admin')]);
const g3 = groupRecord(g2, bob, 'rename', 2);
const g4 = groupRecord(g3, bob, 'remove', 3, [leaving(carol)]);
const g5 = groupRecord(g4, alice, 'leave', 4);
const mainChain = [g0, g1, g2, g3, g4, g5];

/** S + L: the same signature, not reduced. tweetnacl alone would accept it. */
function unreduced(record) {
  const out = record.slice();
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const at = out.length - 32 + i;
    const sum = out[at] + ED25519_L[i] + carry;
    out[at] = sum & 0xff;
    carry = sum >> 8;
  }
  return out;
}
const ED25519_L = [
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

// Expected states, written out by hand: members sorted by user id.
const member = (u, role, addedBy, addedAt) => ({
  userId: u.id,
  role,
  signPublicKey: hex(u.signPublicKey),
  addedBy: addedBy.id,
  addedAt,
});
const ids = (...who) => who.map((u) => u.id).sort();
const byUserId = (list) => [...list].sort((a, b) => (a.userId < b.userId ? -1 : 1));
const groupState = (last, epoch, members, epochMembers, info) => ({
  index: p.decodeGroupRecord(last).index,
  head: hex(groupDigest(last)),
  epoch,
  members: byUserId(members),
  epochMembers,
  info,
});
const aliceAdmin = member(alice, 'admin', alice, 0);
const bobFirst = member(bob, 'member', alice, 0);
const bobAdmin = member(bob, 'admin', alice, 0);
const carolAdded = member(carol, 'member', alice, 1);
const afterG0 = groupState(g0, 1, [aliceAdmin, bobFirst], { 1: ids(alice, bob) }, { index: 0, epoch: 1 });
const afterG1 = groupState(
  g1,
  2,
  [aliceAdmin, bobFirst, carolAdded],
  { 1: ids(alice, bob), 2: ids(alice, bob, carol) },
  { index: 1, epoch: 2 },
);
const afterG2 = { ...groupState(g2, 2, [aliceAdmin, bobAdmin, carolAdded], afterG1.epochMembers, afterG1.info) };
const afterG3 = groupState(g3, 2, [aliceAdmin, bobAdmin, carolAdded], afterG1.epochMembers, { index: 3, epoch: 2 });
const afterG4 = groupState(
  g4,
  3,
  [aliceAdmin, bobAdmin],
  { ...afterG1.epochMembers, 3: ids(alice, bob) },
  { index: 4, epoch: 3 },
);
const afterG5 = groupState(g5, 4, [bobAdmin], { ...afterG4.epochMembers, 4: ids(bob) }, { index: 4, epoch: 3 });

const failed = (index, signer, error) => ({ index, signerId: signer === null ? null : signer.id, error });
const wrapped = (epoch, memberWho, wrapper, error = null) => ({
  epoch,
  memberId: memberWho.id,
  wrapperId: wrapper.id,
  error,
});
const sent = (epoch, sender, error = null) => ({ epoch, senderId: sender.id, error });

// Alone, alice makes a group and leaves it: the group is empty and nobody may change it again.
const solo0 = groupRecord(null, alice, 'create', 1, [joining(alice, 'admin')]);
const solo1 = groupRecord(solo0, alice, 'leave', 2);
const roomOther = fixedUuid('room G2');
const aliceLeaves = groupRecord(g2, alice, 'leave', 3);

const groupChainCases = [
  {
    name: 'the whole chain: create, add, role, rename, remove, leave',
    records: mainChain,
    state: afterG5,
    failure: null,
    wrappers: [
      wrapped(1, bob, alice),
      wrapped(2, carol, alice),
      wrapped(3, carol, bob, 'not-a-member'),
      wrapped(4, bob, bob),
      wrapped(4, bob, alice, 'not-entitled'),
      wrapped(4, alice, bob, 'not-a-member'),
      wrapped(5, bob, bob, 'context-mismatch'),
    ],
    senders: [sent(2, carol), sent(3, carol, 'not-entitled'), sent(4, alice, 'not-entitled'), sent(4, bob)],
  },
  { name: 'the create alone', records: [g0], state: afterG0, failure: null },
  { name: 'no records', records: [], state: null, failure: null },
  {
    name: 'the last member leaves: an empty group, and no record after it counts',
    records: [solo0, solo1, groupRecord(solo1, alice, 'add', 3, [joining(bob, 'member')])],
    state: groupState(solo1, 2, [], { 1: ids(alice), 2: [] }, { index: 0, epoch: 1 }),
    failure: failed(2, alice, 'not-entitled'),
  },
  // A record the server made up or changed.
  {
    name: 'a member added silently: an add of mallory signed by mallory',
    records: [g0, g1, g2, groupRecord(g2, mallory, 'add', 3, [joining(mallory, 'member')])],
    state: afterG2,
    failure: failed(3, mallory, 'not-entitled'),
  },
  {
    name: 'a member added silently: an add of mallory signed by bob, not an admin',
    records: [g0, groupRecord(g0, bob, 'add', 2, [joining(mallory, 'member')])],
    state: afterG0,
    failure: failed(1, bob, 'not-entitled'),
  },
  {
    name: 'a member added silently: alice named as signer, signed by mallory',
    records: [g0, groupRecord(g0, alice, 'add', 2, [joining(mallory, 'member')], { key: mallory })],
    state: afterG0,
    failure: failed(1, alice, 'bad-signature'),
  },
  {
    name: 'a create signed by a member it does not list as admin',
    records: [groupRecord(null, bob, 'create', 1, [joining(alice, 'admin'), joining(bob, 'member')])],
    state: null,
    failure: failed(0, bob, 'not-entitled'),
  },
  {
    name: 'a create signed by someone it does not list',
    records: [groupRecord(null, mallory, 'create', 1, [joining(alice, 'admin'), joining(bob, 'member')])],
    state: null,
    failure: failed(0, mallory, 'not-entitled'),
  },
  {
    name: 'a create listing the signer as admin with a key it does not sign with',
    records: [groupRecord(null, alice, 'create', 1, [joining(alice, 'admin')], { key: mallory })],
    state: null,
    failure: failed(0, alice, 'bad-signature'),
  },
  // Records dropped, reordered or replaced.
  {
    name: 'a remove dropped: index 4 missing',
    records: [g0, g1, g2, g3, g5],
    state: afterG3,
    failure: failed(4, alice, 'bad-chain'),
  },
  {
    name: 'a fork: a record at the next index that names another previous record',
    records: [g0, g1, g2, g3, groupRecord(g3, bob, 'remove', 3, [leaving(carol)], { previous: groupDigest(g2) })],
    state: afterG3,
    failure: failed(4, bob, 'bad-chain'),
  },
  {
    name: 'the same record twice',
    records: [g0, g1, g1],
    state: afterG1,
    failure: failed(2, alice, 'bad-chain'),
  },
  {
    name: 'a chain that does not start at index 0',
    records: [g1, g2],
    state: null,
    failure: failed(0, alice, 'bad-chain'),
  },
  {
    name: 'a create with a previous that is not zeros',
    records: [groupRecord(null, alice, 'create', 1, [joining(alice, 'admin')], { previous: groupDigest(g0) })],
    state: null,
    failure: failed(0, alice, 'bad-chain'),
  },
  {
    name: 'a second create',
    records: [g0, groupRecord(g0, alice, 'create', 2, [joining(carol, 'admin')])],
    state: afterG0,
    failure: failed(1, alice, 'bad-chain'),
  },
  {
    name: 'an add that keeps the epoch',
    records: [g0, groupRecord(g0, alice, 'add', 1, [joining(carol, 'member')])],
    state: afterG0,
    failure: failed(1, alice, 'bad-chain'),
  },
  {
    name: 'a rename that starts an epoch',
    records: [g0, groupRecord(g0, alice, 'rename', 2)],
    state: afterG0,
    failure: failed(1, alice, 'bad-chain'),
  },
  {
    name: 'a record of another group',
    records: [g0, groupRecord(g0, alice, 'rename', 1, [], { roomId: roomOther })],
    state: afterG0,
    failure: failed(1, alice, 'context-mismatch'),
  },
  {
    name: 'a record that does not decode',
    records: [g0, flipBit(g1, 0, 1)],
    state: afterG0,
    failure: failed(1, null, 'bad-version'),
  },
  // Forged role changes.
  {
    name: 'a forged role change: bob, not an admin, makes himself one',
    records: [g0, g1, groupRecord(g1, bob, 'role', 2, [leaving(bob, 'admin')])],
    state: afterG1,
    failure: failed(2, bob, 'not-entitled'),
  },
  {
    name: 'a forged role change: alice named as signer, signed by mallory',
    records: [g0, g1, groupRecord(g1, alice, 'role', 2, [leaving(bob, 'admin')], { key: mallory })],
    state: afterG1,
    failure: failed(2, alice, 'bad-signature'),
  },
  {
    name: 'a role change with a flipped bit in its signature',
    records: [g0, g1, flipBit(g2, g2.length - 1)],
    state: afterG1,
    failure: failed(2, alice, 'bad-signature'),
  },
  {
    name: 'a role change whose signature is not reduced (S + L)',
    records: [g0, g1, unreduced(g2)],
    state: afterG1,
    failure: failed(2, alice, 'bad-signature'),
  },
  // The last admin.
  {
    name: 'the only admin removes itself',
    records: [g0, groupRecord(g0, alice, 'remove', 2, [leaving(alice)])],
    state: afterG0,
    failure: failed(1, alice, 'not-entitled'),
  },
  {
    name: 'a member removes the only admin',
    records: [g0, groupRecord(g0, bob, 'remove', 2, [leaving(alice)])],
    state: afterG0,
    failure: failed(1, bob, 'not-entitled'),
  },
  {
    name: 'the only admin leaves while bob stays',
    records: [g0, groupRecord(g0, alice, 'leave', 2)],
    state: afterG0,
    failure: failed(1, alice, 'bad-room'),
  },
  {
    name: 'the only admin makes itself a member',
    records: [g0, groupRecord(g0, alice, 'role', 1, [leaving(alice, 'member')])],
    state: afterG0,
    failure: failed(1, alice, 'bad-room'),
  },
  // A leaver is out: its records and its keys no longer count.
  {
    name: 'a leave, then a record and keys from the leaver',
    records: [g0, g1, g2, aliceLeaves, groupRecord(aliceLeaves, alice, 'rename', 3)],
    state: groupState(
      aliceLeaves,
      3,
      [bobAdmin, carolAdded],
      { ...afterG1.epochMembers, 3: ids(bob, carol) },
      afterG1.info,
    ),
    failure: failed(4, alice, 'not-entitled'),
    wrappers: [wrapped(3, carol, bob), wrapped(3, bob, alice, 'not-entitled'), wrapped(3, alice, bob, 'not-a-member')],
    senders: [sent(3, alice, 'not-entitled'), sent(3, carol), sent(2, alice)],
  },
  // Changes that do not make sense.
  {
    name: 'an add over the member limit (3)',
    maxMembers: 3,
    records: [g0, groupRecord(g0, alice, 'add', 2, [joining(carol, 'member'), joining(mallory, 'member')])],
    state: afterG0,
    failure: failed(1, alice, 'bad-room'),
  },
  {
    name: 'an add up to the member limit (3)',
    maxMembers: 3,
    records: [g0, g1],
    state: afterG1,
    failure: null,
  },
  {
    name: 'a create over the member limit (1)',
    maxMembers: 1,
    records: [g0],
    state: null,
    failure: failed(0, alice, 'bad-room'),
  },
  {
    name: 'an add of a member',
    records: [g0, groupRecord(g0, alice, 'add', 2, [joining(bob, 'admin')])],
    state: afterG0,
    failure: failed(1, alice, 'bad-room'),
  },
  {
    name: 'a remove of someone who is not a member',
    records: [g0, groupRecord(g0, alice, 'remove', 2, [leaving(carol)])],
    state: afterG0,
    failure: failed(1, alice, 'bad-room'),
  },
  {
    name: 'a role change to the role held',
    records: [g0, groupRecord(g0, alice, 'role', 1, [leaving(bob, 'member')])],
    state: afterG0,
    failure: failed(1, alice, 'bad-room'),
  },
  // A record failing two rules is refused for the earlier one.
  {
    name: 'another group and a wrong index: context-mismatch first',
    records: [g0, groupRecord(g0, alice, 'rename', 1, [], { roomId: roomOther, index: 5 })],
    state: afterG0,
    failure: failed(1, alice, 'context-mismatch'),
  },
  {
    name: 'a wrong epoch, signed by an outsider: bad-chain first',
    records: [g0, groupRecord(g0, mallory, 'add', 1, [joining(mallory, 'member')])],
    state: afterG0,
    failure: failed(1, mallory, 'bad-chain'),
  },
  {
    name: 'an outsider with a bad signature: not-entitled first',
    records: [g0, groupRecord(g0, mallory, 'add', 2, [joining(mallory, 'member')], { key: alice })],
    state: afterG0,
    failure: failed(1, mallory, 'not-entitled'),
  },
  {
    name: 'bob, not an admin, named as signer but signed by mallory: bad-signature first',
    records: [g0, groupRecord(g0, bob, 'add', 2, [joining(mallory, 'member')], { key: mallory })],
    state: afterG0,
    failure: failed(1, bob, 'bad-signature'),
  },
  {
    name: 'bob, not an admin, demotes the only admin: not-entitled first',
    records: [g0, groupRecord(g0, bob, 'role', 1, [leaving(alice, 'member')])],
    state: afterG0,
    failure: failed(1, bob, 'not-entitled'),
  },
];

// ---------------------------------------------------------------- section 20: disappearing messages

const ttlBodies = [
  { name: 'a text without ttl', body: { type: 'text', text: 'hi' }, ttl: null },
  { name: 'a text with ttl 30', body: { type: 'text', text: 'hi', ttl: 30 }, ttl: 30 },
  { name: 'a text with ttl 4 weeks', body: { type: 'text', text: 'hi', ttl: 2419200 }, ttl: 2419200 },
  { name: 'a message of an unknown type with ttl 1 hour', body: { type: 'poll', ttl: 3600 }, ttl: 3600 },
  { name: 'a timer of 1 day', body: { type: 'timer', ttl: 86400 }, ttl: 86400 },
  { name: 'a timer turned off', body: { type: 'timer', ttl: 0 }, ttl: 0 },
];
const ttlInvalid = [
  { name: 'a timer without ttl', body: { type: 'timer' }, error: 'bad-content' },
  { name: 'a ttl not in the set (60)', body: { type: 'text', text: 'hi', ttl: 60 }, error: 'bad-content' },
  { name: 'a timer not in the set (1)', body: { type: 'timer', ttl: 1 }, error: 'bad-content' },
  { name: 'a ttl of 30.5', body: { type: 'text', text: 'hi', ttl: 30.5 }, error: 'bad-content' },
  { name: 'a ttl as text', body: { type: 'text', text: 'hi', ttl: '30' }, error: 'bad-content' },
  { name: 'a ttl of null', body: { type: 'text', text: 'hi', ttl: null }, error: 'bad-content' },
  { name: 'a negative ttl', body: { type: 'timer', ttl: -30 }, error: 'bad-content' },
  { name: 'a ttl beyond 4 weeks', body: { type: 'text', text: 'hi', ttl: 2419201 }, error: 'bad-content' },
  { name: "a message's own ttl of 0", body: { type: 'text', text: 'hi', ttl: 0 }, error: 'bad-content' },
];
const timerA = { ttl: 86400, sentAt: SENT, messageId: '00000000-0000-4000-8000-00000000000a' };
const timerB = { ttl: 30, sentAt: SENT + MINUTE, messageId: '00000000-0000-4000-8000-00000000000b' };
const timerOff = { ttl: 0, sentAt: SENT + 2 * MINUTE, messageId: '00000000-0000-4000-8000-00000000000c' };
const timerTie = { ttl: 3600, sentAt: SENT + MINUTE, messageId: '00000000-0000-4000-8000-000000000001' };
const timerCases = [
  { name: 'no timer message', timers: [], at: SENT, inEffect: 0, latest: null },
  { name: 'before the first timer', timers: [timerA], at: SENT - 1, inEffect: 0, latest: timerA },
  { name: 'signed at the same ms as the timer', timers: [timerA], at: SENT, inEffect: 86400, latest: timerA },
  { name: 'between two timers', timers: [timerB, timerA], at: SENT + MINUTE - 1, inEffect: 86400, latest: timerB },
  { name: 'after the second timer', timers: [timerA, timerB], at: SENT + MINUTE, inEffect: 30, latest: timerB },
  {
    name: 'after the timer was turned off',
    timers: [timerA, timerB, timerOff],
    at: SENT + 3 * MINUTE,
    inEffect: 0,
    latest: timerOff,
  },
  {
    name: 'a tie in send time: the greater message id wins',
    timers: [timerB, timerTie],
    at: SENT + MINUTE,
    inEffect: 30,
    latest: timerB,
  },
  {
    name: 'a tie, listed the other way round',
    timers: [timerTie, timerB],
    at: SENT + MINUTE,
    inEffect: 30,
    latest: timerB,
  },
];
const expiryCases = [
  { name: 'own ttl only', sentAt: SENT, own: 300, timer: 0, ttl: 300, expiresAt: SENT + 300_000 },
  {
    name: 'the timer only (the sender left ttl out)',
    sentAt: SENT,
    own: null,
    timer: 30,
    ttl: 30,
    expiresAt: SENT + 30_000,
  },
  { name: 'own ttl shorter than the timer', sentAt: SENT, own: 30, timer: 86400, ttl: 30, expiresAt: SENT + 30_000 },
  {
    name: 'own ttl longer than the timer: the timer wins',
    sentAt: SENT,
    own: 2419200,
    timer: 3600,
    ttl: 3600,
    expiresAt: SENT + 3_600_000,
  },
  { name: 'neither: kept', sentAt: SENT, own: null, timer: 0, ttl: null, expiresAt: null },
];
const expiryInvalid = [
  { name: 'a negative send time', sentAt: -1, ttl: 30, error: 'bad-encoding' },
  { name: 'a ttl of 0 has no expiry', sentAt: SENT, ttl: 0, error: 'bad-content' },
  { name: 'a ttl not in the set', sentAt: SENT, ttl: 31, error: 'bad-content' },
];

// ---------------------------------------------------------------- sections 21 and 22: actions on messages, receipts

const msgId = (label) => fixedUuid(`message ${label}`);
const ref = (label, seq) => ({ id: msgId(label), seq });
const CHAIN = fixedUuid('chain alice');
const actionBodies = [
  {
    name: 'an edit',
    body: { type: 'edit', target: ref('m1', 1), text: 'fixed typo' },
    action: { kind: 'edit', target: ref('m1', 1), text: 'fixed typo' },
  },
  {
    name: 'a deletion without the target counter',
    body: { type: 'delete', target: ref('m1', 1) },
    action: { kind: 'delete', target: ref('m1', 1), counter: null },
  },
  {
    name: 'a deletion with the target counter',
    body: { type: 'delete', target: { ...ref('m1', 1), chain: CHAIN, n: 3 } },
    action: { kind: 'delete', target: ref('m1', 1), counter: { chain: CHAIN, n: 3 } },
  },
  {
    name: 'a reaction',
    body: { type: 'reaction', target: ref('m1', 1), emoji: '👍' },
    action: { kind: 'reaction', target: ref('m1', 1), emoji: '👍' },
  },
  {
    name: 'a reaction with a skin tone',
    body: { type: 'reaction', target: ref('m1', 1), emoji: '👍🏽' },
    action: { kind: 'reaction', target: ref('m1', 1), emoji: '👍🏽' },
  },
  {
    name: 'a joined emoji',
    body: { type: 'reaction', target: ref('m1', 1), emoji: '❤️‍🔥' },
    action: { kind: 'reaction', target: ref('m1', 1), emoji: '❤️‍🔥' },
  },
  {
    name: 'a flag',
    body: { type: 'reaction', target: ref('m1', 1), emoji: '🇮🇷' },
    action: { kind: 'reaction', target: ref('m1', 1), emoji: '🇮🇷' },
  },
  {
    name: 'a reaction taken back',
    body: { type: 'reaction', target: ref('m1', 1), emoji: '' },
    action: { kind: 'reaction', target: ref('m1', 1), emoji: '' },
  },
  { name: 'a text (no action)', body: { type: 'text', text: 'hi' }, action: null },
];
const actionInvalid = [
  { name: 'an edit without a target', body: { type: 'edit', text: 'x' }, error: 'bad-content' },
  { name: 'an edit without text', body: { type: 'edit', target: ref('m1', 1) }, error: 'bad-content' },
  { name: 'an empty edit', body: { type: 'edit', target: ref('m1', 1), text: '  ' }, error: 'bad-content' },
  {
    name: 'an edit longer than the text limit',
    body: { type: 'edit', target: ref('m1', 1), text: 'x'.repeat(p.MAX_TEXT_CHARS + 1) },
    error: 'bad-content',
  },
  {
    name: 'a target id in upper case',
    body: { type: 'delete', target: { id: msgId('m1').toUpperCase(), seq: 1 } },
    error: 'bad-content',
  },
  { name: 'a target seq of 0', body: { type: 'delete', target: { id: msgId('m1'), seq: 0 } }, error: 'bad-content' },
  {
    name: 'a target seq as text',
    body: { type: 'delete', target: { id: msgId('m1'), seq: '1' } },
    error: 'bad-content',
  },
  {
    name: 'a deletion with half a counter',
    body: { type: 'delete', target: { ...ref('m1', 1), chain: CHAIN } },
    error: 'bad-content',
  },
  { name: 'a reaction of text', body: { type: 'reaction', target: ref('m1', 1), emoji: 'ok' }, error: 'bad-content' },
  {
    name: 'a reaction of two emoji',
    body: { type: 'reaction', target: ref('m1', 1), emoji: '👍👍' },
    error: 'bad-content',
  },
  {
    name: 'a reaction hiding a direction override',
    body: { type: 'reaction', target: ref('m1', 1), emoji: '👍\u202e' },
    error: 'bad-content',
  },
  { name: 'a reaction without emoji', body: { type: 'reaction', target: ref('m1', 1) }, error: 'bad-content' },
  {
    name: 'a reaction longer than MAX_REACTION_CHARS (one joined emoji of 19 UTF-16 units)',
    body: { type: 'reaction', target: ref('m1', 1), emoji: '👨🏽\u200d👩🏽\u200d👧🏽\u200d👦🏽' },
    error: 'bad-content',
  },
  { name: 'a reply on a file message', body: { type: 'file', replyTo: ref('m1', 1) }, error: 'bad-content' },
  {
    name: 'a reply naming no seq',
    body: { type: 'text', text: 'yes', replyTo: { id: msgId('m1') } },
    error: 'bad-content',
  },
];
const replyBodies = [
  { name: 'a reply', body: { type: 'text', text: 'yes', replyTo: ref('m1', 1) }, replyTo: ref('m1', 1) },
  { name: 'a text that is no reply', body: { type: 'text', text: 'yes' }, replyTo: null },
];

const held = [
  { seq: 1, id: msgId('m1'), senderId: alice.id, kind: 'text' },
  { seq: 2, id: msgId('m2'), senderId: bob.id, kind: 'text' },
  { seq: 3, id: msgId('m3'), senderId: alice.id, kind: 'file' },
  { seq: 4, id: msgId('m4'), senderId: alice.id, kind: 'other' },
  { seq: 5, id: null, senderId: alice.id, kind: 'other' },
];
let actionSeq = 10;
function act(label, senderId, sentAt, action) {
  actionSeq += 1;
  return { id: msgId(label), seq: actionSeq, senderId, sentAt, action };
}
const edit = (target, text) => ({ kind: 'edit', target, text });
const del = (target, counter = null) => ({ kind: 'delete', target, counter });
const react = (target, emoji) => ({ kind: 'reaction', target, emoji });
const resolveCases = [
  {
    name: 'the latest edit of its own text wins, whatever the order',
    actions: [
      act('e2', alice.id, SENT + 2, edit(ref('m1', 1), 'second')),
      act('e1', alice.id, SENT + 1, edit(ref('m1', 1), 'first')),
    ],
  },
  {
    name: 'an edit tie in send time goes to the greater message id',
    actions: [
      act('tie a', alice.id, SENT, edit(ref('m1', 1), 'a')),
      act('tie b', alice.id, SENT, edit(ref('m1', 1), 'b')),
    ],
  },
  {
    name: "editing someone else's message is refused",
    actions: [act('e bob', bob.id, SENT, edit(ref('m1', 1), 'mine now'))],
  },
  { name: "deleting someone else's message is refused", actions: [act('d bob', bob.id, SENT, del(ref('m1', 1)))] },
  { name: 'editing a file message is refused', actions: [act('e file', alice.id, SENT, edit(ref('m3', 3), 'x'))] },
  { name: 'a target named with another id is refused', actions: [act('d wrong', alice.id, SENT, del(ref('m2', 1)))] },
  { name: 'a target named at a later seq is refused', actions: [act('d later', alice.id, SENT, del(ref('m1', 50)))] },
  { name: 'a target not held waits', actions: [act('d older', alice.id, SENT, del({ id: msgId('m0'), seq: 7 }))] },
  {
    name: 'a deletion wins over edits and reactions, before or after it',
    actions: [
      act('e before', alice.id, SENT, edit(ref('m1', 1), 'edited')),
      act('d m1', alice.id, SENT + 1, del(ref('m1', 1), { chain: CHAIN, n: 1 })),
      act('r after', bob.id, SENT + 2, react(ref('m1', 1), '👍')),
    ],
  },
  {
    name: 'a deletion of an erased message by its sender applies and gives its counter',
    actions: [act('d erased', alice.id, SENT, del({ id: msgId('m5'), seq: 5 }, { chain: CHAIN, n: 5 }))],
  },
  {
    name: 'a deletion of an erased message by someone else is refused',
    actions: [act('d erased bob', bob.id, SENT, del({ id: msgId('m5'), seq: 5 }))],
  },
  {
    name: "each member's latest reaction counts, and one taken back counts for nothing",
    actions: [
      act('r alice 1', alice.id, SENT, react(ref('m2', 2), '👍')),
      act('r bob 1', bob.id, SENT + 1, react(ref('m2', 2), '👍')),
      act('r alice 2', alice.id, SENT + 2, react(ref('m2', 2), '❤️')),
      act('r carol', carol.id, SENT + 3, react(ref('m2', 2), '❤️')),
      act('r bob 2', bob.id, SENT + 4, react(ref('m2', 2), '')),
    ],
  },
  { name: 'a reaction to a file message counts', actions: [act('r file', bob.id, SENT, react(ref('m3', 3), '😮'))] },
  {
    name: 'a reaction to a timer or another action is refused',
    actions: [act('r other', bob.id, SENT, react(ref('m4', 4), '👍'))],
  },
];
function resolvedSummary(resolved) {
  return {
    targets: [...resolved.targets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([seq, outcome]) => ({
        seq,
        deleted: outcome.deleted,
        deletedCounter: outcome.deletedCounter,
        edit: outcome.edit,
        reactions: p.reactionCounts(outcome),
      })),
    refused: Object.fromEntries([...resolved.refused.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}
const resolveExpected = {
  'the latest edit of its own text wins, whatever the order': {
    targets: [
      {
        seq: 1,
        deleted: false,
        deletedCounter: null,
        edit: { text: 'second', sentAt: SENT + 2, id: msgId('e2') },
        reactions: [],
      },
    ],
    refused: {},
  },
  'an edit tie in send time goes to the greater message id': {
    targets: [
      {
        seq: 1,
        deleted: false,
        deletedCounter: null,
        edit:
          msgId('tie a') > msgId('tie b')
            ? { text: 'a', sentAt: SENT, id: msgId('tie a') }
            : { text: 'b', sentAt: SENT, id: msgId('tie b') },
        reactions: [],
      },
    ],
    refused: {},
  },
  "editing someone else's message is refused": { targets: [], refused: { [msgId('e bob')]: 'not-own' } },
  "deleting someone else's message is refused": { targets: [], refused: { [msgId('d bob')]: 'not-own' } },
  'editing a file message is refused': { targets: [], refused: { [msgId('e file')]: 'not-text' } },
  'a target named with another id is refused': { targets: [], refused: { [msgId('d wrong')]: 'wrong-target' } },
  'a target named at a later seq is refused': { targets: [], refused: { [msgId('d later')]: 'not-earlier' } },
  'a target not held waits': { targets: [], refused: { [msgId('d older')]: 'waiting' } },
  'a deletion wins over edits and reactions, before or after it': {
    targets: [{ seq: 1, deleted: true, deletedCounter: { chain: CHAIN, n: 1 }, edit: null, reactions: [] }],
    refused: { [msgId('e before')]: 'deleted', [msgId('r after')]: 'deleted' },
  },
  'a deletion of an erased message by its sender applies and gives its counter': {
    targets: [{ seq: 5, deleted: true, deletedCounter: { chain: CHAIN, n: 5 }, edit: null, reactions: [] }],
    refused: {},
  },
  'a deletion of an erased message by someone else is refused': {
    targets: [],
    refused: { [msgId('d erased bob')]: 'not-own' },
  },
  "each member's latest reaction counts, and one taken back counts for nothing": {
    targets: [
      {
        seq: 2,
        deleted: false,
        deletedCounter: null,
        edit: null,
        reactions: [{ emoji: '❤️', userIds: [alice.id, carol.id].sort() }],
      },
    ],
    refused: {},
  },
  'a reaction to a file message counts': {
    targets: [
      { seq: 3, deleted: false, deletedCounter: null, edit: null, reactions: [{ emoji: '😮', userIds: [bob.id] }] },
    ],
    refused: {},
  },
  'a reaction to a timer or another action is refused': {
    targets: [],
    refused: { [msgId('r other')]: 'not-a-message' },
  },
};
for (const c of resolveCases) {
  const { targets, refused } = resolveExpected[c.name];
  c.expected = { targets, refused: Object.fromEntries(Object.entries(refused).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

const receiptBodies = [
  {
    name: 'delivered and read',
    body: { type: 'receipt', delivered: ref('m2', 2), read: ref('m2', 2) },
    receipt: { delivered: ref('m2', 2), read: ref('m2', 2) },
  },
  {
    name: 'delivered only (read receipts off)',
    body: { type: 'receipt', delivered: ref('m2', 2), read: null },
    receipt: { delivered: ref('m2', 2), read: null },
  },
];
const receiptInvalid = [
  { name: 'a receipt naming nothing', body: { type: 'receipt', delivered: null, read: null }, error: 'bad-content' },
  { name: 'a receipt without "read"', body: { type: 'receipt', delivered: ref('m2', 2) }, error: 'bad-content' },
  {
    name: 'read further than delivered',
    body: { type: 'receipt', delivered: ref('m1', 1), read: ref('m2', 2) },
    error: 'bad-content',
  },
  {
    name: 'read without delivered',
    body: { type: 'receipt', delivered: null, read: ref('m2', 2) },
    error: 'bad-content',
  },
  {
    name: 'a malformed ref',
    body: { type: 'receipt', delivered: { id: 'm2', seq: 2 }, read: null },
    error: 'bad-content',
  },
];
const receiptJudgements = [
  { name: "someone else's message", ref: ref('m1', 1), signerId: bob.id, complete: false, refusal: null },
  { name: "the signer's own message", ref: ref('m2', 2), signerId: bob.id, complete: false, refusal: 'own-message' },
  { name: 'another id at that seq', ref: ref('m9', 2), signerId: alice.id, complete: false, refusal: 'wrong-target' },
  {
    name: 'a message that does not exist (whole history held)',
    ref: ref('m9', 9),
    signerId: bob.id,
    complete: true,
    refusal: 'unknown-target',
  },
  {
    name: 'a message not held (older history)',
    ref: ref('m9', 9),
    signerId: bob.id,
    complete: false,
    refusal: 'waiting',
  },
  {
    name: 'an erased message, judged on its seq and sender',
    ref: ref('m5', 5),
    signerId: bob.id,
    complete: false,
    refusal: null,
  },
];

// ---------------------------------------------------------------- self-check

/** Fails loudly if the package does not do what a case says. */
function expectError(label, error, run) {
  try {
    run();
  } catch (caught) {
    if (caught instanceof p.ProtocolError && caught.code === error) return;
    throw new Error(`${label}: expected ${error}, got ${caught?.code ?? caught}`, { cause: caught });
  }
  throw new Error(`${label}: expected ${error}, but it was accepted`);
}
function expectResult(label, expected, actual) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

for (const c of wrapperValid) {
  const verdict = p.entitledWrapper(c.room, c.meId, c.wrapperId);
  const result = verdict.kind === 'me' ? verdict : { kind: verdict.kind, memberId: verdict.member.id };
  expectResult(c.name, c.result, result);
}
for (const c of wrapperInvalid) expectError(c.name, c.error, () => p.entitledWrapper(c.room, c.meId, c.wrapperId));
for (const c of walks) expectResult(c.name, c.findings, p.walkSenderCounters(c.messages, c.complete));
for (const c of walkInvalid) expectError(c.name, c.error, () => p.walkSenderCounters(c.messages, c.complete));
for (const c of pinVerdicts) expectResult(c.name, c.verdict, p.comparePin(c.pin, c.username, c.key));
for (const c of pinInvalid) expectError(c.name, c.error, () => p.comparePin(c.pin, c.username, c.key));
for (const c of amongVerdicts) expectResult(c.name, c.verdict, p.comparePinAmong(c.pins, c.id, c.username, c.key));
for (const c of amongInvalid) {
  expectError(c.name, c.error, () => p.comparePinAmong(c.pins, c.id, c.username, c.key));
}
for (const c of pinForResults) expectResult(c.name, hexPin(c.result), hexPin(p.pinFor(c.pins, c.id, c.username)));
for (const c of pinForInvalid) expectError(c.name, c.error, () => p.pinFor(c.pins, c.id, c.username));
for (const c of mergeResults) {
  expectResult(c.name, c.result.map(hexPin), p.mergeContactPins(c.local, c.stored, c.removed).map(hexPin));
}
for (const c of mergeInvalid) expectError(c.name, c.error, () => p.mergeContactPins(c.local, c.stored, c.removed));
for (const c of bundleStateValid) {
  expectResult(c.name, { revision: c.revision, kdfFloor: c.kdfFloor }, p.decodeBundleState(p.fromHex(c.value)));
  expectResult(c.name, c.value, hex(p.encodeBundleState(c)));
}
for (const c of bundleStateInvalid) expectError(c.name, c.error, () => p.decodeBundleState(p.fromHex(c.value)));
for (const c of revisionChecks) {
  if (c.error === null) p.checkBundleRevision(c.seen, c.got);
  else expectError(c.name, c.error, () => p.checkBundleRevision(c.seen, c.got));
}
for (const c of kdfFloorChecks) {
  // kdfFloorProblem returns the 'weak-kdf' error, and throws for a malformed floor.
  const run = () => {
    const problem = p.kdfFloorProblem(kdfParamsOf(c.iterations), c.floor);
    if (problem) throw problem;
  };
  if (c.error === null) run();
  else expectError(c.name, c.error, run);
}

for (const c of sendTimes) {
  expectResult(
    c.name,
    c.result,
    p.judgeSendTime({ sentAt: c.sentAt, serverTime: c.serverTime, previousSentAt: c.previousSentAt }),
  );
}
for (const c of sendTimeInvalid) expectError(c.name, c.error, () => p.judgeSendTime(c));
for (const c of chainMarksValid) {
  expectResult(c.name, c.marks, p.decodeChainMarks(p.fromHex(c.value)));
  expectResult(c.name, c.value, hex(p.encodeChainMarks(c.marks)));
}
for (const c of chainMarksInvalid) expectError(c.name, c.error, () => p.decodeChainMarks(p.fromHex(c.value)));
for (const c of markJudgements) expectResult(c.name, c.result, p.judgeAgainstMark(c.mark, c.position));
for (const c of markUpdates) expectResult(c.name, c.result, p.updateChainMarks(c.marks, c.update));
for (const c of markUpdateInvalid) expectError(c.name, c.error, () => p.updateChainMarks(c.marks, c.update));
for (const c of markMerges) expectResult(c.name, c.result, p.mergeChainMarks(c.local, c.stored));
for (const c of settingsValid) {
  expectResult(c.name, c.settings, p.decodeSettings(p.fromHex(c.value)));
  expectResult(c.name, c.value, hex(p.encodeSettings(c.given ?? c.settings)));
}
for (const c of settingsInvalid) expectError(c.name, c.error, () => p.decodeSettings(p.fromHex(c.value)));

for (const c of ttlBodies) expectResult(c.name, c.ttl, p.readMessageTtl(c.body));
for (const c of ttlInvalid) expectError(c.name, c.error, () => p.readMessageTtl(c.body));
for (const c of timerCases) {
  expectResult(c.name, c.inEffect, p.timerInEffect(c.timers, c.at));
  expectResult(c.name, c.latest, p.latestTimer(c.timers));
}
for (const c of expiryCases) {
  const ttl = p.effectiveTtl(c.own, c.timer);
  expectResult(c.name, c.ttl, ttl);
  expectResult(c.name, c.expiresAt, ttl === null ? null : p.expiryOf(c.sentAt, ttl));
}
for (const c of expiryInvalid) expectError(c.name, c.error, () => p.expiryOf(c.sentAt, c.ttl));
for (const c of actionBodies) {
  expectResult(c.name, c.action, p.readMessageAction(c.body));
  expectResult(c.name, c.body, p.decodeMessageBody(new TextEncoder().encode(JSON.stringify(c.body))));
}
for (const c of actionInvalid) {
  expectError(c.name, c.error, () => p.decodeMessageBody(new TextEncoder().encode(JSON.stringify(c.body))));
}
for (const c of replyBodies) expectResult(c.name, c.replyTo, p.readReplyTo(c.body));
for (const c of resolveCases) expectResult(c.name, c.expected, resolvedSummary(p.resolveActions(held, c.actions)));
for (const c of receiptBodies) expectResult(c.name, c.receipt, p.readReceipt(c.body));
for (const c of receiptInvalid) {
  expectError(c.name, c.error, () => p.decodeMessageBody(new TextEncoder().encode(JSON.stringify(c.body))));
}
for (const c of receiptJudgements)
  expectResult(c.name, c.refusal, p.judgeReceiptRef(c.ref, c.signerId, held, c.complete));

/** What a GroupState is compared by: everything but the last record, which is the record itself. */
function groupSummary(state) {
  if (state === null) return null;
  return {
    index: state.index,
    head: hex(state.head),
    epoch: state.epoch,
    members: byUserId([...state.members.values()].map((m) => ({ ...m, signPublicKey: hex(m.signPublicKey) }))),
    epochMembers: Object.fromEntries([...state.epochMembers].map(([epoch, set]) => [epoch, [...set].sort()])),
    info: state.info && { index: state.info.index, epoch: state.info.epoch },
  };
}
function checkEntitlements(c, state) {
  for (const w of c.wrappers ?? []) {
    const run = () => p.entitledGroupWrapper(state, w.epoch, w.memberId, w.wrapperId);
    if (w.error === null) run();
    else expectError(`${c.name}: wrapper ${JSON.stringify(w)}`, w.error, run);
  }
  for (const s of c.senders ?? []) {
    const run = () => p.entitledGroupSender(state, s.epoch, s.senderId);
    if (s.error === null) run();
    else expectError(`${c.name}: sender ${JSON.stringify(s)}`, s.error, run);
  }
}
for (const c of groupChainCases) {
  const { state, failure } = p.verifyGroupChain(c.records, { roomId: roomG, maxMembers: c.maxMembers });
  const got = failure && { index: failure.index, signerId: failure.signerId, error: failure.error.code };
  expectResult(`${c.name} (failure)`, c.failure, got);
  expectResult(`${c.name} (state)`, c.state, groupSummary(state));
  checkEntitlements(c, state);
}

// ---------------------------------------------------------------- output

const rules = {
  about: [
    'OnionChat protocol v1 rule vectors: rules over several records, described in docs/PROTOCOL.md sections 6, 8, 9, 16, 17, 18, 19 and 20.',
    'Expected results are written by hand in protocol/scripts/generate-rule-vectors.mjs, which checks them against the package; do not edit this file by hand.',
    'Ids and keys are those of the users in vectors.json. Byte strings are lower-case hex.',
    'entitledWrapper: valid cases give { kind: "me" } or { kind: "member", memberId } (the first member record with that id); invalid cases name the ProtocolError code.',
    'senderCounters: each walk lists its findings in order (none: accepted); invalid walks name the ProtocolError code.',
    'comparePin: verdicts are "new", "same" or "changed" ("changed" is refused until the person reviews the key); invalid cases name the ProtocolError code.',
    'comparePinAmong: the same verdicts over a list of pins, indexed by user id and by username: a known name under a new id, or a known id with a new name, is "changed".',
    'pinFor: the pin for the user id, else one for the same username under another id (a verified one first), else null.',
    'mergeContactPins: local and stored pins combined by adding only (stored pins of removed ids dropped; for an id on both sides the local pin wins, verified if either side verified the same key and username), sorted by user id; invalid cases name the ProtocolError code.',
    'bundleState: key bundle extension type 2 (sections 6 and 17) as hex, with what it reads as; checkBundleRevision(seen, got) and kdfFloorProblem(params, floor) name the ProtocolError code, or null when accepted.',
    'sendTime: judgeSendTime({ sentAt, serverTime, previousSentAt }) gives { verdict: "ok" } or { verdict: "re-timed", reason: "ahead" | "behind" | "before-previous" } (section 9); invalid cases name the ProtocolError code.',
    'chainMarks: key bundle extension type 4 (section 18) as hex, with the marks it reads as; judgeAgainstMark(mark, position) gives "ok" or "replayed"; updateChainMarks and mergeChainMarks give the marks after, least recently updated first.',
    'settings: key bundle extension type 5 (section 6) as hex, with the settings it reads as; encodeSettings(given ?? settings) writes the hex (it sorts the muted room ids and drops repeats); invalid cases name the ProtocolError code.',
    'groupChain: chains of group records (section 19) for roomId, applied in order from nothing with verifyGroupChain(records, { roomId, maxMembers }) (maxMembers absent: 100). state is the state after the last record that passed (members sorted by user id; epochMembers: the members of the state that started each epoch; info: the index and epoch of the latest record carrying info), null before any; failure is the first record that failed: its index, its signer (null when it does not decode) and the ProtocolError code. wrappers and senders are checked against that state with entitledGroupWrapper and entitledGroupSender: error null means accepted.',
    'messageActions: readMessageAction(body) gives the action (null: none) and decodeMessageBody accepts the body, or invalidBodies name the ProtocolError code; readReplyTo(body) gives the message a text answers; resolveActions(held, actions) summarised per target seq (deleted, the counter its deletion gives, the latest edit, reactionCounts) with refused: the refusal of each action that does nothing, by its message id (section 21).',
    'receipts: readReceipt(body) gives { delivered, read } or invalidBodies name the ProtocolError code; judgeReceiptRef(ref, signerId, held, complete) gives the refusal (null: the ref counts) (section 22).',
    'disappearing: readMessageTtl(body) gives the ttl (null: none) or names the ProtocolError code; timerInEffect(timers, at) and latestTimer(timers) (latest by sentAt, a tie to the greater messageId); effectiveTtl(own, timer) is the shorter non-zero one (null: kept) and expiryOf(sentAt, ttl) = sentAt + ttl * 1000, which is also the disappearsAt the sender gives the server (section 20).',
  ],
  users,
  entitledWrapper: { valid: wrapperValid, invalid: wrapperInvalid },
  senderCounters: { walks, invalid: walkInvalid },
  comparePin: { verdicts: pinVerdicts.map(pinCase), invalid: pinInvalid.map(pinCase) },
  comparePinAmong: { verdicts: amongVerdicts.map(amongCase), invalid: amongInvalid.map(amongCase) },
  pinFor: { results: pinForResults.map(pinForCase), invalid: pinForInvalid.map(pinForCase) },
  mergeContactPins: { results: mergeResults.map(mergeCase), invalid: mergeInvalid.map(mergeCase) },
  bundleState: {
    valid: bundleStateValid,
    invalid: bundleStateInvalid,
    revisions: revisionChecks,
    kdfFloors: kdfFloorChecks,
  },
  sendTime: { results: sendTimes, invalid: sendTimeInvalid },
  chainMarks: {
    valid: chainMarksValid,
    invalid: chainMarksInvalid,
    judgements: markJudgements,
    updates: markUpdates,
    updateInvalid: markUpdateInvalid,
    merges: markMerges,
  },
  settings: { valid: settingsValid, invalid: settingsInvalid },
  disappearing: {
    ttls: [...p.DISAPPEARING_TTLS],
    bodies: ttlBodies,
    invalidBodies: ttlInvalid,
    timers: timerCases,
    expiries: expiryCases,
    invalidExpiries: expiryInvalid,
  },
  messageActions: {
    bodies: actionBodies,
    invalidBodies: actionInvalid,
    replies: replyBodies,
    held,
    resolve: resolveCases,
  },
  receipts: { bodies: receiptBodies, invalidBodies: receiptInvalid, held, judgements: receiptJudgements },
  groupChain: {
    roomId: roomG,
    chains: groupChainCases.map(({ records, ...rest }) => ({ ...rest, records: records.map(hex) })),
  },
};

writeFileSync(OUTPUT, `${JSON.stringify(rules, null, 2)}\n`);
console.log(`wrote ${OUTPUT.pathname}`);
