// Who may connect to the onion port: tor, and nothing else, since whoever connects
// there names the circuit its requests are counted under. By default loopback (tor on
// the same machine); in Docker the tor container, named by host name, or a subnet.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** How long a host name's addresses are trusted before they are looked up again. */
const RESOLVE_TTL_MS = 10_000;

export type PeerCheck = (address: string | undefined) => Promise<boolean>;

/**
 * Builds the check from ONION_TRUSTED_PEERS entries: IP addresses, CIDR subnets
 * ("172.20.0.0/16") and host names ("tor"), the last looked up again when a
 * connection's address is not among the ones last found (a restarted container may
 * come back with another address), at most every RESOLVE_TTL_MS.
 */
export function trustedPeers(entries: readonly string[]): PeerCheck {
  const fixed = new BlockList();
  const hostNames: string[] = [];
  for (const entry of entries) addEntry(fixed, hostNames, entry);
  let resolved = new Set<string>();
  let resolvedAt = -Infinity;

  const resolve = async (): Promise<void> => {
    resolvedAt = Date.now();
    const found = await Promise.all(
      hostNames.map((name) => lookup(name, { all: true }).catch(() => [] as { address: string }[])),
    );
    resolved = new Set(found.flat().map((a) => canonical(a.address)));
  };

  return async (raw) => {
    if (!raw) return false;
    const address = canonical(raw);
    if (fixed.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4')) return true;
    if (hostNames.length === 0) return false;
    if (!resolved.has(address) && Date.now() - resolvedAt >= RESOLVE_TTL_MS) await resolve();
    return resolved.has(address);
  };
}

/** Throws for an entry that is neither an address, a subnet nor a host name. */
export function parsePeerEntry(entry: string): void {
  addEntry(new BlockList(), [], entry);
}

function addEntry(list: BlockList, hostNames: string[], entry: string): void {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (family !== 0 && prefix === undefined) {
    list.addAddress(canonical(address as string), family === 6 ? 'ipv6' : 'ipv4');
  } else if (family !== 0 && extra === undefined && /^\d{1,3}$/.test(prefix ?? '')) {
    const bits = Number(prefix);
    if (bits > (family === 6 ? 128 : 32)) throw new Error(`"${entry}" has a prefix longer than the address`);
    list.addSubnet(address as string, bits, family === 6 ? 'ipv6' : 'ipv4');
  } else if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(entry)) {
    hostNames.push(entry);
  } else {
    throw new Error(`"${entry}" is not an IP address, a subnet (address/bits) or a host name`);
  }
}

/** A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d. */
function canonical(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? (mapped[1] as string) : address;
}
