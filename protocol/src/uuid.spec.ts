import { describe, expect, it } from 'vitest';
import { ProtocolError } from './errors.js';
import { UUID_BYTES, bytesToUuid, newUuid, uuidToBytes } from './uuid.js';

const V4_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('UUIDs', () => {
  it('converts between text and 16 bytes', () => {
    const id = '00112233-4455-6677-8899-aabbccddeeff';
    const bytes = uuidToBytes(id);
    expect(bytes).toHaveLength(UUID_BYTES);
    expect(Array.from(bytes)).toEqual([
      0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
    ]);
    expect(bytesToUuid(bytes)).toBe(id);
    expect(bytesToUuid(new Uint8Array(16))).toBe('00000000-0000-0000-0000-000000000000');
  });

  it('makes distinct random version 4 ids that round-trip', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = newUuid();
      expect(id).toMatch(V4_PATTERN);
      expect(bytesToUuid(uuidToBytes(id))).toBe(id);
      seen.add(id);
    }
    expect(seen.size).toBe(200);
  });

  it.each([
    '',
    '00112233-4455-6677-8899-AABBCCDDEEFF',
    '00112233445566778899aabbccddeeff',
    '{00112233-4455-6677-8899-aabbccddeeff}',
    'urn:uuid:00112233-4455-6677-8899-aabbccddeeff',
    ' 00112233-4455-6677-8899-aabbccddeeff',
    '00112233-4455-6677-8899-aabbccddeeff\n',
    '0011223-34455-6677-8899-aabbccddeeff',
    '00112233-4455-6677-8899-aabbccddeef',
    '00112233-4455-6677-8899-aabbccddeeffa',
    '00112233-4455-6677-8899-aabbccddeefg',
  ])('rejects %j', (text) => {
    expect(() => uuidToBytes(text)).toThrow(expect.objectContaining({ code: 'bad-encoding' }));
  });

  it('rejects non-strings and wrong byte lengths', () => {
    expect(() => uuidToBytes(42 as unknown as string)).toThrow(ProtocolError);
    expect(() => bytesToUuid(new Uint8Array(15))).toThrow(expect.objectContaining({ code: 'bad-length' }));
  });
});
