import { describe, expect, it } from 'vitest';
import { PASSPHRASE_MAX_BYTES, PASSPHRASE_MIN_CHARS, passphraseBytes, passphraseProblem } from './passphrase.js';

describe('passphraseProblem', () => {
  it.each([
    'violet tractor spoon glacier',
    'my cat eats 3 lemons daily',
    'Zq8!mW2#pL5$',
    'ünïcødé wörds ok',
    '🐙🦑🐠🐡🐟🦀🦞🦐🐚🪸🐋🐳',
  ])('accepts %j', (passphrase) => {
    expect(passphraseProblem(passphrase, 'alice')).toBeNull();
  });

  it.each([
    ['', 'alice', 'enter a passphrase'],
    ['short one', 'alice', `at least ${PASSPHRASE_MIN_CHARS}`],
    ['x'.repeat(PASSPHRASE_MAX_BYTES + 1), 'alice', 'too long'],
    ['é'.repeat(PASSPHRASE_MAX_BYTES / 2 + 1), 'alice', 'too long'],
    ['hello alice how are you', 'alice', 'username'],
    ['hello ALICE how are you', ' Alice ', 'username'],
    ['abababababababab', 'alice', 'different characters'],
    ['aaaa bbbb aaaa bbbb', 'alice', 'different characters'],
    ['password1234', 'alice', 'most common'],
    ['Password-2024!', 'alice', 'most common'],
    ['qwertyqwerty', 'alice', 'most common'],
    ['iloveyou12345', 'alice', 'most common'],
    ['1234567890123', 'alice', 'most common'],
    ['qwertyuiopasdf', 'alice', 'most common'],
    ['abcdefghijklmn', 'alice', 'most common'],
    ['correct horse battery staple', 'alice', 'most common'],
    ['Correct-Horse-Battery-Staple', 'alice', 'most common'],
    ['!@#$%^&*()_+', 'alice', 'most common'],
  ])('rejects %j (username %j)', (passphrase, username, fragment) => {
    expect(passphraseProblem(passphrase, username)).toContain(fragment);
  });

  it('counts code points after NFKC, not UTF-16 units', () => {
    // 11 emoji are 22 UTF-16 units but only 11 characters.
    expect(passphraseProblem('🐙🦑🐠🐡🐟🦀🦞🦐🐚🐋🐳', 'alice')).toContain('at least');
    // "ﬁ" (one code point) becomes "fi" (two) under NFKC.
    expect(passphraseProblem('\uFB01\uFB01\uFB01\uFB01 rain moon', 'alice')).toBeNull();
  });

  it('feeds the KDF the UTF-8 of the NFKC form', () => {
    expect(passphraseBytes('e\u0301')).toEqual(new TextEncoder().encode('\u00e9'));
    expect(passphraseBytes('Ａ')).toEqual(new TextEncoder().encode('A'));
  });
});
