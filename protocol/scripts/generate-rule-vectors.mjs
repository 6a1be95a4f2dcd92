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
for (const name of ['alice', 'bob', 'carol_99', 'mallory']) {
  const identity = p.identityFromSeeds(name, fixed(`${name} box secret key`, 32), fixed(`${name} sign seed`, 32));
  people[name] = { id: fixedUuid(`user ${name}`), username: name, signPublicKey: identity.signPublicKey };
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

// ---------------------------------------------------------------- output

const rules = {
  about: [
    'OnionChat protocol v1 rule vectors: rules over several records, described in docs/PROTOCOL.md sections 8, 16 and 18.',
    'Expected results are written by hand in protocol/scripts/generate-rule-vectors.mjs, which checks them against the package; do not edit this file by hand.',
    'Ids and keys are those of the users in vectors.json. Byte strings are lower-case hex.',
    'entitledWrapper: valid cases give { kind: "me" } or { kind: "member", memberId } (the first member record with that id); invalid cases name the ProtocolError code.',
    'senderCounters: each walk lists its findings in order (none: accepted); invalid walks name the ProtocolError code.',
    'comparePin: verdicts are "new", "same" or "changed" ("changed" is refused until the person reviews the key); invalid cases name the ProtocolError code.',
    'comparePinAmong: the same verdicts over a list of pins, indexed by user id and by username: a known name under a new id, or a known id with a new name, is "changed".',
    'pinFor: the pin for the user id, else one for the same username under another id (a verified one first), else null.',
  ],
  users,
  entitledWrapper: { valid: wrapperValid, invalid: wrapperInvalid },
  senderCounters: { walks, invalid: walkInvalid },
  comparePin: { verdicts: pinVerdicts.map(pinCase), invalid: pinInvalid.map(pinCase) },
  comparePinAmong: { verdicts: amongVerdicts.map(amongCase), invalid: amongInvalid.map(amongCase) },
  pinFor: { results: pinForResults.map(pinForCase), invalid: pinForInvalid.map(pinForCase) },
};

writeFileSync(OUTPUT, `${JSON.stringify(rules, null, 2)}\n`);
console.log(`wrote ${OUTPUT.pathname}`);
