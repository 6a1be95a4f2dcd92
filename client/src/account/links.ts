// Pure helpers for the links the account pages read and hand out. Only URL
// fragments are involved: they never reach the server.

import {
  checkedContact,
  compactFingerprint,
  contactLink,
  fragmentParams,
  type ContactLink,
} from '../trust/contact-link.js';
import { sayer } from '../present/phrasebook.js';
import { LINK_PHRASES } from '../trust/link-phrases.js';

const say = sayer(LINK_PHRASES);

/**
 * Pages a log-in may send the person back to (anything else: the chat): a conversation,
 * a contact link being added, the account pages.
 */
const RETURN_PATHS =
  /^\/(chat\/(#room=[0-9a-f-]{36}|#add=[a-z0-9_]{1,32}&fp=[0-9A-Fa-f]{40})?|account\/(passphrase\/)?)$/;

/**
 * Where to go after logging in or unlocking: the `next` path in the fragment
 * ("#next=%2Fchat%2F%23room%3D…"), when it is one of our own pages; else /chat/.
 * Only known local paths are followed.
 */
export function afterLoginPath(hash: string): string {
  const match = /(?:^#|&)next=([^&]*)/.exec(hash);
  if (match) {
    try {
      const next = decodeURIComponent(match[1] ?? '');
      if (RETURN_PATHS.test(next)) return next;
    } catch {
      // not valid percent-encoding: ignore it
    }
  }
  return '/chat/';
}

/**
 * Where a new account goes: the chat, offering to add the inviter as a verified
 * contact when the invite link named them.
 */
export function afterSignupPath(inviter: ContactLink | null): string {
  return inviter ? contactLink('', inviter.username, inviter.fingerprint) : '/chat/';
}

/**
 * The sign-up link for an invite token, on the server at `origin` ("http://….onion").
 * `from`: the inviter's username and fingerprint, so the new member can add them as a
 * verified contact right after signing up.
 */
export function inviteLink(origin: string, token: string, from: ContactLink | null = null): string {
  const link = `${origin.replace(/\/+$/, '')}/signup/#invite=${encodeURIComponent(token)}`;
  if (!from) return link;
  return `${link}&from=${encodeURIComponent(from.username)}&fp=${compactFingerprint(from.fingerprint)}`;
}

/** The inviter an invite link names, for the sign-up page: a damaged one is a note, not a failure. */
export function readInviter(input: string): { inviter: ContactLink | null; problem: string | null } {
  try {
    return { inviter: parseInviter(input), problem: null };
  } catch (error) {
    return {
      inviter: null,
      problem: say('account.inviter.stillSignUp', { problem: (error as Error).message }),
    };
  }
}

/**
 * Who made an invite link, from its fragment or the pasted link: null for a link
 * without `from` (made before links carried it). Throws ContactLinkError when `from`
 * or `fp` is malformed; the invite token itself still works.
 */
export function parseInviter(input: string): ContactLink | null {
  const params = fragmentParams(input);
  const name = params.get('from');
  if (name === undefined) return null;
  return checkedContact(name, params.get('fp'), 'inviter');
}

/** Reads an invite token from a URL fragment ("#invite=...") or a pasted link or token. */
export function parseInviteToken(input: string): string | null {
  const text = input.trim();
  if (text.length === 0) return null;
  const hashIndex = text.indexOf('#');
  const fragment = hashIndex >= 0 ? text.slice(hashIndex + 1) : text;
  for (const part of fragment.split('&')) {
    if (part.startsWith('invite=')) {
      try {
        const token = decodeURIComponent(part.slice('invite='.length)).trim();
        return token.length > 0 ? token : null;
      } catch {
        return null;
      }
    }
  }
  // A bare token (no "#", no "=" prefix, no spaces) pasted on its own.
  if (hashIndex < 0 && !text.includes('/') && !/\s/.test(text)) return text;
  return null;
}

/** A link to hand out, and whether it only works on the computer it was made on. */
export interface SharedLink {
  link: string;
  /** The link points at this computer's loopback address and the server knows no onion address. */
  localOnly: boolean;
}

const LOOPBACK_HOSTS = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;
const ONION_HOST = /^[a-z2-7]{56}\.onion$/;

/**
 * A link (invite, contact) made on a page opened at the loopback address points at
 * loopback, useless to the friend it is sent to: it is moved to the service's onion
 * address when the server published one (`GET /api/config`), else marked local-only.
 * Links on any other origin (the onion itself, a public address) are left as they are.
 */
export function linkForSharing(link: string, onionAddress: string | null | undefined): SharedLink {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { link, localOnly: false };
  }
  if (!LOOPBACK_HOSTS.test(url.hostname)) return { link, localOnly: false };
  if (!onionAddress || !ONION_HOST.test(onionAddress)) return { link, localOnly: true };
  // Onion services are plain http (tor encrypts end to end) on the default port.
  return { link: `http://${onionAddress}${url.pathname}${url.search}${url.hash}`, localOnly: false };
}
