// How requests leave this machine: an onion through tor's SOCKS port with remote name
// resolution (socks5h: the name goes to tor, never to local DNS), this machine directly.

import type { Agent } from 'node:http';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { usageError } from '../exit-codes.js';
import type { PinnedOrigin } from './origin-policy.js';

export const TOR_SOCKS = 'socks5h://127.0.0.1:9050';
export const TOR_BROWSER_SOCKS = 'socks5h://127.0.0.1:9150';

/** The SOCKS URL to use, from --socks and --tor-browser. */
export function socksUrl(options: { socks?: string; torBrowser?: boolean }): string {
  if (options.socks && options.torBrowser) throw usageError('Give either --socks or --tor-browser, not both.');
  const url = options.socks ?? (options.torBrowser ? TOR_BROWSER_SOCKS : TOR_SOCKS);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`“${url}” is not a SOCKS address (like socks5h://127.0.0.1:9050).`);
  }
  // socks5 or socks4 would resolve the onion name locally, which cannot work and leaks it.
  if (parsed.protocol !== 'socks5h:') {
    throw usageError(`The SOCKS address must start with socks5h:// so that tor resolves names (got “${url}”).`);
  }
  return url;
}

/** The agent for the pinned origin: SOCKS for an onion (or any other host when allowed), none for loopback. */
export function agentFor(pinned: PinnedOrigin, socks: string): Agent | undefined {
  if (pinned.kind === 'loopback') return undefined;
  return new SocksProxyAgent(socks);
}
