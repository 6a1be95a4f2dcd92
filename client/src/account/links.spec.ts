import { createIdentity, fingerprint } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { ContactLinkError, compactFingerprint, contactLink, parseContactLink } from '../trust/contact-link.js';
import {
  afterLoginPath,
  afterSignupPath,
  inviteLink,
  linkForSharing,
  parseInviteToken,
  parseInviter,
  readInviter,
} from './links.js';

const HEX = 'C6D37A2F326755264337D0AB9A25230BA6746659';

describe('invite links with their inviter', () => {
  it('carry the inviter’s username and fingerprint after the token', () => {
    const link = inviteLink('http://abc.onion/', 'x&y', { username: 'alice', fingerprint: HEX.toLowerCase() });
    expect(link).toBe(`http://abc.onion/signup/#invite=x%26y&from=alice&fp=${HEX}`);
    expect(parseInviteToken(link)).toBe('x&y');
    expect(parseInviter(link)).toEqual({ username: 'alice', fingerprint: HEX });
  });

  it('work as before without one (old links keep working, nobody is offered)', () => {
    const link = inviteLink('http://abc.onion', 'tok');
    expect(link).toBe('http://abc.onion/signup/#invite=tok');
    expect(parseInviteToken(link)).toBe('tok');
    expect(parseInviter(link)).toBeNull();
    expect(parseInviter('#invite=tok')).toBeNull();
    expect(parseInviter('')).toBeNull();
  });

  it('carry the real fingerprint of the inviter’s keys', () => {
    const alice = createIdentity('alice');
    const link = inviteLink('http://abc.onion', 'tok', { username: 'alice', fingerprint: fingerprint(alice) });
    expect(parseInviter(link)?.fingerprint).toBe(compactFingerprint(fingerprint(alice)));
  });

  it('refuse a damaged inviter with a sentence, while the token still reads', () => {
    const damaged = `#invite=tok&from=alice&fp=${HEX.slice(0, 20)}`;
    expect(parseInviteToken(damaged)).toBe('tok');
    expect(() => parseInviter(damaged)).toThrow(ContactLinkError);
    expect(() => parseInviter(damaged)).toThrow(
      'The inviter part of this invite link has a damaged fingerprint (it must be 40 hexadecimal digits): ask alice to copy the whole link again.',
    );
    expect(() => parseInviter(`#invite=tok&from=a!&fp=${HEX}`)).toThrow(/does not name a valid username/);
    expect(() => parseInviter('#invite=tok&from=alice')).toThrow(/has no fingerprint/);
  });
});

describe('where the pages go next', () => {
  it('a new account goes to the chat, offered to add its inviter when the link named them', () => {
    expect(afterSignupPath(null)).toBe('/chat/');
    const path = afterSignupPath({ username: 'alice', fingerprint: HEX });
    expect(path).toBe(`/chat/#add=alice&fp=${HEX}`);
    expect(parseContactLink(path)).toEqual({ username: 'alice', fingerprint: HEX });
  });

  it('a log-in returns to a contact link being added, and to nothing that merely looks like one', () => {
    const back = `/chat/#add=bob&fp=${HEX}`;
    expect(afterLoginPath(`#next=${encodeURIComponent(back)}`)).toBe(back);
    expect(afterLoginPath(`#next=${encodeURIComponent(`/chat/#add=bob&fp=${HEX}&x=1`)}`)).toBe('/chat/');
    expect(afterLoginPath(`#next=${encodeURIComponent(`/chat/#add=Bob!&fp=${HEX}`)}`)).toBe('/chat/');
    expect(afterLoginPath(`#next=${encodeURIComponent('/chat/#add=bob&fp=abc')}`)).toBe('/chat/');
  });
});

describe('readInviter', () => {
  it('gives the inviter, nobody, or a note about a damaged one (sign-up goes on)', () => {
    expect(readInviter(`#invite=t&from=alice&fp=${HEX}`)).toEqual({
      inviter: { username: 'alice', fingerprint: HEX },
      problem: null,
    });
    expect(readInviter('#invite=t')).toEqual({ inviter: null, problem: null });
    expect(readInviter('#invite=t&from=alice&fp=12')).toEqual({
      inviter: null,
      problem:
        'The inviter part of this invite link has a damaged fingerprint (it must be 40 hexadecimal digits): ask alice to copy the whole link again. You can still sign up; add them by their username afterwards.',
    });
  });
});

describe('links handed out from a page opened at the loopback address', () => {
  const ONION = `${'a'.repeat(52)}bcdq.onion`;

  it('move to the onion address the server publishes, keeping path and fragment exactly', () => {
    const invite = inviteLink('http://127.0.0.1:8080', 'x&y', { username: 'alice', fingerprint: HEX });
    expect(linkForSharing(invite, ONION)).toEqual({
      link: `http://${ONION}/signup/#invite=x%26y&from=alice&fp=${HEX}`,
      localOnly: false,
    });
    const contact = contactLink('http://localhost:3000/', 'bob', HEX);
    const shared = linkForSharing(contact, ONION);
    expect(shared.link.startsWith(`http://${ONION}/chat/#add=bob&fp=`)).toBe(true);
    expect(parseContactLink(shared.link)).toEqual({ username: 'bob', fingerprint: HEX });
    expect(linkForSharing(`http://[::1]:8080/signup/#invite=t`, ONION).link).toBe(`http://${ONION}/signup/#invite=t`);
    expect(linkForSharing(`http://127.5.6.7:9/signup/#invite=t`, ONION).link).toBe(`http://${ONION}/signup/#invite=t`);
  });

  it('say they work only on this computer when the server knows no onion address', () => {
    const invite = inviteLink('http://127.0.0.1:8080', 'tok');
    expect(linkForSharing(invite, null)).toEqual({ link: invite, localOnly: true });
    expect(linkForSharing(invite, undefined)).toEqual({ link: invite, localOnly: true });
    // Not an onion name: never used as one.
    expect(linkForSharing(invite, 'example.com')).toEqual({ link: invite, localOnly: true });
    expect(linkForSharing(invite, `${'a'.repeat(55)}.onion`)).toEqual({ link: invite, localOnly: true });
  });

  it('leave links on the onion or a public address alone', () => {
    const onOnion = inviteLink(`http://${ONION}`, 'tok');
    expect(linkForSharing(onOnion, ONION)).toEqual({ link: onOnion, localOnly: false });
    const other = inviteLink(`http://${'b'.repeat(56)}.onion`, 'tok');
    expect(linkForSharing(other, ONION)).toEqual({ link: other, localOnly: false });
    expect(linkForSharing('https://chat.example.org/signup/#invite=t', null)).toEqual({
      link: 'https://chat.example.org/signup/#invite=t',
      localOnly: false,
    });
    // Not a host that merely starts like loopback.
    expect(linkForSharing('http://127.0.0.1.example.org/signup/#invite=t', ONION).localOnly).toBe(false);
    expect(linkForSharing('not a link', ONION)).toEqual({ link: 'not a link', localOnly: false });
  });
});
