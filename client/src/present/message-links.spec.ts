import { describe, expect, it } from 'vitest';
import { linkParts } from './message-links.js';

const ONION = 'duskgytldkxiuqc6nzxh5xnrxyvl4fvmpznqu7nzsnfhj4kngwd7ytad.onion';

const links = (text: string) => linkParts(text).filter((part) => part.kind === 'link');

describe('linkParts', () => {
  it('text without links is one text part (and empty text none)', () => {
    expect(linkParts('just words, no links.')).toEqual([{ kind: 'text', text: 'just words, no links.' }]);
    expect(linkParts('')).toEqual([]);
  });

  it('finds http and https addresses inside a sentence, keeping the text around them', () => {
    expect(linkParts('see https://example.org/a?b=1#c and http://example.com too')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1#c', href: 'https://example.org/a?b=1#c' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://example.com', href: 'http://example.com/' },
      { kind: 'text', text: ' too' },
    ]);
  });

  it('links a bare onion address (over http, as onion sites are) and one with a scheme', () => {
    expect(links(`mirror: ${ONION}/chat/ or https://${ONION}`)).toEqual([
      { kind: 'link', text: `${ONION}/chat/`, href: `http://${ONION}/chat/` },
      { kind: 'link', text: `https://${ONION}`, href: `https://${ONION}/` },
    ]);
  });

  it('leaves the sentence’s punctuation and unopened brackets outside the link', () => {
    expect(links('read https://example.org/page.')).toEqual([
      { kind: 'link', text: 'https://example.org/page', href: 'https://example.org/page' },
    ]);
    expect(links('(see https://example.org/x), then "https://example.org/y"!')).toEqual([
      { kind: 'link', text: 'https://example.org/x', href: 'https://example.org/x' },
      { kind: 'link', text: 'https://example.org/y', href: 'https://example.org/y' },
    ]);
    expect(links('https://en.example.org/wiki/Onion_(disambiguation)')[0]?.text).toBe(
      'https://en.example.org/wiki/Onion_(disambiguation)',
    );
  });

  it('never links other schemes: javascript:, data:, file:, ftp: stay text', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://example.org/file',
      'mailto:someone@example.org',
    ]) {
      expect(linkParts(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('does not link an address hidden inside another scheme or a word', () => {
    expect(links('javascript:fetch("https://example.org")')).toEqual([
      { kind: 'link', text: 'https://example.org', href: 'https://example.org/' },
    ]);
    expect(links('xhttps://example.org')).toEqual([]);
    expect(links(`not${ONION}`)).toEqual([]);
    expect(links(`${ONION}.example.org`)).toEqual([]);
  });

  it('leaves as text an address that shows one host and opens another, or has no real host', () => {
    expect(links('https://bank.example@evil.example/login')).toEqual([]);
    expect(links('http://localhost:3000/')).toEqual([]);
    expect(links('https://')).toEqual([]);
  });

  it('the parts always join back to the text', () => {
    const text = `a https://x.example/(b) c ${ONION}, d http://[::1]/ e`;
    expect(
      linkParts(text)
        .map((part) => part.text)
        .join(''),
    ).toBe(text);
  });
});
