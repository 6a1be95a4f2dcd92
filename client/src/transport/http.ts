// How the client reaches the server's HTTP API. The core only ever talks to this
// interface: the browser's implementation is below, a Node one (for the terminal
// client, through socks5h) passes its own fetch, and unit tests pass a fake.

import { networkError } from './api-error.js';

/** What came back: the status, the body as text, and Retry-After. */
export interface HttpAnswer {
  status: number;
  text: string;
  retryAfter: string | null;
}

export interface HttpTransport {
  /** A JSON request (`body` is sent as JSON). Rejects with a network ApiError when nothing came back. */
  json(method: string, path: string, body?: unknown): Promise<HttpAnswer>;
  /** A GET whose body is streamed (file contents). Rejects with a network ApiError when nothing came back. */
  stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response>;
  /**
   * A PUT of raw bytes. `progress` hears how many bytes have left so far, where the
   * platform can tell. Rejects with a network ApiError when aborted or unreachable.
   */
  put(path: string, body: Uint8Array, progress: (sent: number) => void, signal: AbortSignal): Promise<HttpAnswer>;
}

/** How long to wait for the server before giving up. Tor can be slow, so be generous. */
export const REQUEST_TIMEOUT_MS = 90_000;

export interface FetchHttpOptions {
  /** Prefix of every path ('' in a page: same origin). */
  origin?: string;
  fetch?: typeof fetch;
  /** Extra fetch options (credentials in a page; a dispatcher in Node). */
  init?: RequestInit;
}

const PAGE_INIT: RequestInit = { credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer' };

/** fetch for everything; in a page, PUTs go through XMLHttpRequest instead, which reports upload progress. */
export function fetchHttp(options: FetchHttpOptions = {}): HttpTransport {
  const origin = options.origin ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = options.init ?? PAGE_INIT;

  async function send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await doFetch(`${origin}${path}`, { ...base, ...init });
    } catch {
      throw networkError();
    }
  }

  async function answer(response: Response): Promise<HttpAnswer> {
    try {
      return { status: response.status, text: await response.text(), retryAfter: response.headers.get('Retry-After') };
    } catch {
      throw networkError();
    }
  }

  return {
    async json(method, path, body) {
      const headers: Record<string, string> = { Accept: 'application/json' };
      const init: RequestInit = { method, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      return answer(await send(path, init));
    },
    stream(path, headers, signal) {
      return send(path, { method: 'GET', headers, signal });
    },
    async put(path, body, progress, signal) {
      if (typeof XMLHttpRequest !== 'undefined' && !options.fetch)
        return xhrPut(`${origin}${path}`, body, progress, signal);
      const response = await send(path, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
        body: body as Uint8Array<ArrayBuffer>,
        signal,
      });
      progress(body.length);
      return answer(response);
    },
  };
}

function xhrPut(
  url: string,
  body: Uint8Array,
  progress: (sent: number) => void,
  signal: AbortSignal,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort);
    const finish = () => signal.removeEventListener('abort', onAbort);
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => progress(Math.min(event.loaded, body.length));
    xhr.onload = () => {
      finish();
      resolve({ status: xhr.status, text: xhr.responseText, retryAfter: xhr.getResponseHeader('Retry-After') });
    };
    const failed = () => {
      finish();
      reject(networkError());
    };
    xhr.onerror = failed;
    xhr.onabort = failed;
    xhr.ontimeout = failed;
    if (signal.aborted) {
      failed();
      return;
    }
    xhr.send(body as Uint8Array<ArrayBuffer>);
  });
}
