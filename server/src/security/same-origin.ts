// Whether a browser request comes from a page of this very site: the CSRF check for
// state-changing HTTP requests and the WebSocket handshake alike.
import type { IncomingHttpHeaders } from 'node:http';

export function isSameOrigin(headers: IncomingHttpHeaders): boolean {
  if (headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = headers.origin;
  if (origin === undefined) return true; // not a browser page, or a same-origin GET
  try {
    return origin !== 'null' && new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}
