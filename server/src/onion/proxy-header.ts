// The PROXY protocol v1 header tor sends at the start of every stream to an onion
// service with `HiddenServiceExportCircuitID haproxy`, e.g.
//   PROXY TCP6 fc00:dead:beef:4dad::0:1a2b ::1 6699 80\r\n
// Tor writes the circuit's global id into the last 32 bits of the source address (and
// its low 16 bits again as the source port). The parser accepts exactly that shape:
// the onion port is reached by tor alone, so anything else is a mistake or an attack,
// and general PROXY parsers (npm's proxy-protocol-js among them) accept ports over
// 65535 and source "addresses" that are not addresses.
import { isIPv6 } from 'node:net';

/** The longest v1 header the specification allows, CRLF included. */
export const PROXY_V1_MAX_BYTES = 107;

const HEADER = /^PROXY TCP6 (\S+) (\S+) (\d{1,5}) (\d{1,5})\r\n$/;
/** Tor's source address: an fc00::/7 prefix of its own, then the id's two 16-bit halves. */
const TOR_SOURCE = /^fc00:dead:beef:4dad::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

export class ProxyHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyHeaderError';
  }
}

/** Reads the circuit id (a decimal string) from one complete header line, CRLF included. */
export function parseTorProxyHeader(line: string): string {
  if (line.length > PROXY_V1_MAX_BYTES) throw new ProxyHeaderError('PROXY header longer than 107 bytes');
  const match = HEADER.exec(line);
  if (!match) throw new ProxyHeaderError('not a PROXY TCP6 header');
  const [, source, destination, sourcePort, destinationPort] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!isIPv6(destination)) throw new ProxyHeaderError('PROXY header destination is not an IPv6 address');
  if (!isPort(sourcePort) || !isPort(destinationPort)) throw new ProxyHeaderError('PROXY header port out of range');
  const halves = TOR_SOURCE.exec(source);
  if (!halves) throw new ProxyHeaderError('PROXY header source is not a tor circuit address');
  const circuit = parseInt(halves[1] as string, 16) * 0x10000 + parseInt(halves[2] as string, 16);
  return String(circuit);
}

function isPort(digits: string): boolean {
  // No leading zeros: the specification writes ports in plain decimal.
  return /^(0|[1-9]\d*)$/.test(digits) && Number(digits) <= 65535;
}

/**
 * Finds the end of the header in the bytes received so far: the index just past its
 * CRLF, `undefined` while more bytes may complete it, or an error once they cannot.
 */
export function headerEnd(received: Buffer): number | undefined {
  // A stream that does not start like a header is refused at once, not after 107 bytes.
  const prefix = received.subarray(0, 6).toString('latin1');
  if (!'PROXY '.startsWith(prefix)) throw new ProxyHeaderError('the stream does not begin with a PROXY header');
  const crlf = received.indexOf('\r\n');
  if (crlf !== -1 && crlf + 2 <= PROXY_V1_MAX_BYTES) return crlf + 2;
  if (crlf !== -1 || received.length >= PROXY_V1_MAX_BYTES) {
    throw new ProxyHeaderError('no PROXY header end within 107 bytes');
  }
  return undefined;
}
