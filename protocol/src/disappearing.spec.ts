// Replays the disappearing-message vectors of protocol/testdata/rules.json (PROTOCOL.md §20)
// and checks that message content with a bad ttl is refused however it arrives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { utf8Encode } from './bytes.js';
import {
  DISAPPEARING_TTLS,
  effectiveTtl,
  expiryOf,
  latestTimer,
  readMessageTtl,
  timerInEffect,
  timerMessageBody,
  type TimerSetting,
} from './disappearing.js';
import { decodeMessageBody, encodeMessageBody, type MessageBody } from './message-body.js';

interface DisappearingVectors {
  ttls: number[];
  bodies: { name: string; body: MessageBody; ttl: number | null }[];
  invalidBodies: { name: string; body: MessageBody; error: string }[];
  timers: { name: string; timers: TimerSetting[]; at: number; inEffect: number; latest: TimerSetting | null }[];
  expiries: {
    name: string;
    sentAt: number;
    own: number | null;
    timer: number;
    ttl: number | null;
    expiresAt: number | null;
  }[];
  invalidExpiries: { name: string; sentAt: number; ttl: number; error: string }[];
}
const vectors = (
  JSON.parse(readFileSync(new URL('../testdata/rules.json', import.meta.url), 'utf8')) as {
    disappearing: DisappearingVectors;
  }
).disappearing;

describe('disappearing vectors (rules.json)', () => {
  it('lists the allowed ttls', () => {
    expect(vectors.ttls).toEqual([...DISAPPEARING_TTLS]);
  });
  it.each(vectors.bodies)('reads $name', (v) => {
    expect(readMessageTtl(v.body)).toBe(v.ttl);
    expect(decodeMessageBody(utf8Encode(JSON.stringify(v.body)))).toEqual(v.body);
  });
  it.each(vectors.invalidBodies)('refuses $name with $error', (v) => {
    expect(code(() => readMessageTtl(v.body))).toBe(v.error);
    expect(code(() => decodeMessageBody(utf8Encode(JSON.stringify(v.body))))).toBe(v.error);
    expect(code(() => encodeMessageBody(v.body))).toBe(v.error);
  });
  it.each(vectors.timers)('timer: $name', (v) => {
    expect(timerInEffect(v.timers, v.at)).toBe(v.inEffect);
    expect(latestTimer(v.timers)).toEqual(v.latest);
  });
  it.each(vectors.expiries)('expiry: $name', (v) => {
    const ttl = effectiveTtl(v.own, v.timer);
    expect(ttl).toBe(v.ttl);
    expect(ttl === null ? null : expiryOf(v.sentAt, ttl)).toBe(v.expiresAt);
  });
  it.each(vectors.invalidExpiries)('refuses expiry: $name with $error', (v) => {
    expect(code(() => expiryOf(v.sentAt, v.ttl))).toBe(v.error);
  });
});

describe('timerMessageBody', () => {
  it('writes a timer body for every allowed value', () => {
    for (const ttl of DISAPPEARING_TTLS) expect(timerMessageBody(ttl)).toEqual({ type: 'timer', ttl });
  });
  it('refuses a value outside the set', () => {
    expect(code(() => timerMessageBody(45))).toBe('bad-content');
  });
});
