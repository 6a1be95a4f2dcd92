// The service's onion address, when it has one: published in /api/config so that links
// made on a page opened at the loopback address still point somewhere a friend can reach.
// An onion address is public by design (it is what people type), so saying it costs nothing.
import type { Config } from './config.js';
import { ONION_HOST } from '@onionchat/contract';

/**
 * "….onion" from PUBLIC_ORIGIN (set from ONION_HOSTNAME_FILE, or by `npm start` from the
 * hidden service's hostname file), or null when the public origin is not an onion.
 */
export function onionAddress(config: Pick<Config, 'PUBLIC_ORIGIN'>): string | null {
  if (!config.PUBLIC_ORIGIN) return null;
  const host = new URL(config.PUBLIC_ORIGIN).hostname.toLowerCase();
  return ONION_HOST.test(host) ? host : null;
}
