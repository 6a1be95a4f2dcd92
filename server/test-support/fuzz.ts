// Building blocks for the property-based fuzz tests: hostile values, hostile raw bodies,
// mutated protocol bytes, and the run settings. Runs are random by default; fast-check
// prints the seed and path of a failing run, and FUZZ_SEED (with FUZZ_PATH) replays it.
// FUZZ_RUNS scales the number of runs (1 = the default budget).
import fc from 'fast-check';
import { expect } from 'vitest';
import { toBase64 } from '@onionchat/protocol';

export function fuzzParams(numRuns: number): fc.Parameters<unknown> {
  const scale = Number(process.env['FUZZ_RUNS'] ?? 1);
  const seed = process.env['FUZZ_SEED'];
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) ? scale : 1))),
    ...(seed ? { seed: Number(seed), path: process.env['FUZZ_PATH'] } : {}),
    endOnFailure: true,
  };
}

/** Base64 of random bytes, `min` to `max` long. */
export const base64Of = (min: number, max: number) =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((bytes) => toBase64(bytes));

/** Real protocol bytes with a few bytes flipped, cut short or extended: reaches past the first length check. */
export function mutatedBase64(real: Uint8Array): fc.Arbitrary<string> {
  const flip = fc
    .array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((flips) => {
      const copy = real.slice();
      for (const [at, xor] of flips) copy[at]! ^= xor;
      return copy;
    });
  const cut = fc.nat(real.length - 1).map((n) => real.slice(0, n));
  const extend = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => new Uint8Array([...real, ...tail]));
  return fc.oneof(flip, cut, extend).map((bytes) => toBase64(bytes));
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Strings people and programs get wrong. */
export const edgeString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    '\uDFFF',
    '\u202Eevil',
    'e\u0301',
    '\uFEFF',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '../../etc/passwd',
    '%00',
    '%2e%2e%2f',
    '\'; DROP TABLE "User"; --',
    '${jndi:ldap://x}',
    '<script>alert(1)</script>',
    '!!!not base64!!!',
    'AAA',
    '====',
    'A'.repeat(5000),
    ...PROTO_KEYS,
  ),
);

export const edgeNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, -0, 0, 1, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, 5e-324, 0.5),
);

/** A JSON value of the wrong kind, deep, or keyed to pollute prototypes. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    edgeString,
    edgeNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** Replaces some fields of a good body with hostile values, drops some, adds polluting keys. */
export function hostileBody(good: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(good);
  const changed = fc
    .record({
      replace: fc.subarray(keys, { minLength: keys.length ? 1 : 0 }),
      drop: fc.subarray(keys),
      extra: fc.dictionary(fc.constantFrom(...PROTO_KEYS), hostileValue, { maxKeys: 2 }),
      values: fc.array(hostileValue, { minLength: keys.length, maxLength: keys.length }),
    })
    .map(({ replace, drop, extra, values }) => {
      const body: Record<string, unknown> = { ...good };
      replace.forEach((k) => (body[k] = values[keys.indexOf(k)]));
      drop.forEach((k) => delete body[k]);
      for (const [k, v] of Object.entries(extra)) Object.defineProperty(body, k, { value: v, enumerable: true });
      return body;
    });
  return fc.oneof(changed, hostileValue);
}

/** Raw request bodies that are not the JSON they claim to be, or are JSON built to hurt. */
export const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.nat({ max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.nat({ max: 20_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.constantFrom(
    '{"__proto__":{"isAdmin":true},"username":"owner"}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"username":"a","username":"b"}',
    '{"size":NaN}',
    '{"size":Infinity}',
    '{"seq":1e999}',
    '{',
    '"just a string"',
    '[]',
    'null',
    '\u0000',
    '{"a":"\\ud800"}',
    '\uFEFF{}',
  ),
  fc.nat({ max: 3 }).map((n) => `{"x":"${'A'.repeat(40_000 * (n + 1))}"}`),
);

export const hostileContentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/xml',
  '*/*',
);

/** A path segment that is not an id, or an id of nothing. */
export const hostileSegment = fc.oneof(
  fc.uuid().map((u) => u.toUpperCase()),
  fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('..', '%2e%2e', '%00', 'null', 'undefined', '__proto__', 'constructor', '-1', '0', 'A'.repeat(300)),
);

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
}

/** The API's one error shape, with a sentence for people. */
export function expectErrorShape(status: number, body: unknown, label: string): void {
  expect(body, label).toEqual({
    statusCode: status,
    error: expect.any(String),
    code: expect.stringMatching(/^[a-z_]+$/),
    message: expect.stringMatching(/^\S.{3,}/),
  });
}
