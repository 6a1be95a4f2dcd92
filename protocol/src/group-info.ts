import nacl from 'tweetnacl';
import { fromBase64 } from './base64.js';
import { concatBytes, randomBytes, utf8Encode } from './bytes.js';
import { ProtocolError, requireLength } from './errors.js';
import { GROUP_INFO_MIN_BYTES } from './group-record.js';
import { ROOM_KEY_BYTES } from './room-key.js';

/** UTF-16 code units, what a text field's maxlength counts. */
export const GROUP_NAME_MAX_CHARS = 64;
/** A small picture as a data URL: about 35 KB of image, inside the record's 64 KiB of info. */
export const GROUP_PICTURE_MAX_CHARS = 48000;
const NONCE_BYTES = nacl.secretbox.nonceLength; // 24
const CONTROL_CHARACTER = /\p{Cc}/u;
const PICTURE_PREFIX = /^data:image\/(?:png|jpeg);base64,/;
/** fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM: a leading BOM stays and fails JSON.parse. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A group's name and picture, sealed with the room key of the record's epoch. */
export interface GroupInfo {
  name: string;
  /** A data:image/png;base64, or data:image/jpeg;base64, URL. */
  picture?: string;
}

/**
 * nonce(24) || secretbox(UTF-8 JSON { name, picture }, nonce, roomKey). Refuses
 * ('bad-content') what openGroupInfo would. `nonce` is only for test vectors; in
 * normal use leave it out so a fresh random nonce is drawn.
 */
export function sealGroupInfo(info: GroupInfo, roomKey: Uint8Array, nonce?: Uint8Array): Uint8Array {
  requireLength(roomKey, ROOM_KEY_BYTES, 'Room key');
  const nonceBytes = nonce ?? randomBytes(NONCE_BYTES);
  requireLength(nonceBytes, NONCE_BYTES, 'Group info nonce');
  const checked = checkGroupInfo(info);
  const content = utf8Encode(JSON.stringify(checked));
  return concatBytes(nonceBytes, nacl.secretbox(content, nonceBytes, roomKey));
}

/**
 * Rejects: a sealed info shorter than its nonce and tag ('bad-length'); a box that
 * does not open under this key ('decrypt-failed'); content that is not a UTF-8 JSON
 * object with a valid name and picture ('bad-content'). Other members are ignored.
 */
export function openGroupInfo(sealed: Uint8Array, roomKey: Uint8Array): GroupInfo {
  requireLength(roomKey, ROOM_KEY_BYTES, 'Room key');
  if (!(sealed instanceof Uint8Array) || sealed.length < GROUP_INFO_MIN_BYTES) {
    throw new ProtocolError('bad-length', `Group info must be at least ${GROUP_INFO_MIN_BYTES} bytes long.`);
  }
  const content = nacl.secretbox.open(sealed.subarray(NONCE_BYTES), sealed.subarray(0, NONCE_BYTES), roomKey);
  if (content === null) {
    throw new ProtocolError('decrypt-failed', 'The group info does not open with the room key of its epoch.');
  }
  return checkGroupInfo(parseObject(content));
}

function parseObject(content: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(STRICT_UTF8.decode(content));
  } catch {
    throw badContent('it is not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badContent('it is not a JSON object');
  return value as Record<string, unknown>;
}

/** The name and picture alone, once both pass the rules of PROTOCOL.md §19. */
function checkGroupInfo(info: GroupInfo | Record<string, unknown>): GroupInfo {
  const { name, picture } = info as Record<string, unknown>;
  if (typeof name !== 'string' || name.length < 1 || name.length > GROUP_NAME_MAX_CHARS) {
    throw badContent(`the name must be a string of 1 to ${GROUP_NAME_MAX_CHARS} characters`);
  }
  if (CONTROL_CHARACTER.test(name)) throw badContent('the name contains a control character');
  if (picture === undefined) return { name };
  if (!isPicture(picture)) {
    throw badContent(`the picture must be a PNG or JPEG data URL of at most ${GROUP_PICTURE_MAX_CHARS} characters`);
  }
  return { name, picture };
}

/** A base64 data URL of a PNG or JPEG: the prefix, then at least one byte in strict base64. */
function isPicture(picture: unknown): picture is string {
  if (typeof picture !== 'string' || picture.length > GROUP_PICTURE_MAX_CHARS) return false;
  const prefix = PICTURE_PREFIX.exec(picture);
  if (prefix === null) return false;
  try {
    return fromBase64(picture.slice(prefix[0].length)).length > 0;
  } catch {
    return false;
  }
}

function badContent(reason: string): ProtocolError {
  return new ProtocolError('bad-content', `The group info is invalid: ${reason}.`);
}
