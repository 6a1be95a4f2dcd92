import { ByteReader } from './byte-reader.js';
import { concatBytes } from './bytes.js';
import { ProtocolError } from './errors.js';
import { checkVersion } from './fields.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';

/** Key bundle extension type of the account's settings (PROTOCOL.md §6). */
export const SETTINGS_EXTENSION = 5;
export const SETTINGS_VERSION = 1;
/** Muted conversations kept at most (16 bytes each). */
export const SETTINGS_MUTED_MAX = 500;
const WHAT = 'Settings';
const LANGUAGE_MAX_BYTES = 8;
/** A language tag as the switcher offers them ("fa", "zh-Hans"); never longer than 8 bytes. */
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{1,4})?$/;
const FLAG_BITS = {
  readReceipts: 1 << 0,
  sound: 1 << 1,
  systemNotifications: 1 << 2,
  previews: 1 << 3,
} as const;
const KNOWN_FLAGS = Object.values(FLAG_BITS).reduce((all, bit) => all | bit, 0);

/**
 * The account's private choices, kept in the sealed key bundle so they follow
 * the account into a new browser session without anything in browser storage
 * and without the server learning them.
 */
export interface AccountSettings {
  /** Send read receipts and show others' (off: neither, PROTOCOL.md §22). */
  readReceipts: boolean;
  /** A short sound for a new message. */
  sound: boolean;
  /** System notifications where the browser allows them. */
  systemNotifications: boolean;
  /** System notifications show the start of the message. */
  previews: boolean;
  /** The interface language picked with the switcher ("fa"), or null: the browser's. */
  language: string | null;
  /** Room ids (canonical lowercase UUIDs) that never alert, sorted, no duplicates. */
  muted: readonly string[];
}

/** What an account without the extension uses: previews stay off so a locked screen shows no message text. */
export const DEFAULT_SETTINGS: AccountSettings = Object.freeze({
  readReceipts: true,
  sound: true,
  systemNotifications: true,
  previews: false,
  language: null,
  muted: Object.freeze([]) as readonly string[],
});

/**
 * version(1)=1 || flags(1) || languageLength(1) || language || mutedCount(u16) ||
 * mutedCount room ids of 16 bytes, ascending. The muted ids are sorted and
 * de-duplicated here, so callers may pass them in any order.
 */
export function encodeSettings(settings: AccountSettings): Uint8Array {
  const language = encodeLanguage(settings.language);
  const muted = [...new Set(settings.muted)].sort();
  if (muted.length > SETTINGS_MUTED_MAX) {
    throw new ProtocolError(
      'too-large',
      `${WHAT} hold at most ${SETTINGS_MUTED_MAX} muted conversations, got ${muted.length}.`,
    );
  }
  return concatBytes(
    Uint8Array.of(SETTINGS_VERSION, encodeFlags(settings), language.length),
    language,
    Uint8Array.of(muted.length >> 8, muted.length & 0xff),
    ...muted.map((id) => uuidToBytes(id)),
  );
}

/**
 * Must reject: another version ('bad-version'); a value that ends early, has
 * bytes left over or counts more than SETTINGS_MUTED_MAX muted rooms
 * ('bad-length'); a reserved flag bit set, a language longer than 8 bytes or not
 * a language tag, muted ids not in strictly ascending order ('bad-encoding').
 */
export function decodeSettings(value: Uint8Array): AccountSettings {
  checkVersion(value, SETTINGS_VERSION, WHAT);
  const reader = new ByteReader(value, WHAT);
  reader.u8('version');
  const flags = decodeFlags(reader.u8('flags'));
  const language = decodeLanguage(reader);
  const muted = decodeMuted(reader);
  if (reader.remaining > 0) {
    throw new ProtocolError('bad-length', `${WHAT} have ${reader.remaining} bytes after the last muted room.`);
  }
  return { ...flags, language, muted };
}

function encodeFlags(settings: AccountSettings): number {
  let flags = 0;
  for (const [field, bit] of Object.entries(FLAG_BITS) as [keyof typeof FLAG_BITS, number][]) {
    if (settings[field] === true) flags |= bit;
    else if (settings[field] !== false) {
      throw new ProtocolError('bad-encoding', `${WHAT}: ${field} must be true or false.`);
    }
  }
  return flags;
}

function decodeFlags(flags: number): Pick<AccountSettings, keyof typeof FLAG_BITS> {
  if ((flags & ~KNOWN_FLAGS) !== 0) {
    throw new ProtocolError('bad-encoding', `${WHAT} set reserved flag bits: 0x${flags.toString(16)}.`);
  }
  return {
    readReceipts: (flags & FLAG_BITS.readReceipts) !== 0,
    sound: (flags & FLAG_BITS.sound) !== 0,
    systemNotifications: (flags & FLAG_BITS.systemNotifications) !== 0,
    previews: (flags & FLAG_BITS.previews) !== 0,
  };
}

function encodeLanguage(language: string | null): Uint8Array {
  if (language === null) return new Uint8Array(0);
  if (typeof language !== 'string' || !LANGUAGE_PATTERN.test(language)) {
    throw new ProtocolError('bad-encoding', `${WHAT}: not a language tag: ${JSON.stringify(language)}.`);
  }
  // The pattern admits ASCII only, so each character is one byte.
  return Uint8Array.from(language, (char) => char.charCodeAt(0));
}

function decodeLanguage(reader: ByteReader): string | null {
  const length = reader.u8('language length');
  if (length > LANGUAGE_MAX_BYTES) {
    throw new ProtocolError(
      'bad-encoding',
      `${WHAT}: the language is at most ${LANGUAGE_MAX_BYTES} bytes, got ${length}.`,
    );
  }
  if (length === 0) return null;
  const language = String.fromCharCode(...reader.take(length, 'language'));
  if (!LANGUAGE_PATTERN.test(language)) {
    throw new ProtocolError('bad-encoding', `${WHAT}: not a language tag: ${JSON.stringify(language)}.`);
  }
  return language;
}

function decodeMuted(reader: ByteReader): string[] {
  const count = reader.u16('muted count');
  if (count > SETTINGS_MUTED_MAX) {
    throw new ProtocolError(
      'bad-length',
      `${WHAT} hold at most ${SETTINGS_MUTED_MAX} muted conversations, got ${count}.`,
    );
  }
  const muted: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = bytesToUuid(reader.take(UUID_BYTES, 'muted room id'));
    // Canonical ids compare as text in the same order as their bytes.
    const previous = muted[muted.length - 1];
    if (previous !== undefined && id <= previous) {
      throw new ProtocolError('bad-encoding', `${WHAT}: muted room ${id} is out of order or listed twice.`);
    }
    muted.push(id);
  }
  return muted;
}
