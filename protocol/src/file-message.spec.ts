import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { toBase64 } from './base64.js';
import { randomBytes } from './bytes.js';
import { FILE_MAX_BYTES } from './file-layout.js';
import {
  FILE_DEFAULT_MIME,
  FILE_MIME_MAX_CHARS,
  FILE_NAME_MAX_CHARS,
  fileMessageBody,
  readFileMessageBody,
  sanitizeFileMime,
  sanitizeFileName,
} from './file-message.js';
import { createIdentity } from './identity.js';
import { encodeMessageBody, type MessageBody } from './message-body.js';
import { openMessage, sealMessage } from './message.js';
import { paddedSize } from './padding.js';
import { newRoomKey } from './room-key.js';
import { newUuid } from './uuid.js';

function sample() {
  return {
    fileId: newUuid(),
    name: 'holiday photo.jpg',
    mime: 'image/jpeg',
    size: 123_456,
    key: randomBytes(32),
    digest: randomBytes(32),
  };
}

describe('file message bodies', () => {
  it('round-trips and writes the fields in a fixed order', () => {
    const file = sample();
    const body = fileMessageBody(file);
    expect(Object.keys(body)).toEqual(['type', 'fileId', 'name', 'mime', 'size', 'key', 'digest']);
    expect(body).toEqual({ ...file, type: 'file', key: toBase64(file.key), digest: toBase64(file.digest) });
    expect(readFileMessageBody(body)).toEqual(file);
    expect(readFileMessageBody(JSON.parse(JSON.stringify(body)) as MessageBody)).toEqual(file);
  });

  it('defaults the media type and accepts the limits', () => {
    expect(fileMessageBody({ ...sample(), mime: undefined }).mime).toBe(FILE_DEFAULT_MIME);
    expect(fileMessageBody({ ...sample(), mime: '' }).mime).toBe(FILE_DEFAULT_MIME);
    const mime = `${'a'.repeat(63)}/${'b'.repeat(63)}`;
    expect(mime).toHaveLength(FILE_MIME_MAX_CHARS);
    const edge = { ...sample(), name: 'x'.repeat(FILE_NAME_MAX_CHARS), mime, size: FILE_MAX_BYTES };
    expect(readFileMessageBody(fileMessageBody(edge))).toEqual(edge);
    expect(readFileMessageBody(fileMessageBody({ ...sample(), size: 0 })).size).toBe(0);
  });

  it('fits comfortably in a message: at most the 2,048-byte bucket, usually the smallest', () => {
    const longest = fileMessageBody({
      ...sample(),
      name: '\u4e00'.repeat(FILE_NAME_MAX_CHARS), // three UTF-8 bytes per character, the most a valid name can take
      mime: `${'a'.repeat(63)}/${'b'.repeat(63)}`,
      size: FILE_MAX_BYTES,
    });
    expect(paddedSize(encodeMessageBody(longest).length)).toBe(2048);
    const quoted = fileMessageBody({ ...sample(), name: '"'.repeat(FILE_NAME_MAX_CHARS) });
    expect(paddedSize(encodeMessageBody(quoted).length)).toBeLessThanOrEqual(1024);
    expect(paddedSize(encodeMessageBody(fileMessageBody(sample())).length)).toBe(256);
  });

  it('travels in a message envelope, and malformed ones are refused on both sides', () => {
    const alice = createIdentity('alice');
    const roomKey = newRoomKey();
    const header = { roomId: newUuid(), epoch: 1, senderId: newUuid(), messageId: newUuid(), sentAt: Date.now() };
    const body = fileMessageBody(sample());
    const envelope = sealMessage(header, body, roomKey, alice);
    const opened = openMessage(envelope, header, roomKey, alice);
    expect(opened.body).toEqual(body);
    expect(readFileMessageBody(opened.body)).toEqual(readFileMessageBody(body));
    expect(code(() => sealMessage(header, { ...body, key: 'AAAA' }, roomKey, alice))).toBe('bad-content');
  });

  it('replaces unsafe characters in names for display', () => {
    const body = fileMessageBody(sample());
    const read = (name: string) => readFileMessageBody({ ...body, name }).name;
    expect(read('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(read('C:\\Windows\\x.exe')).toBe('C:_Windows_x.exe');
    expect(read('a\u0000b\u001fc\u007fd\u0085e\nf')).toBe('a_b_c_d_e_f');
    expect(read('invoice\u202efdp.exe')).toBe('invoice_fdp.exe');
    expect(read('\u2066x\u2069\u200e\u200f\u061c\u2028\u2029')).toBe('_x______');
    expect(read('lone \ud800 surrogate')).toBe('lone _ surrogate');
    expect(read('caf\u00e9 \u{1f600}.txt')).toBe('caf\u00e9 \u{1f600}.txt');
  });

  it.each([
    ['another type', { type: 'text' }],
    ['no fileId', { fileId: undefined }],
    ['an upper-case fileId', { fileId: '00112233-4455-6677-8899-AABBCCDDEEFF' }],
    ['a fileId that is a number', { fileId: 7 }],
    ['an empty name', { name: '' }],
    ['a name over 255 characters', { name: 'x'.repeat(256) }],
    ['a name that is not a string', { name: ['a'] }],
    ['no mime', { mime: undefined }],
    ['an empty mime', { mime: '' }],
    ['an upper-case mime', { mime: 'Image/JPEG' }],
    ['a mime with parameters', { mime: 'text/plain; charset=utf-8' }],
    ['a mime without subtype', { mime: 'text' }],
    ['a mime over 127 characters', { mime: `${'a'.repeat(64)}/${'b'.repeat(63)}` }],
    ['a negative size', { size: -1 }],
    ['a fractional size', { size: 1.5 }],
    ['a size over 2^40', { size: FILE_MAX_BYTES + 1 }],
    ['a size as a string', { size: '12' }],
    ['a key of 31 bytes', { key: toBase64(new Uint8Array(31)) }],
    ['a key in URL-safe base64', { key: toBase64(new Uint8Array(32).fill(0xfb)).replaceAll('+', '-') }],
    ['no digest', { digest: undefined }],
    ['a digest of 33 bytes', { digest: toBase64(new Uint8Array(33)) }],
  ])('rejects %s', (_name, change) => {
    const body = { ...fileMessageBody(sample()), ...change } as MessageBody;
    expect(code(() => readFileMessageBody(body))).toBe('bad-content');
    expect(code(() => encodeMessageBody(body))).toBe('bad-content');
  });

  it('ignores unknown members', () => {
    const file = sample();
    expect(readFileMessageBody({ ...fileMessageBody(file), caption: 'hi' })).toEqual(file);
  });

  it('builds only valid bodies', () => {
    const file = sample();
    expect(code(() => fileMessageBody({ ...file, name: 'a/b' }))).toBe('bad-content');
    expect(code(() => fileMessageBody({ ...file, name: 'a\u202eb' }))).toBe('bad-content');
    expect(code(() => fileMessageBody({ ...file, name: '' }))).toBe('bad-content');
    expect(code(() => fileMessageBody({ ...file, mime: 'Text/Plain' }))).toBe('bad-content');
    expect(code(() => fileMessageBody({ ...file, size: -1 }))).toBe('bad-content');
    expect(code(() => fileMessageBody({ ...file, fileId: 'x' }))).toBe('bad-content');
    expect(code(() => fileMessageBody({ ...file, key: randomBytes(16) }))).toBe('bad-content');
    expect(code(() => fileMessageBody({ ...file, digest: randomBytes(64) }))).toBe('bad-content');
  });
});

describe('sanitizing names and types for sending', () => {
  it('makes any name acceptable', () => {
    expect(sanitizeFileName('report.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('')).toBe('file');
    expect(sanitizeFileName('a/b\\c\u0000\u202e.txt')).toBe('a_b_c__.txt');
    const long = sanitizeFileName(`${'x'.repeat(300)}.tar.gz`);
    expect(long).toHaveLength(FILE_NAME_MAX_CHARS);
    expect(long.endsWith('xxx.gz')).toBe(true);
    const emoji = sanitizeFileName('\u{1f600}'.repeat(200));
    expect(emoji).toHaveLength(254);
    expect(emoji.endsWith('\u{1f600}')).toBe(true);
    for (const name of [long, emoji, sanitizeFileName('a\ud800b')]) {
      expect(code(() => fileMessageBody({ ...sample(), name }))).toBeUndefined();
    }
  });

  it('makes any media type acceptable', () => {
    expect(sanitizeFileMime('image/png')).toBe('image/png');
    expect(sanitizeFileMime(' Text/Plain; charset=UTF-8')).toBe('text/plain');
    expect(sanitizeFileMime('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(sanitizeFileMime('')).toBe(FILE_DEFAULT_MIME);
    expect(sanitizeFileMime(undefined)).toBe(FILE_DEFAULT_MIME);
    expect(sanitizeFileMime('not a type')).toBe(FILE_DEFAULT_MIME);
    expect(sanitizeFileMime(`${'a'.repeat(100)}/${'b'.repeat(100)}`)).toBe(FILE_DEFAULT_MIME);
  });
});
