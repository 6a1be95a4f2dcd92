import { utf8Encode } from './bytes.js';
import { ProtocolError } from './errors.js';

export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;

const ALLOWED_CHARS = /^[a-z0-9_]*$/;
const STARTS_WITH_LETTER = /^[a-z]/;

/**
 * Usernames are case-insensitive: "Alice" and "alice" are one account. The
 * canonical form (trimmed, lower case) is what gets stored, signed and bound
 * into the KDF salt, so every client must normalize the same way.
 */
export function normalizeUsername(input: string): string {
  return input.trim().toLowerCase();
}

/** Which username rule `canonical` breaks, if any (for an interface that words it itself). */
export type UsernameRule = 'length' | 'characters' | 'start';

/** The first username rule `canonical` breaks, or null. */
export function usernameRuleBroken(canonical: string): UsernameRule | null {
  if (canonical.length < USERNAME_MIN || canonical.length > USERNAME_MAX) return 'length';
  if (!ALLOWED_CHARS.test(canonical)) return 'characters';
  if (!STARTS_WITH_LETTER.test(canonical)) return 'start';
  return null;
}

const USERNAME_RULES: Record<UsernameRule, string> = {
  length: `A username must be ${USERNAME_MIN} to ${USERNAME_MAX} characters long.`,
  characters: 'A username may only contain the letters a-z, the digits 0-9 and the underscore (_).',
  start: 'A username must start with a letter.',
};

/** Returns a sentence explaining why `canonical` is not a valid username, or null. */
export function usernameProblem(canonical: string): string | null {
  const broken = usernameRuleBroken(canonical);
  return broken ? USERNAME_RULES[broken] : null;
}

/**
 * Normalizes and validates a username before it is bound into a record.
 * Binding a non-canonical spelling would make "Alice" and "alice" derive
 * different keys, so anything that is not valid after normalizing is refused.
 */
export function canonicalUsername(username: string): string {
  if (typeof username !== 'string') {
    throw new ProtocolError('bad-encoding', 'The username must be a string.');
  }
  const canonical = normalizeUsername(username);
  const problem = usernameProblem(canonical);
  if (problem !== null) throw new ProtocolError('bad-encoding', `Invalid username: ${problem}`);
  return canonical;
}

/** The length-prefixed form used inside records: u8 length || ASCII bytes. */
export function encodeUsernameField(username: string): Uint8Array {
  const ascii = utf8Encode(canonicalUsername(username));
  const out = new Uint8Array(1 + ascii.length);
  out[0] = ascii.length;
  out.set(ascii, 1);
  return out;
}
