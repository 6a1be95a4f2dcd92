import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes, randomBytes, utf8Encode } from './bytes.js';
import { GROUP_NAME_MAX_CHARS, GROUP_PICTURE_MAX_CHARS, openGroupInfo, sealGroupInfo } from './group-info.js';
import { newRoomKey } from './room-key.js';

const roomKey = newRoomKey();
const png = 'data:image/png;base64,iVBORw0KGgo=';
const jpeg = 'data:image/jpeg;base64,/9j/4AAQ';
/** Content sealed as info is, whatever it says. */
const sealed = (content: string | Uint8Array, key = roomKey) => {
  const nonce = randomBytes(24);
  return concatBytes(nonce, nacl.secretbox(typeof content === 'string' ? utf8Encode(content) : content, nonce, key));
};
/** The largest valid base64 payload that fits the limit with the PNG prefix (22 characters). */
const longestPicture = 'data:image/png;base64,' + 'A'.repeat(Math.floor((GROUP_PICTURE_MAX_CHARS - 22) / 4) * 4);

describe('group info', () => {
  it('round-trips a name, and a name with a PNG or JPEG picture', () => {
    for (const info of [{ name: 'Climbing club' }, { name: 'x', picture: png }, { name: 'Ω ☕', picture: jpeg }]) {
      expect(openGroupInfo(sealGroupInfo(info, roomKey), roomKey)).toEqual(info);
    }
    const longest = { name: '🧗'.repeat(GROUP_NAME_MAX_CHARS / 2), picture: longestPicture };
    expect(openGroupInfo(sealGroupInfo(longest, roomKey), roomKey)).toEqual(longest);
  });

  it('is nonce || secretbox(JSON, nonce, roomKey); a fixed nonce gives fixed bytes', () => {
    const nonce = randomBytes(24);
    const bytes = sealGroupInfo({ name: 'a' }, roomKey, nonce);
    expect(bytes.subarray(0, 24)).toEqual(nonce);
    expect(nacl.secretbox.open(bytes.subarray(24), nonce, roomKey)).toEqual(utf8Encode('{"name":"a"}'));
    expect(sealGroupInfo({ name: 'a' }, roomKey, nonce)).toEqual(bytes);
    expect(sealGroupInfo({ name: 'a' }, roomKey)).not.toEqual(bytes);
  });

  it('writes only the name and the picture, and reads past any other member', () => {
    const extra = { name: 'a', colour: 'red' } as { name: string };
    const bytes = sealGroupInfo(extra, roomKey, new Uint8Array(24));
    expect(nacl.secretbox.open(bytes.subarray(24), new Uint8Array(24), roomKey)).toEqual(utf8Encode('{"name":"a"}'));
    expect(openGroupInfo(sealed('{"name":"a","colour":"red","v":2}'), roomKey)).toEqual({ name: 'a' });
  });

  it('rejects a box too short to hold a nonce and a tag, or one that does not open', () => {
    const good = sealGroupInfo({ name: 'a' }, roomKey);
    expect(code(() => openGroupInfo(good.subarray(0, 39), roomKey))).toBe('bad-length');
    expect(code(() => openGroupInfo(good, newRoomKey()))).toBe('decrypt-failed');
    const flipped = good.slice();
    flipped[30] = (flipped[30] as number) ^ 1;
    expect(code(() => openGroupInfo(flipped, roomKey))).toBe('decrypt-failed');
    expect(code(() => openGroupInfo(good, new Uint8Array(31)))).toBe('bad-length');
  });

  const badContent: [string, string | Uint8Array][] = [
    ['not JSON', 'name'],
    ['an array', '["a"]'],
    ['null', 'null'],
    ['invalid UTF-8', concatBytes(utf8Encode('{"name":"'), Uint8Array.of(0xff), utf8Encode('"}'))],
    ['a byte order mark', '\ufeff{"name":"a"}'],
    ['no name', '{}'],
    ['an empty name', '{"name":""}'],
    ['a name of 65 units', JSON.stringify({ name: 'x'.repeat(65) })],
    ['a number as name', '{"name":1}'],
    ['a tab in the name', '{"name":"a\\tb"}'],
    ['DEL in the name', '{"name":"a\\u007fb"}'],
    ['a C1 control in the name', '{"name":"a\\u009bb"}'],
    ['a null picture', '{"name":"a","picture":null}'],
    ['a GIF', JSON.stringify({ name: 'a', picture: 'data:image/gif;base64,R0lG' })],
    ['an SVG', JSON.stringify({ name: 'a', picture: 'data:image/svg+xml;base64,PHN2Zz4=' })],
    ['a web address', JSON.stringify({ name: 'a', picture: 'https://example.com/a.png' })],
    ['upper-case DATA:', JSON.stringify({ name: 'a', picture: 'DATA:image/png;base64,AAAA' })],
    ['no image bytes', JSON.stringify({ name: 'a', picture: 'data:image/png;base64,' })],
    ['non-canonical base64', JSON.stringify({ name: 'a', picture: 'data:image/png;base64,Zh==' })],
    ['base64 without padding', JSON.stringify({ name: 'a', picture: 'data:image/png;base64,Zg' })],
    ['a picture one block too long', JSON.stringify({ name: 'a', picture: longestPicture + 'AAAA' })],
  ];
  it.each(badContent)('rejects content with %s', (_, content) => {
    expect(code(() => openGroupInfo(sealed(content), roomKey))).toBe('bad-content');
  });

  it('refuses to seal what it would not open', () => {
    const seal = (info: unknown) => () => sealGroupInfo(info as { name: string }, roomKey);
    expect(code(seal({ name: '' }))).toBe('bad-content');
    expect(code(seal({ name: 'x'.repeat(65) }))).toBe('bad-content');
    expect(code(seal({ name: 'a\nb' }))).toBe('bad-content');
    expect(code(seal({ name: 'a', picture: 'data:image/gif;base64,R0lG' }))).toBe('bad-content');
    expect(code(seal({ name: 'a', picture: longestPicture + 'AAAA' }))).toBe('bad-content');
    expect(code(seal({ name: 'a', picture: null }))).toBe('bad-content');
    expect(code(() => sealGroupInfo({ name: 'a' }, roomKey, new Uint8Array(23)))).toBe('bad-length');
  });
});
