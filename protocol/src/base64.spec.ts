import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64.js';
import { randomBytes } from './bytes.js';
import { ProtocolError } from './errors.js';

describe('base64', () => {
  it('matches RFC 4648 test vectors', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [text, encoded] of cases) {
      const bytes = new TextEncoder().encode(text);
      expect(toBase64(bytes)).toBe(encoded);
      expect(fromBase64(encoded)).toEqual(bytes);
    }
  });

  it('uses the standard alphabet', () => {
    expect(toBase64(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('+/+/');
  });

  it('round-trips random data of every length up to 64', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = randomBytes(n);
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }
  });

  it('agrees with the platform encoder', () => {
    const bytes = randomBytes(1000);
    const platform = btoa(String.fromCharCode(...bytes));
    expect(toBase64(bytes)).toBe(platform);
  });

  it.each(['Zg', 'Zg=', 'Zh==', 'Zm9=', 'Zm9v\r\n', 'Zm 9v', 'Zm9v=', '=Zm9', 'Zg==Zg==', 'Zm9v====', '\u0100AAA'])(
    'rejects %j with bad-encoding',
    (text) => {
      expect(() => fromBase64(text)).toThrow(expect.objectContaining({ code: 'bad-encoding' }));
      expect(() => fromBase64(text)).toThrow(ProtocolError);
    },
  );
});
