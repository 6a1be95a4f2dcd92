// Replays the key verification vectors in protocol/testdata/vectors.json (safety
// numbers, contact pins, bundle updates, sender counters): see docs/PROTOCOL.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  bundleDigest,
  decodeContactPins,
  encodeContactPins,
  fromHex,
  matchSafetyNumberQr,
  readSenderCounter,
  safetyNumber,
  toHex,
  verifyBundleUpdate,
  type MessageBody,
  type ProtocolErrorCode,
} from './index.js';

interface HexParty {
  userId: string;
  username: string;
  signPublicKey: string;
}
interface HexPin extends HexParty {
  userId: string;
  verified: boolean;
}
interface TrustVectors {
  safetyNumber: {
    valid: { a: HexParty; b: HexParty; digits: string; groups: string[]; qr: string }[];
    invalidQr: { name: string; qr: string; error: ProtocolErrorCode }[];
  };
  contactPins: {
    valid: { name: string; pins: HexPin[]; value: string }[];
    invalid: { name: string; value: string; error: ProtocolErrorCode }[];
  };
  bundleUpdate: {
    userId: string;
    signPublicKey: string;
    previous: string;
    previousDigest: string;
    next: string;
    signature: string;
  };
  senderCounter: { invalid: { name: string; body: MessageBody; error: ProtocolErrorCode }[] };
}

const { trust } = JSON.parse(readFileSync(new URL('../testdata/vectors.json', import.meta.url), 'utf8')) as {
  trust: TrustVectors;
};
const party = (p: HexParty) => ({ userId: p.userId, username: p.username, signPublicKey: fromHex(p.signPublicKey) });

function protocolCode(run: () => unknown): ProtocolErrorCode | null {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return null;
}

describe('safety number vectors', () => {
  it.each(trust.safetyNumber.valid)('$a.username and $b.username', async (v) => {
    for (const [a, b] of [
      [v.a, v.b],
      [v.b, v.a],
    ] as const) {
      const number = await safetyNumber(party(a), party(b));
      expect(number.digits).toBe(v.digits);
      expect(number.groups).toEqual(v.groups);
      expect(toHex(number.qr)).toBe(v.qr);
    }
  });

  it.each(trust.safetyNumber.invalidQr)('rejects a QR payload: $name', (v) => {
    const mine = { digits: '', groups: [], qr: fromHex(trust.safetyNumber.valid[0]!.qr) };
    expect(protocolCode(() => matchSafetyNumberQr(fromHex(v.qr), mine))).toBe(v.error);
  });
});

describe('contact pin vectors', () => {
  it.each(trust.contactPins.valid)('$name', (v) => {
    const pins = v.pins.map((pin) => ({ ...pin, signPublicKey: fromHex(pin.signPublicKey) }));
    expect(toHex(encodeContactPins(pins))).toBe(v.value);
    const decoded = decodeContactPins(fromHex(v.value));
    expect(decoded.map((pin) => ({ ...pin, signPublicKey: toHex(pin.signPublicKey) }))).toEqual(
      [...v.pins].sort((a, b) => (a.userId < b.userId ? -1 : 1)),
    );
  });

  it.each(trust.contactPins.invalid)('rejects $name', (v) => {
    expect(protocolCode(() => decodeContactPins(fromHex(v.value)))).toBe(v.error);
  });
});

describe('bundle update vector', () => {
  it('verifies, and names the bundle it replaces', () => {
    const v = trust.bundleUpdate;
    const [key, previous, next, signature] = [v.signPublicKey, v.previous, v.next, v.signature].map(fromHex);
    expect(toHex(bundleDigest(previous!))).toBe(v.previousDigest);
    expect(verifyBundleUpdate(key!, v.userId, previous!, next!, signature!)).toBe(true);
    expect(verifyBundleUpdate(key!, v.userId, next!, next!, signature!)).toBe(false);
  });
});

describe('sender counter vectors', () => {
  it.each(trust.senderCounter.invalid)('rejects $name', (v) => {
    expect(protocolCode(() => readSenderCounter(v.body))).toBe(v.error);
  });
});
