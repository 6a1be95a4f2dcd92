// Which service this client may talk to. The terminal client pins one origin and
// refuses everything that is not an onion service (or this machine, for development):
// a typo must never send a log-in to some clearnet host.

import { usageError } from '../exit-codes.js';
import { ONION_HOST } from '@onionchat/contract';

/** A v3 onion name: 56 base32 characters. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export type OriginKind = 'onion' | 'loopback' | 'other';

export interface PinnedOrigin {
  /** `http://host[:port]`, without a path. */
  origin: string;
  kind: OriginKind;
}

export function originKind(url: URL): OriginKind {
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' && ONION_HOST.test(host)) return 'onion';
  if (LOOPBACK_HOSTS.has(host)) return 'loopback';
  return 'other';
}

/**
 * Reads and checks the origin to pin (a bare origin or any link on it, such as an
 * invite link). Throws a usage error with a sentence when it is refused.
 */
export function pinOrigin(input: string, allowAnyOrigin = false): PinnedOrigin {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw usageError(`“${input}” is not an address. Give the service’s address, like http://<56 letters>.onion.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`“${input}” is not an http address. Give the service’s address, like http://<56 letters>.onion.`);
  }
  if (url.username || url.password) throw usageError('The service’s address must not carry a user name or password.');
  const kind = originKind(url);
  if (kind === 'other' && !allowAnyOrigin) {
    throw usageError(
      `${url.origin} is not an onion service (http://<56 letters>.onion) or this machine, so this client refuses it. ` +
        'Pass --allow-any-origin if you really mean to use it.',
    );
  }
  return { origin: url.origin, kind };
}
