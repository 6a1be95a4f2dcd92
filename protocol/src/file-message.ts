import { fromBase64, toBase64 } from './base64.js';
import { ProtocolError } from './errors.js';
import { FILE_DIGEST_BYTES } from './file-digest.js';
import { FILE_KEY_BYTES, FILE_MAX_BYTES } from './file-layout.js';
import { isUuid } from './uuid.js';

/** message-body.ts's MessageBody, restated: that module reads file bodies through this one. */
type AnyMessageBody = { type: string } & Record<string, unknown>;

export const FILE_MESSAGE_TYPE = 'file';
/** In UTF-16 code units, like MAX_TEXT_CHARS. */
export const FILE_NAME_MAX_CHARS = 255;
export const FILE_MIME_MAX_CHARS = 127;
export const FILE_DEFAULT_MIME = 'application/octet-stream';

/** RFC 6838 restricted names for type and subtype, lower case only, no parameters. */
const MIME_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
/**
 * Characters a file name may not contain: path separators, control
 * characters (C0, DEL, C1), line and paragraph separators, unpaired
 * surrogates, and the bidirectional controls that can make
 * "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
 */
const UNSAFE_NAME_CHAR = '[/\\\\\\p{Cc}\\p{Cs}\\p{Zl}\\p{Zp}\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]';
const HAS_UNSAFE_NAME_CHAR = new RegExp(UNSAFE_NAME_CHAR, 'u');
const UNSAFE_NAME_CHARS = new RegExp(UNSAFE_NAME_CHAR, 'gu');
const NAME_REPLACEMENT = '_';
const NAME_FALLBACK = 'file';
/** sanitizeFileName keeps an extension up to this long when it shortens a name. */
const MAX_KEPT_EXTENSION_CHARS = 16;

/**
 * The content of a file message, as it travels (JSON, inside an ordinary
 * message envelope). `key` and `digest` are base64 of 32 bytes; `size`
 * counts plaintext bytes.
 */
export type FileMessageBody = {
  type: typeof FILE_MESSAGE_TYPE;
  fileId: string;
  name: string;
  mime: string;
  size: number;
  key: string;
  digest: string;
};

/** A file message as read: key and digest decoded, the name safe to display. */
export interface FileMessage {
  fileId: string;
  name: string;
  mime: string;
  size: number;
  key: Uint8Array;
  digest: Uint8Array;
}

/**
 * Builds the body of a file message; throws 'bad-content' unless every
 * field is valid: a canonical UUID, a name of 1 to 255 characters without
 * the characters sanitizeFileName replaces, a lower-case type/subtype of at
 * most 127 characters (left out or empty: application/octet-stream), an
 * integer size from 0 to 2^40, a 32-byte key and a 32-byte digest.
 */
export function fileMessageBody(file: {
  fileId: string;
  name: string;
  mime?: string;
  size: number;
  key: Uint8Array;
  digest: Uint8Array;
}): FileMessageBody {
  checkName(file.name);
  if (HAS_UNSAFE_NAME_CHAR.test(file.name)) {
    throw badFile('the name contains a path separator, control or bidirectional character (see sanitizeFileName)');
  }
  checkBytes(file.key, FILE_KEY_BYTES, 'key');
  checkBytes(file.digest, FILE_DIGEST_BYTES, 'digest');
  const body: FileMessageBody = {
    type: FILE_MESSAGE_TYPE,
    fileId: file.fileId,
    name: file.name,
    mime: file.mime === undefined || file.mime === '' ? FILE_DEFAULT_MIME : file.mime,
    size: file.size,
    key: toBase64(file.key),
    digest: toBase64(file.digest),
  };
  readFileMessageBody(body);
  return body;
}

/**
 * Checks and decodes a file message body; throws 'bad-content' on anything
 * wrong: another type, a missing or mistyped field, a non-canonical UUID, a
 * name empty or over 255 characters, a mime type that is not a lower-case
 * type/subtype of at most 127 characters, a size that is not an integer from
 * 0 to 2^40, a key or digest that is not strict base64 of 32 bytes. Other
 * members are ignored. Unsafe characters in the name are not an error: they
 * are replaced with '_' for display.
 */
export function readFileMessageBody(body: AnyMessageBody): FileMessage {
  if (typeof body !== 'object' || body === null || body.type !== FILE_MESSAGE_TYPE) {
    throw badFile(`it is not a message of type "${FILE_MESSAGE_TYPE}"`);
  }
  const { fileId, name, mime, size, key, digest } = body;
  if (typeof fileId !== 'string' || !isUuid(fileId)) throw badFile('"fileId" is not a canonical UUID');
  checkName(name);
  if (typeof mime !== 'string' || mime.length > FILE_MIME_MAX_CHARS || !MIME_PATTERN.test(mime)) {
    throw badFile(`"mime" is not a lower-case type/subtype of at most ${FILE_MIME_MAX_CHARS} characters`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > FILE_MAX_BYTES) {
    throw badFile(`"size" is not an integer from 0 to ${FILE_MAX_BYTES}`);
  }
  return {
    fileId,
    name: name.replace(UNSAFE_NAME_CHARS, NAME_REPLACEMENT),
    mime,
    size,
    key: decodeField(key, FILE_KEY_BYTES, 'key'),
    digest: decodeField(digest, FILE_DIGEST_BYTES, 'digest'),
  };
}

/**
 * Turns any name (a File's name, say) into one fileMessageBody accepts:
 * unsafe characters become '_', a name over 255 characters is shortened
 * (keeping a short extension, never splitting a surrogate pair), and an
 * empty name becomes "file".
 */
export function sanitizeFileName(name: string): string {
  let safe = String(name).replace(UNSAFE_NAME_CHARS, NAME_REPLACEMENT);
  if (safe.length > FILE_NAME_MAX_CHARS) {
    const dot = safe.lastIndexOf('.');
    const extension = dot > 0 && safe.length - dot <= MAX_KEPT_EXTENSION_CHARS ? safe.slice(dot) : '';
    safe = cutAtCodePoint(safe, FILE_NAME_MAX_CHARS - extension.length) + extension;
  }
  return safe.length === 0 ? NAME_FALLBACK : safe;
}

/**
 * Turns any media type (a File's type, say) into one fileMessageBody
 * accepts: trimmed, lower case, parameters dropped; application/octet-stream
 * if nothing valid is left.
 */
export function sanitizeFileMime(mime: string | undefined): string {
  const bare = String(mime ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  return bare.length <= FILE_MIME_MAX_CHARS && MIME_PATTERN.test(bare) ? bare : FILE_DEFAULT_MIME;
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > FILE_NAME_MAX_CHARS) {
    throw badFile(`"name" is not a string of 1 to ${FILE_NAME_MAX_CHARS} characters`);
  }
}

function checkBytes(bytes: unknown, length: number, field: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw badFile(`the ${field} must be ${length} bytes`);
  }
}

function decodeField(text: unknown, length: number, field: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text as string);
  } catch {
    throw badFile(`"${field}" is not valid base64`);
  }
  if (bytes.length !== length) throw badFile(`"${field}" is not ${length} bytes`);
  return bytes;
}

/** The first `length` code units, one fewer if that would split a surrogate pair. */
function cutAtCodePoint(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

function badFile(reason: string): ProtocolError {
  return new ProtocolError('bad-content', `The file message is invalid: ${reason}.`);
}
