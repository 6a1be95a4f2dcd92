// The gateway's own origin: the loopback address and port it listens on. Its pages are the
// only ones allowed to use /api; the same browser's pages on other loopback ports share
// its site (and its cookies) but not this origin.
import { hostnameOf } from '../security/host-check.js';

export interface OwnOrigin {
  /** e.g. http://127.0.0.1:8081 */
  origin: string;
  hostname: string;
  port: number;
}

export function ownOrigin(listenHost: string, port: number): OwnOrigin {
  const hostname = listenHost.includes(':') ? `[${listenHost.toLowerCase()}]` : listenHost.toLowerCase();
  return { origin: `http://${hostname}:${port}`, hostname, port };
}

/** A Host header naming exactly this gateway (name and port). */
export function isOwnHost(host: string | undefined, own: OwnOrigin): boolean {
  if (!host) return false;
  const port = /:(\d+)$/.exec(host.trim())?.[1];
  return hostnameOf(host) === own.hostname && Number(port ?? 80) === own.port;
}
