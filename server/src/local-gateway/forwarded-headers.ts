// What crosses the gateway, header by header. Towards the onion: only what the API needs,
// so the onion learns nothing of the browser (no User-Agent, language, client hints,
// referrer, fetch metadata) and no cookie of another local app on 127.0.0.1 (cookies are
// not kept apart by port). Back to the browser: only what the client reads, under the
// gateway's own security headers, so the onion cannot set policy for the local origin.
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { SANDBOXED_API_CSP } from '../security/csp.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';

/** Bodies (JSON, encrypted file content, socket.io polling), content negotiation and resumed downloads. */
const REQUEST_HEADERS = ['accept', 'content-type', 'content-length', 'range'];
/** The WebSocket handshake (socket.io asks for no subprotocol). */
const UPGRADE_HEADERS = ['sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions'];

/** What the client reads of an answer: bodies, resumed downloads and back-off. */
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-range',
  'accept-ranges',
  'retry-after',
];
const UPGRADE_RESPONSE_HEADERS = ['sec-websocket-accept', 'sec-websocket-extensions'];

/** Set by the gateway on every /api answer, whatever the onion sent. */
export const API_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': SANDBOXED_API_CSP,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

const cookieName = (pair: string) => pair.slice(0, Math.max(pair.indexOf('='), 0)).trim();

/** The session cookie alone out of a Cookie header, or undefined when it is not there. */
export function sessionCookieOnly(header: string | undefined): string | undefined {
  const pairs = (header ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => cookieName(pair) === SESSION_COOKIE);
  return pairs.length > 0 ? pairs.join('; ') : undefined;
}

function pick(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, string | string[]> {
  const picked: Record<string, string | string[]> = {};
  for (const name of names) {
    const value = headers[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/**
 * Headers for the onion. `sameOrigin` says the request came from the gateway's own page:
 * only then does the onion see its own Origin (and its CSRF check passes).
 */
export function upstreamHeaders(
  req: IncomingMessage,
  onion: string,
  { upgrade, sameOrigin }: { upgrade: boolean; sameOrigin: boolean },
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = pick(req.headers, upgrade ? UPGRADE_HEADERS : REQUEST_HEADERS);
  headers['host'] = onion;
  if (sameOrigin) headers['origin'] = `http://${onion}`;
  const cookie = sessionCookieOnly(req.headers.cookie);
  if (cookie) headers['cookie'] = cookie;
  if (upgrade) Object.assign(headers, { connection: 'Upgrade', upgrade: 'websocket' });
  return headers;
}

/** Set-Cookie lines for the session cookie only: the onion may set nothing else here. */
function sessionSetCookies(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : value ? [value] : []).filter(
    (line) => cookieName(line.split(';')[0] ?? '') === SESSION_COOKIE,
  );
}

/** Headers for the browser, from an answer of the onion. */
export function downstreamHeaders(answer: IncomingHttpHeaders): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = pick(answer, RESPONSE_HEADERS);
  const cookies = sessionSetCookies(answer['set-cookie']);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  return { ...headers, ...API_RESPONSE_HEADERS };
}

/** The head of a WebSocket handshake answer, for writing to the browser's socket. */
export function upgradeAnswerHead(answer: IncomingMessage): string {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade'];
  for (const [name, value] of Object.entries(pick(answer.headers, UPGRADE_RESPONSE_HEADERS)))
    lines.push(`${name}: ${String(value)}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
