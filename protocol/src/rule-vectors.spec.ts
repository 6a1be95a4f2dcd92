// Replays protocol/testdata/rules.json (who may hand out a room key, the sender
// counter walk, the pin comparison by user id and by username): see docs/PROTOCOL.md sections 8, 16 and 18.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import {
  comparePin,
  comparePinAmong,
  entitledWrapper,
  fromHex,
  pinFor,
  walkSenderCounters,
  type ContactPin,
  type CountedMessage,
  type PinVerdict,
  type ProtocolErrorCode,
  type SenderCounterFinding,
} from './index.js';

interface Room {
  id: string;
  kind: string;
  members: { id: string }[];
}
interface WrapperCase {
  name: string;
  room: Room;
  meId: string;
  wrapperId: string;
}
interface HexPin {
  userId: string;
  username: string;
  signPublicKey: string;
  verified: boolean;
}
interface PinCase {
  name: string;
  pin: HexPin | null;
  username: string;
  signPublicKey: string;
}
interface PinsCase {
  name: string;
  pins: HexPin[];
  userId: string;
  username: string;
}
interface WalkCase {
  name: string;
  complete: boolean;
  messages: CountedMessage[];
}
interface RuleVectors {
  users: { id: string; username: string; signPublicKey: string }[];
  entitledWrapper: {
    valid: (WrapperCase & { result: { kind: 'me' } | { kind: 'member'; memberId: string } })[];
    invalid: (WrapperCase & { error: ProtocolErrorCode })[];
  };
  senderCounters: {
    walks: (WalkCase & { findings: SenderCounterFinding[] })[];
    invalid: (WalkCase & { error: ProtocolErrorCode })[];
  };
  comparePin: {
    verdicts: (PinCase & { verdict: PinVerdict })[];
    invalid: (PinCase & { error: ProtocolErrorCode })[];
  };
  comparePinAmong: {
    verdicts: (PinsCase & { signPublicKey: string; verdict: PinVerdict })[];
    invalid: (PinsCase & { signPublicKey: string; error: ProtocolErrorCode })[];
  };
  pinFor: {
    results: (PinsCase & { result: HexPin | null })[];
    invalid: (PinsCase & { error: ProtocolErrorCode })[];
  };
}

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8'));
const rules = read('rules.json') as RuleVectors;
const { users } = read('vectors.json') as { users: RuleVectors['users'] };

const pinOf = (pin: HexPin): ContactPin => ({ ...pin, signPublicKey: fromHex(pin.signPublicKey) });
const comparePinOf = (v: PinCase) =>
  comparePin(v.pin === null ? null : pinOf(v.pin), v.username, fromHex(v.signPublicKey));
const comparePinAmongOf = (v: PinsCase & { signPublicKey: string }) =>
  comparePinAmong(v.pins.map(pinOf), v.userId, v.username, fromHex(v.signPublicKey));
const pinForOf = (v: PinsCase) => pinFor(v.pins.map(pinOf), v.userId, v.username);

describe('rule vectors', () => {
  it('use the users of vectors.json', () => {
    for (const user of rules.users) expect(users).toContainEqual(expect.objectContaining(user));
  });
});

describe('entitled wrapper vectors', () => {
  it.each(rules.entitledWrapper.valid)('$name', (v) => {
    const verdict = entitledWrapper(v.room, v.meId, v.wrapperId);
    const { result } = v;
    if (result.kind === 'me') {
      expect(verdict).toEqual({ kind: 'me' });
    } else {
      // The first record with that id, itself: its keys are the ones the wrapped key must verify under.
      const first = v.room.members.find((member) => member.id === result.memberId);
      expect(verdict).toEqual({ kind: 'member', member: first });
      if (verdict.kind === 'member') expect(verdict.member).toBe(first);
    }
  });

  it.each(rules.entitledWrapper.invalid)('rejects $name with $error', (v) => {
    expect(code(() => entitledWrapper(v.room, v.meId, v.wrapperId))).toBe(v.error);
  });
});

describe('sender counter walk vectors', () => {
  it.each(rules.senderCounters.walks)('$name', (v) => {
    expect(walkSenderCounters(v.messages, v.complete)).toEqual(v.findings);
  });

  it.each(rules.senderCounters.invalid)('rejects $name with $error', (v) => {
    expect(code(() => walkSenderCounters(v.messages, v.complete))).toBe(v.error);
  });
});

describe('pin comparison vectors', () => {
  it.each(rules.comparePin.verdicts)('$name: $verdict', (v) => {
    expect(comparePinOf(v)).toBe(v.verdict);
  });

  it.each(rules.comparePin.invalid)('rejects $name with $error', (v) => {
    expect(code(() => comparePinOf(v))).toBe(v.error);
  });
});

describe('pins by user id and by username vectors', () => {
  it.each(rules.comparePinAmong.verdicts)('comparePinAmong, $name: $verdict', (v) => {
    expect(comparePinAmongOf(v)).toBe(v.verdict);
  });

  it.each(rules.comparePinAmong.invalid)('comparePinAmong rejects $name with $error', (v) => {
    expect(code(() => comparePinAmongOf(v))).toBe(v.error);
  });

  it.each(rules.pinFor.results)('pinFor, $name', (v) => {
    const pins = v.pins.map(pinOf);
    const found = pinFor(pins, v.userId, v.username);
    expect(found).toEqual(v.result === null ? null : pinOf(v.result));
    // One of the pins given, itself: the client reads its verified mark.
    if (found !== null) expect(pins).toContain(found);
  });

  it.each(rules.pinFor.invalid)('pinFor rejects $name with $error', (v) => {
    expect(code(() => pinForOf(v))).toBe(v.error);
  });
});
