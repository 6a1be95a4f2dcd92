import { createIdentity, fingerprint } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { ContactLinkError, compactFingerprint, contactLink, keysMatchLink, parseContactLink } from './contact-link.js';

const FP = 'C6D3 7A2F 3267 5526 4337 D0AB 9A25 230B A674 6659';
const HEX = 'C6D37A2F32675526 4337D0AB9A25230BA6746659'.replace(' ', '');

describe('contact links', () => {
  it('carry the canonical username and the fingerprint without spaces, in the fragment', () => {
    expect(contactLink('http://abc.onion/', ' Bob ', FP)).toBe(`http://abc.onion/chat/#add=bob&fp=${HEX}`);
    expect(contactLink('', 'bob', FP.toLowerCase())).toBe(`/chat/#add=bob&fp=${HEX}`);
  });

  it('read back from a whole link, a fragment or a pasted fragment without "#"', () => {
    const expected = { username: 'bob', fingerprint: HEX };
    expect(parseContactLink(`http://abc.onion/chat/#add=bob&fp=${HEX}`)).toEqual(expected);
    expect(parseContactLink(`  #fp=${HEX.toLowerCase()}&add=Bob  `)).toEqual(expected);
    expect(parseContactLink(`add=bob&fp=${HEX}`)).toEqual(expected);
    expect(parseContactLink(`#add=bob&fp=${encodeURIComponent(FP)}`)).toEqual(expected);
  });

  it('text that is no contact link at all gives null (a username, an invite link)', () => {
    expect(parseContactLink('bob')).toBeNull();
    expect(parseContactLink('')).toBeNull();
    expect(parseContactLink('http://abc.onion/signup/#invite=abc')).toBeNull();
  });

  it('a malformed link is refused with a sentence saying what is wrong', () => {
    const refuse = (text: string) => {
      try {
        parseContactLink(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ContactLinkError);
        return (error as Error).message;
      }
      throw new Error(`not refused: ${text}`);
    };
    expect(refuse(`#add=b&fp=${HEX}`)).toBe(
      'This contact link does not name a valid username (a username must be 3 to 32 characters long).',
    );
    expect(refuse(`#add=9bob&fp=${HEX}`)).toMatch(/must start with a letter/);
    expect(refuse(`#add=&fp=${HEX}`)).toMatch(/has no username/);
    expect(refuse(`#add=%E0%A4%A&fp=${HEX}`)).toMatch(/username could not be read/);
    expect(refuse('#add=bob')).toBe('This contact link has no fingerprint: ask bob to copy the whole link again.');
    expect(refuse('#add=bob&fp=')).toMatch(/has no fingerprint/);
    expect(refuse(`#add=bob&fp=${HEX.slice(0, 39)}`)).toMatch(
      /damaged fingerprint \(it must be 40 hexadecimal digits\)/,
    );
    expect(refuse(`#add=bob&fp=${HEX}0`)).toMatch(/damaged fingerprint/);
    expect(refuse(`#add=bob&fp=${HEX.slice(0, 39)}G`)).toMatch(/damaged fingerprint/);
    expect(refuse('#add=bob&fp=%ZZ')).toMatch(/damaged fingerprint|no fingerprint/);
  });

  it('match only the keys whose §5 fingerprint they carry', () => {
    const bob = createIdentity('bob');
    const other = createIdentity('bob');
    const link = parseContactLink(contactLink('http://x.onion', 'bob', fingerprint(bob)))!;
    expect(link.fingerprint).toBe(compactFingerprint(fingerprint(bob)));
    expect(keysMatchLink(bob, link)).toBe(true);
    expect(keysMatchLink(other, link)).toBe(false);
    // The same signing key with another box key is other keys.
    expect(keysMatchLink({ signPublicKey: bob.signPublicKey, boxPublicKey: other.boxPublicKey }, link)).toBe(false);
  });
});
