import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes, encodeU32, encodeU64, equalBytes, randomBytes } from './bytes.js';
import { createIdentity, type Identity } from './identity.js';
import { MAX_TEXT_CHARS, decodeMessageBody, encodeMessageBody, readSenderCounter } from './message-body.js';
import {
  MESSAGE_HEADER_V1_BYTES,
  MESSAGE_HEADER_V2_BYTES,
  MESSAGE_MAX_ENVELOPE_BYTES,
  MESSAGE_MIN_ENVELOPE_BYTES,
  openMessage,
  readMessageHeader,
  sealMessage,
  sealMessageV1,
  type MessageHeader,
} from './message.js';
import { pad } from './padding.js';
import { newRoomKey } from './room-key.js';
import { newUuid, uuidToBytes } from './uuid.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const SENT_AT = 1_767_225_600_123;

function setup() {
  const alice = createIdentity('alice');
  const header: MessageHeader = {
    roomId: newUuid(),
    epoch: 1,
    senderId: newUuid(),
    messageId: newUuid(),
    sentAt: SENT_AT,
  };
  const expected = { roomId: header.roomId, epoch: header.epoch, senderId: header.senderId };
  return { alice, header, expected, roomKey: newRoomKey() };
}

/** Builds a version 2 envelope around any padded bytes and send-time bytes, correctly signed and encrypted. */
function sealPadded(
  header: MessageHeader,
  padded: Uint8Array,
  roomKey: Uint8Array,
  sender: Identity,
  sentAt: Uint8Array = encodeU64(header.sentAt),
): Uint8Array {
  const headerBytes = readableHeader(header);
  const signature = nacl.sign.detached(
    concatBytes(utf8('OnionChat v2 message\0'), headerBytes, sentAt, padded),
    sender.signSecretKey,
  );
  const nonce = randomBytes(24);
  return concatBytes(headerBytes, nonce, nacl.secretbox(concatBytes(signature, sentAt, padded), nonce, roomKey));
}

function readableHeader(h: MessageHeader, version = 2): Uint8Array {
  return concatBytes(
    Uint8Array.of(version),
    uuidToBytes(h.roomId),
    encodeU32(h.epoch),
    uuidToBytes(h.senderId),
    uuidToBytes(h.messageId),
    version === 1 ? encodeU64(h.sentAt) : new Uint8Array(0),
  );
}

const clear = (h: MessageHeader, version: 1 | 2) => ({ ...h, version, sentAt: version === 1 ? h.sentAt : null });

describe('messages', () => {
  it('round-trips random texts', () => {
    for (let i = 0; i < 50; i++) {
      const { alice, header, expected, roomKey } = setup();
      const length = Math.floor(Math.random() * 2000);
      const text = Array.from({ length }, () => String.fromCodePoint(32 + Math.floor(Math.random() * 0x2000))).join('');
      const envelope = sealMessage(header, { type: 'text', text }, roomKey, alice);
      expect(envelope[0]).toBe(2);
      expect(readMessageHeader(envelope)).toEqual(clear(header, 2));
      expect(openMessage(envelope, expected, roomKey, alice)).toEqual({
        version: 2,
        header,
        body: { type: 'text', text },
      });
    }
  });

  it('round-trips other body types and extra fields', () => {
    const { alice, header, expected, roomKey } = setup();
    const body = { type: 'future-thing', nested: { a: [1, 2, null] }, text: 'hi', flag: true };
    expect(openMessage(sealMessage(header, body, roomKey, alice), expected, roomKey, alice).body).toEqual(body);
  });

  it('keeps unpaired surrogates and control characters intact', () => {
    const { alice, header, expected, roomKey } = setup();
    const text = 'a\ud800b\udc00\u0000\n\u2028"\\';
    const envelope = sealMessage(header, { type: 'text', text }, roomKey, alice);
    expect(openMessage(envelope, expected, roomKey, alice).body.text).toBe(text);
  });

  it('lays out, signs and encrypts exactly the bytes described in docs/PROTOCOL.md', () => {
    const { alice, header, roomKey } = setup();
    const nonce = randomBytes(24);
    const body = { type: 'text', text: 'hello' };
    const envelope = sealMessage(header, body, roomKey, alice, nonce);
    const headerBytes = readableHeader(header);
    expect(headerBytes).toHaveLength(MESSAGE_HEADER_V2_BYTES);
    expect(envelope.subarray(0, 53)).toEqual(headerBytes);
    expect(envelope.subarray(53, 77)).toEqual(nonce);
    const inner = nacl.secretbox.open(envelope.subarray(77), nonce, roomKey)!;
    const sentAt = inner.subarray(64, 72);
    expect(sentAt).toEqual(encodeU64(SENT_AT));
    const padded = inner.subarray(72);
    expect(padded).toEqual(pad(utf8('{"type":"text","text":"hello"}')));
    const message = concatBytes(utf8('OnionChat v2 message\0'), headerBytes, sentAt, padded);
    expect(nacl.sign.detached.verify(message, inner.subarray(0, 64), alice.signPublicKey)).toBe(true);
    expect(envelope).toHaveLength(MESSAGE_MIN_ENVELOPE_BYTES);
  });

  it('still reads version 1 (send time in the clear header) and returns its signed send time', () => {
    const { alice, header, expected, roomKey } = setup();
    const nonce = randomBytes(24);
    const body = { type: 'text', text: 'from an older client' };
    const envelope = sealMessageV1(header, body, roomKey, alice, nonce);
    const headerBytes = readableHeader(header, 1);
    expect(headerBytes).toHaveLength(MESSAGE_HEADER_V1_BYTES);
    expect(envelope.subarray(0, 61)).toEqual(headerBytes);
    const inner = nacl.secretbox.open(envelope.subarray(85), nonce, roomKey)!;
    const message = concatBytes(utf8('OnionChat v1 message\0'), headerBytes, inner.subarray(64));
    expect(nacl.sign.detached.verify(message, inner.subarray(0, 64), alice.signPublicKey)).toBe(true);
    expect(envelope).toHaveLength(MESSAGE_MIN_ENVELOPE_BYTES);
    expect(readMessageHeader(envelope)).toEqual(clear(header, 1));
    expect(openMessage(envelope, expected, roomKey, alice)).toEqual({ version: 1, header, body });
    // A version 1 send time is bound by the signature over the header.
    const retimed = envelope.slice();
    retimed[60]! ^= 0x01;
    expect(code(() => openMessage(retimed, expected, roomKey, alice))).toBe('bad-signature');
  });

  it('keeps the send time of version 2 out of what the server can read', () => {
    const { alice, header, roomKey } = setup();
    const envelope = sealMessage(header, { type: 'text', text: 'x' }, roomKey, alice);
    expect(readMessageHeader(envelope).sentAt).toBeNull();
    const other = sealMessage({ ...header, sentAt: SENT_AT + 3_600_000 }, { type: 'text', text: 'x' }, roomKey, alice);
    expect(other.subarray(0, 53)).toEqual(envelope.subarray(0, 53));
  });

  it('pads to the bucket sizes, at the boundaries', () => {
    const { alice, header, roomKey } = setup();
    // {"type":"text","text":""} is 25 bytes, so 227 characters of text make 252 bytes of content.
    const overhead = encodeMessageBody({ type: 'text', text: '' }).length;
    expect(overhead).toBe(25);
    const sizeFor = (chars: number) =>
      sealMessage(header, { type: 'text', text: 'x'.repeat(chars) }, roomKey, alice).length;
    expect(sizeFor(252 - overhead)).toBe(165 + 256);
    expect(sizeFor(253 - overhead)).toBe(165 + 512);
    expect(sizeFor(508 - overhead)).toBe(165 + 512);
    expect(sizeFor(509 - overhead)).toBe(165 + 1024);
    // Other lengths between two boundaries land in the same bucket, so they look the same.
    expect(sizeFor(0)).toBe(sizeFor(200));
  });

  it('limits texts to MAX_TEXT_CHARS and content to the largest bucket', () => {
    const { alice, header, expected, roomKey } = setup();
    const longest = sealMessage(header, { type: 'text', text: '\u0001'.repeat(MAX_TEXT_CHARS) }, roomKey, alice);
    expect(longest.length).toBeLessThanOrEqual(MESSAGE_MAX_ENVELOPE_BYTES);
    expect(openMessage(longest, expected, roomKey, alice).body.text).toHaveLength(MAX_TEXT_CHARS);
    expect(
      code(() => sealMessage(header, { type: 'text', text: 'x'.repeat(MAX_TEXT_CHARS + 1) }, roomKey, alice)),
    ).toBe('too-large');
    expect(code(() => sealMessage(header, { type: 'blob', data: 'x'.repeat(65_520) }, roomKey, alice))).toBe(
      'too-large',
    );
    const biggest = sealMessage(header, { type: 'blob', data: 'x'.repeat(65_500) }, roomKey, alice);
    expect(biggest).toHaveLength(MESSAGE_MAX_ENVELOPE_BYTES);
    expect(openMessage(biggest, expected, roomKey, alice).body.type).toBe('blob');
  });

  it('refuses bodies readers would reject', () => {
    const { alice, header, roomKey } = setup();
    const seal = (body: unknown) => () => sealMessage(header, body as { type: string }, roomKey, alice);
    expect(code(seal({ text: 'no type' }))).toBe('bad-content');
    expect(code(seal({ type: 7 }))).toBe('bad-content');
    expect(code(seal({ type: 'text' }))).toBe('bad-content');
    expect(code(seal({ type: 'text', text: 42 }))).toBe('bad-content');
    expect(code(seal(['text']))).toBe('bad-content');
    expect(code(seal(null))).toBe('bad-content');
    expect(code(seal({ type: 'x', big: 1n }))).toBe('bad-content');
    const cyclic: Record<string, unknown> = { type: 'x' };
    cyclic.self = cyclic;
    expect(code(seal(cyclic))).toBe('bad-content');
  });

  it('parses content strictly', () => {
    expect(decodeMessageBody(utf8('{"type":"x"}'))).toEqual({ type: 'x' });
    expect(decodeMessageBody(utf8(' {"type":"text","text":""}\n'))).toEqual({ type: 'text', text: '' });
    for (const bad of [
      utf8(''),
      utf8('not json'),
      utf8('[]'),
      utf8('null'),
      utf8('"text"'),
      utf8('{}'),
      utf8('{"type":null}'),
      utf8('{"type":"text","text":null}'),
      concatBytes(Uint8Array.of(0xef, 0xbb, 0xbf), utf8('{"type":"x"}')),
      Uint8Array.of(0x7b, 0xff, 0x7d),
      utf8('{"type":"x"}{"type":"y"}'),
    ]) {
      expect(code(() => decodeMessageBody(bad))).toBe('bad-content');
    }
  });

  it('rejects envelopes in the documented order', () => {
    const { alice, header, expected, roomKey } = setup();
    const mallory = createIdentity('mallory');
    const envelope = sealMessage(header, { type: 'text', text: 'hi' }, roomKey, alice);
    const open =
      (e: Uint8Array, exp = expected, key = roomKey, sender = alice) =>
      () =>
        openMessage(e, exp, key, sender);

    for (const version of [0, 3, 255]) {
      const other = envelope.slice();
      other[0] = version;
      expect(code(open(other))).toBe('bad-version');
    }
    // Relabelled as version 1, the nonce is read as a clear send time and the box no longer opens.
    const relabelled = envelope.slice();
    relabelled[0] = 1;
    expect(['bad-encoding', 'decrypt-failed']).toContain(code(open(relabelled)));
    expect(code(open(new Uint8Array(0)))).toBe('bad-length');
    expect(code(open(envelope.subarray(0, MESSAGE_MIN_ENVELOPE_BYTES - 1)))).toBe('bad-length');
    expect(code(open(concatBytes(envelope, new Uint8Array(MESSAGE_MAX_ENVELOPE_BYTES))))).toBe('bad-length');
    expect(code(open(envelope, { ...expected, roomId: newUuid() }))).toBe('context-mismatch');
    expect(code(open(envelope, { ...expected, epoch: 2 }))).toBe('context-mismatch');
    expect(code(open(envelope, { ...expected, senderId: newUuid() }))).toBe('context-mismatch');
    expect(code(open(envelope, expected, newRoomKey()))).toBe('decrypt-failed');
    for (const index of [53, 76, 77, 100, 101, envelope.length - 1]) {
      const tampered = envelope.slice();
      tampered[index]! ^= 0x10;
      expect(code(open(tampered))).toBe('decrypt-failed');
    }
    // The header is outside the secretbox: changes there are caught by the signature.
    for (const index of [37, 44, 52]) {
      const tampered = envelope.slice();
      tampered[index]! ^= 0x10;
      expect(code(open(tampered))).toBe('bad-signature');
    }
    expect(code(open(envelope, expected, roomKey, mallory))).toBe('bad-signature');
    const forged = sealMessage(header, { type: 'text', text: 'hi' }, roomKey, mallory);
    expect(code(open(forged))).toBe('bad-signature');

    const bigPad = new Uint8Array(512);
    bigPad.set(concatBytes(encodeU32(2), utf8('{}')));
    expect(code(open(sealPadded(header, bigPad, roomKey, alice)))).toBe('bad-padding');
    expect(code(open(sealPadded(header, pad(utf8('[1]')), roomKey, alice)))).toBe('bad-content');
    // A send time above 2^53 - 1 can only come from a sender that writes it: refused after the signature.
    const tooLate = Uint8Array.of(0x00, 0x20, 0, 0, 0, 0, 0, 0);
    expect(code(open(sealPadded(header, pad(utf8('{"type":"x"}')), roomKey, alice, tooLate)))).toBe('bad-encoding');
    expect(code(open(sealPadded(header, bigPad, roomKey, alice, tooLate)))).toBe('bad-encoding');
  });

  it('refuses malformed headers and arguments', () => {
    const { alice, header, expected, roomKey } = setup();
    const seal =
      (h: MessageHeader, key = roomKey, nonce?: Uint8Array) =>
      () =>
        sealMessage(h, { type: 'text', text: 'x' }, key, alice, nonce);
    expect(code(seal({ ...header, epoch: 0 }))).toBe('bad-encoding');
    expect(code(seal({ ...header, sentAt: -1 }))).toBe('bad-encoding');
    expect(code(seal({ ...header, sentAt: 2 ** 53 }))).toBe('bad-encoding');
    expect(code(seal({ ...header, messageId: 'message-1' }))).toBe('bad-encoding');
    expect(code(seal(header, randomBytes(16)))).toBe('bad-length');
    expect(code(seal(header, roomKey, randomBytes(8)))).toBe('bad-length');

    const envelope = sealMessage(header, { type: 'text', text: 'x' }, roomKey, alice);
    const zeroEpoch = envelope.slice();
    zeroEpoch.set(encodeU32(0), 17);
    expect(code(() => readMessageHeader(zeroEpoch))).toBe('bad-encoding');
    const hugeTime = sealMessageV1(header, { type: 'text', text: 'x' }, roomKey, alice);
    hugeTime.set(Uint8Array.of(0xff), 53);
    expect(code(() => readMessageHeader(hugeTime))).toBe('bad-encoding');
    expect(code(() => openMessage(envelope, { ...expected, senderId: 'bob' }, roomKey, alice))).toBe('bad-encoding');
  });

  it('draws a fresh nonce for every message', () => {
    const { alice, header, roomKey } = setup();
    const a = sealMessage(header, { type: 'text', text: 'same' }, roomKey, alice);
    const b = sealMessage(header, { type: 'text', text: 'same' }, roomKey, alice);
    expect(equalBytes(a, b)).toBe(false);
  });
});

describe('sender counters', () => {
  it('travel signed and encrypted inside the content and come back out', () => {
    const { alice, header, expected, roomKey } = setup();
    const chain = newUuid();
    const envelope = sealMessage(header, { type: 'text', text: 'hi', chain, n: 7 }, roomKey, alice);
    const { body } = openMessage(envelope, expected, roomKey, alice);
    expect(readSenderCounter(body)).toEqual({ chain, n: 7 });
    expect(readSenderCounter({ type: 'text', text: 'no counter' })).toBeNull();
  });

  it('must reject: only one of chain and n, a non-canonical chain, n below 1 or not a safe integer', () => {
    const chain = newUuid();
    for (const bad of [
      { type: 'text', text: 'x', chain },
      { type: 'text', text: 'x', n: 1 },
      { type: 'text', text: 'x', chain: chain.toUpperCase(), n: 1 },
      { type: 'text', text: 'x', chain, n: 0 },
      { type: 'text', text: 'x', chain, n: 1.5 },
      { type: 'text', text: 'x', chain, n: 2 ** 53 },
      { type: 'text', text: 'x', chain, n: '1' },
    ]) {
      expect(code(() => decodeMessageBody(utf8(JSON.stringify(bad))))).toBe('bad-content');
      expect(code(() => encodeMessageBody(bad))).toBe('bad-content');
    }
  });
});
