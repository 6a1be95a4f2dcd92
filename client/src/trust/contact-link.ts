// Contact links: a person's username and key fingerprint (PROTOCOL.md §5) in a URL
// fragment, handed over out of band. Whoever opens one can check the keys the server
// presents for that name against the fingerprint, so the first contact is verified
// instead of trusted on first use. Browsers never send the fragment to the server.

import { fingerprint, normalizeUsername, usernameProblem } from '@onionchat/protocol';
import { LINK_PHRASES } from './link-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(LINK_PHRASES);

/** Who a link names and the fingerprint of their keys (40 upper-case hex digits, no spaces). */
export interface ContactLink {
  username: string;
  fingerprint: string;
}

/** A pasted contact link that cannot be used, with a sentence saying why. */
export class ContactLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContactLinkError';
  }
}

/** The §5 fingerprint is 20 bytes: 40 hex digits. */
const FINGERPRINT_HEX_DIGITS = 40;
const FINGERPRINT_PATTERN = new RegExp(`^[0-9A-F]{${FINGERPRINT_HEX_DIGITS}}$`);

/** "C6D3 7A2F …" (as shown) or "c6d37a2f…" → "C6D37A2F…" (as written in links). */
export function compactFingerprint(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** The link that adds `username` as a verified contact, on the server at `origin` ("http://….onion"). */
export function contactLink(origin: string, username: string, fingerprint: string): string {
  const base = origin.replace(/\/+$/, '');
  return `${base}/chat/#add=${encodeURIComponent(normalizeUsername(username))}&fp=${compactFingerprint(fingerprint)}`;
}

/**
 * Reads a contact link, pasted whole or as its fragment ("#add=bob&fp=…" or
 * "add=bob&fp=…"). Null when the text is no contact link at all (no `add=`), so a
 * plain username can be told apart. Throws ContactLinkError for a malformed one.
 */
export function parseContactLink(text: string): ContactLink | null {
  const params = fragmentParams(text);
  const name = params.get('add');
  if (name === undefined) return null;
  return checkedContact(name, params.get('fp'), 'contactLink');
}

/** Which link a contact was read from: its errors name it ("This contact link …", "The inviter part …"). */
export type ContactSource = 'contactLink' | 'inviter';

/**
 * A username and fingerprint read from a link (`source` names the link in errors),
 * checked: a canonical, valid username and a 40-digit hex fingerprint.
 */
export function checkedContact(
  rawName: string | null,
  rawFingerprint: string | null | undefined,
  source: ContactSource,
): ContactLink {
  if (rawName === null) throw new ContactLinkError(say(`account.${source}.nameUnreadable`));
  const username = normalizeUsername(rawName);
  if (username.length === 0) throw new ContactLinkError(say(`account.${source}.noUsername`));
  // The protocol words its own rules, in English only: given as it says them.
  const problem = usernameProblem(username);
  if (problem) throw new ContactLinkError(say(`account.${source}.badUsername`, { problem: lowerFirst(problem) }));
  if (rawFingerprint === undefined || rawFingerprint === null || rawFingerprint.trim() === '') {
    throw new ContactLinkError(say(`account.${source}.noFingerprint`, { name: username }));
  }
  const hex = compactFingerprint(rawFingerprint);
  if (!FINGERPRINT_PATTERN.test(hex)) {
    throw new ContactLinkError(
      say(`account.${source}.badFingerprint`, { name: username, digits: FINGERPRINT_HEX_DIGITS }),
    );
  }
  return { username, fingerprint: hex };
}

/** Whether `keys` (already checked against their self-signature) are the ones the link names. */
export function keysMatchLink(keys: Parameters<typeof fingerprint>[0], link: ContactLink): boolean {
  return compactFingerprint(fingerprint(keys)) === link.fingerprint;
}

/**
 * The parameters of a URL fragment, or of a pasted link or fragment: percent-decoded
 * values by name (null for a value that is not valid percent-encoding). The first
 * occurrence of a name wins.
 */
export function fragmentParams(text: string): Map<string, string | null> {
  const trimmed = text.trim();
  const hashIndex = trimmed.indexOf('#');
  const fragment = hashIndex >= 0 ? trimmed.slice(hashIndex + 1) : trimmed;
  const params = new Map<string, string | null>();
  for (const part of fragment.split('&')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    const name = part.slice(0, equals);
    if (params.has(name)) continue;
    params.set(name, decodeOrNull(part.slice(equals + 1)));
  }
  return params;
}

function decodeOrNull(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function lowerFirst(sentence: string): string {
  const trimmed = sentence.replace(/\.$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}
