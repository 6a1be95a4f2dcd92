// The core's HttpTransport for Node, over node:http: Node's fetch cannot take an agent,
// and onion requests must go through tor's SOCKS port. Keeps the session cookie in
// memory (cookie-jar.ts) and sends the Origin the server's same-origin check expects.

import { request as httpRequest, type Agent, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { ApiError, NETWORK_ERROR_MESSAGE, type HttpAnswer, type HttpTransport } from '@onionchat/client';
import type { CookieJar } from './cookie-jar.js';

/** No byte for this long: the request failed. Tor can be slow, so be generous (as the web app). */
export const IDLE_TIMEOUT_MS = 90_000;
/** Uploads are written in slices this large, so progress can be told. */
const PUT_SLICE_BYTES = 64 * 1024;

export interface NodeHttpOptions {
  /** The pinned origin ('http://….onion'). */
  origin: string;
  /** The SOCKS agent for an onion; none for loopback. */
  agent?: Agent;
  jar: CookieJar;
  idleTimeoutMs?: number;
}

interface Outgoing {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  signal?: AbortSignal;
  progress?: (sent: number) => void;
}

export function nodeHttp(options: NodeHttpOptions): HttpTransport {
  const send = (outgoing: Outgoing) => sendRequest(options, outgoing);
  return {
    async json(method, path, body) {
      const headers: Record<string, string> = { Accept: 'application/json' };
      let bytes: Uint8Array | undefined;
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        bytes = Buffer.from(JSON.stringify(body));
      }
      return answer(await send({ method, path, headers, body: bytes }));
    },
    async stream(path, headers, signal) {
      return toResponse(await send({ method: 'GET', path, headers, signal }));
    },
    async put(path, body, progress, signal) {
      const headers = { 'Content-Type': 'application/octet-stream', Accept: 'application/json' };
      return answer(await send({ method: 'PUT', path, headers, body, signal, progress }));
    },
  };
}

function sendRequest(options: NodeHttpOptions, outgoing: Outgoing): Promise<IncomingMessage> {
  const url = new URL(outgoing.path, options.origin);
  const headers: Record<string, string> = { ...outgoing.headers, Origin: options.origin };
  const cookie = options.jar.header();
  if (cookie) headers.Cookie = cookie;
  if (outgoing.body) headers['Content-Length'] = String(outgoing.body.length);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(networkFailure(error, options.agent !== undefined));
    if (outgoing.signal?.aborted) {
      fail(outgoing.signal.reason);
      return;
    }
    const req = request(url, { method: outgoing.method, headers, agent: options.agent, signal: outgoing.signal });
    req.setTimeout(options.idleTimeoutMs ?? IDLE_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.once('error', fail);
    req.once('response', (res) => {
      options.jar.take(res.headers['set-cookie']);
      resolve(res);
    });
    writeBody(req, outgoing).catch((error: unknown) => req.destroy(error as Error));
  });
}

/** Writes the body in slices, telling `progress` as each leaves. */
async function writeBody(req: import('node:http').ClientRequest, outgoing: Outgoing): Promise<void> {
  const body = outgoing.body;
  if (!body) {
    req.end();
    return;
  }
  for (let offset = 0; offset < body.length; offset += PUT_SLICE_BYTES) {
    const end = Math.min(body.length, offset + PUT_SLICE_BYTES);
    await new Promise<void>((resolve, reject) =>
      req.write(body.subarray(offset, end), (error) => (error ? reject(error) : resolve())),
    );
    outgoing.progress?.(end);
  }
  req.end();
}

async function answer(res: IncomingMessage): Promise<HttpAnswer> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return {
      status: res.statusCode ?? 0,
      text: Buffer.concat(chunks).toString('utf8'),
      retryAfter: header(res.headers, 'retry-after'),
    };
  } catch (error) {
    throw networkFailure(error, false);
  }
}

/** A WHATWG Response over the IncomingMessage, so the core streams it as it would fetch's. */
function toResponse(res: IncomingMessage): Response {
  const status = res.statusCode ?? 0;
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined && name !== 'set-cookie') headers.set(name, [value].flat().join(', '));
  }
  const empty = status === 204 || status === 304;
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, headers });
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return value === undefined ? null : [value].flat().join(', ');
}

/** The core's network ApiError; says so when it is tor's SOCKS port that is not there. */
function networkFailure(error: unknown, viaSocks: boolean): ApiError {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // The socks package reports a refused proxy connection only in its message.
  const refused = code === 'ECONNREFUSED' || (typeof message === 'string' && message.includes('ECONNREFUSED'));
  if (viaSocks && refused) {
    return new ApiError(
      0,
      'network',
      "Can't reach tor's SOCKS port: is tor running? (Tor Browser's is --tor-browser; another one: --socks URL.)",
    );
  }
  return new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
}
