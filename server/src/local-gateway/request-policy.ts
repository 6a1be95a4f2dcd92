// Which requests the gateway answers. It is no proxy (origin-form paths to its own address
// only), it never hands out a service worker, and /api is for the client it serves alone:
// not for navigations or embedding, not for other pages, not even other loopback ports,
// which share its site and cookies but not its origin.
import type { IncomingMessage } from 'node:http';
import { isOwnHost, type OwnOrigin } from './own-origin.js';

export interface Refusal {
  status: number;
  code: string;
  message: string;
  /** Shown to a person who opened the address in a tab: answered as a page, not JSON. */
  page?: boolean;
}

const OTHER_PAGE =
  'This request came from another page, not the OnionChat client this gateway serves, and was refused.';

/** Origin-form paths addressed to this very gateway (defends against use as a proxy and DNS rebinding). */
export function addressRefusal(req: IncomingMessage, own: OwnOrigin): Refusal | null {
  if (!req.url?.startsWith('/'))
    return { status: 421, code: 'gateway_refused', message: 'The gateway is not a proxy.' };
  if (!isOwnHost(req.headers.host, own))
    return { status: 421, code: 'gateway_refused', message: `The gateway answers only as ${own.origin}/.` };
  return null;
}

/**
 * A service worker would outlive this gateway's checks and replace the locally built
 * client; the client uses none, so no script is ever handed out as one.
 */
export function serviceWorkerRefusal(req: IncomingMessage): Refusal | null {
  if (req.headers['service-worker'] === undefined && req.headers['sec-fetch-dest'] !== 'serviceworker') return null;
  return { status: 403, code: 'gateway_no_service_worker', message: 'The gateway serves no service worker.' };
}

export const isApiPath = (url: string) => url.startsWith('/api/');

/** No dot segments, backslashes or encoded dots: the onion sees the path the browser's URL bar would show. */
function pathRefusal(url: string): Refusal | null {
  const raw = url.split('?')[0] ?? '';
  if (new URL(url, 'http://gateway.invalid').pathname === raw && !/%2e/i.test(raw)) return null;
  return { status: 400, code: 'gateway_bad_path', message: 'The gateway forwards only plain /api/… paths.' };
}

function originRefusal(origin: string | undefined, own: OwnOrigin, required: boolean): Refusal | null {
  if (origin === own.origin || (origin === undefined && !required)) return null;
  return { status: 403, code: 'gateway_bad_origin', message: OTHER_PAGE };
}

/**
 * Fetch Metadata of an /api request over HTTP. Tor Browser, Firefox (90+) and Chromium
 * (76+) send it on every request to a loopback address; without it a navigation or an
 * <img>/<script>/<iframe> load from another local page cannot be told from the client's
 * fetch, so such requests are refused rather than guessed about.
 */
function fetchMetadataRefusal(req: IncomingMessage, own: OwnOrigin): Refusal | null {
  const { 'sec-fetch-site': site, 'sec-fetch-mode': mode, 'sec-fetch-dest': dest } = req.headers;
  if (mode === 'navigate' || dest === 'document' || dest === 'iframe' || dest === 'frame')
    return {
      status: 403,
      code: 'gateway_navigation_refused',
      message: `This address is the gateway's line to the onion, not a page. Open ${own.origin}/ to use OnionChat.`,
      page: true,
    };
  if (site === undefined || mode === undefined || dest === undefined)
    return {
      status: 403,
      code: 'gateway_needs_fetch_metadata',
      message:
        'The gateway forwards only requests from its own page in a browser that sends Fetch Metadata ' +
        '(Tor Browser, Firefox 90 or later, Chromium 76 or later).',
    };
  if (site !== 'same-origin') return { status: 403, code: 'gateway_bad_origin', message: OTHER_PAGE };
  if (dest !== 'empty' || (mode !== 'cors' && mode !== 'same-origin'))
    return {
      status: 403,
      code: 'gateway_embedding_refused',
      message: 'API answers are only fetched by the client, never loaded as images, scripts, frames or objects.',
    };
  return null;
}

/** An /api request over HTTP that may go to the onion. */
export function apiRefusal(req: IncomingMessage, own: OwnOrigin): Refusal | null {
  return pathRefusal(req.url!) ?? fetchMetadataRefusal(req, own) ?? originRefusal(req.headers.origin, own, false);
}

/**
 * A WebSocket handshake that may go to the onion. Browsers always send Origin on one, so
 * one without it is no page of this gateway's. Fetch Metadata is checked where present.
 */
export function upgradeRefusal(req: IncomingMessage, own: OwnOrigin): Refusal | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin')
    return { status: 403, code: 'gateway_bad_origin', message: OTHER_PAGE };
  return pathRefusal(req.url!) ?? originRefusal(req.headers.origin, own, true);
}
