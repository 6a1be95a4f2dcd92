import { utf8Encode } from './bytes.js';
import { normalizeUsername } from './username.js';

/** Counted in Unicode code points after NFKC normalization. */
export const PASSPHRASE_MIN_CHARS = 12;
/** Counted in UTF-8 bytes after NFKC normalization. */
export const PASSPHRASE_MAX_BYTES = 1024;
export const MIN_DISTINCT_CHARS = 5;

/** Whitespace-separated entries, kept compact so the lists stay readable. */
function wordList(text: string): Set<string> {
  return new Set(text.trim().split(/\s+/));
}

/**
 * A deliberately small list: the policy is a guard rail against the
 * passwords every cracking dictionary starts with, not a strength meter.
 * Entries are compared in "skeleton" form (see `skeleton`), and bare words
 * also match with digits or repetition around them ("password2024",
 * "qwertyqwerty").
 */
const COMMON_WORDS = wordList(`
  password passw0rd p4ssw0rd mypassword passphrase secret qwerty qwertz azerty letmein
  iloveyou welcome admin administrator changeme default monkey dragon football baseball
  soccer sunshine princess trustno master shadow superman batman starwars whatever computer
  internet freedom hello helloworld abc abcd login user guest test love onionchat onion tor
  torproject chat secure
`);

const COMMON_PHRASES = wordList(`
  correcthorsebatterystaple thequickbrownfoxjumpsoverthelazydog iloveyouforever
  iloveyousomuch letmeinplease thisismypassword thisismypassphrase mypasswordissecure
  mysecretpassword supersecretpassword donttellanyone opensesame maytheforcebewithyou
  tobeornottobe onetwothreefourfive helloworldhelloworld whoisjohngalt iamthebest
  youshallnotpass
`);

/** Runs that people type as "random": digits, the alphabet, keyboard rows. */
const SEQUENCES = [
  '0123456789012345678901234567890',
  '9876543210987654321098765432109',
  'abcdefghijklmnopqrstuvwxyz',
  'zyxwvutsrqponmlkjihgfedcba',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  '1q2w3e4r5t6y7u8i9o0p',
];
/** The shifted digit row, for passphrases with no letters or digits at all. */
const SYMBOL_SEQUENCE = '`~!@#$%^&*()_+-=';

/** Which passphrase rule a new passphrase breaks (for an interface that words it itself). */
export type PassphraseRule = 'empty' | 'tooLong' | 'tooShort' | 'containsUsername' | 'fewDistinct' | 'common';

/** The first rule a new passphrase breaks, or null if it is acceptable. */
export function passphraseRuleBroken(passphrase: string, username: string): PassphraseRule | null {
  const normalized = passphrase.normalize('NFKC');
  const chars = [...normalized];
  if (chars.length === 0) return 'empty';
  if (utf8Encode(normalized).length > PASSPHRASE_MAX_BYTES) return 'tooLong';
  if (chars.length < PASSPHRASE_MIN_CHARS) return 'tooShort';
  const lower = normalized.toLowerCase();
  const name = normalizeUsername(username);
  if (name.length > 0 && lower.includes(name)) return 'containsUsername';
  if (new Set(lower).size < MIN_DISTINCT_CHARS) return 'fewDistinct';
  if (isCommon(skeleton(lower), lower.replace(/\s/gu, ''))) return 'common';
  return null;
}

const PASSPHRASE_RULES: Record<PassphraseRule, string> = {
  empty: 'Please enter a passphrase.',
  tooLong: `That passphrase is too long: keep it under ${PASSPHRASE_MAX_BYTES} bytes.`,
  tooShort: `A passphrase needs at least ${PASSPHRASE_MIN_CHARS} characters; a few unrelated words work well.`,
  containsUsername: 'A passphrase must not contain your username.',
  fewDistinct: `A passphrase needs at least ${MIN_DISTINCT_CHARS} different characters.`,
  common: 'That passphrase is one of the most common passwords, which attackers try first. Please choose another.',
};

/**
 * Checks a new passphrase in the browser (the server never sees it).
 * Returns a sentence saying what to change, or null if it is acceptable.
 */
export function passphraseProblem(passphrase: string, username: string): string | null {
  const broken = passphraseRuleBroken(passphrase, username);
  return broken ? PASSPHRASE_RULES[broken] : null;
}

/** The NFKC-normalized UTF-8 bytes that go into the KDF. */
export function passphraseBytes(passphrase: string): Uint8Array {
  return utf8Encode(passphrase.normalize('NFKC'));
}

/** Letters and digits only, so "Pass word!" and "password" compare equal. */
function skeleton(lower: string): string {
  return lower.replace(/[^\p{L}\p{N}]/gu, '');
}

function isCommon(key: string, compact: string): boolean {
  if (key.length === 0) return SYMBOL_SEQUENCE.includes(compact);
  if (COMMON_PHRASES.has(key) || SEQUENCES.some((run) => run.includes(key))) return true;
  const core = repeatedUnit(key.replace(/^\d+|\d+$/g, ''));
  return COMMON_WORDS.has(core) || COMMON_PHRASES.has(core);
}

/** "abcabcabc" -> "abc"; a string with no repetition is returned as is. */
function repeatedUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size++) {
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text) {
      return text.slice(0, size);
    }
  }
  return text;
}
