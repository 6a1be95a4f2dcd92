// A fake HTTP transport for unit tests of the client core: routes answer with
// recorded server answers (or throw), every call is recorded, and a route can be
// made to fail like a dropped Tor circuit.

import { networkError } from '../transport/api-error.js';
import type { HttpAnswer, HttpTransport } from '../transport/http.js';

export interface FakeCall {
  method: string;
  path: string;
  body: unknown;
}

/** What a route answers: a JSON body with a status, or `'drop'` (the connection fails). */
export type FakeReply = { status?: number; body?: unknown; retryAfter?: string } | 'drop';

export type FakeRoute = (call: FakeCall) => FakeReply | Promise<FakeReply>;

export class FakeHttp implements HttpTransport {
  readonly calls: FakeCall[] = [];
  private readonly routes: { method: string; pattern: RegExp; route: FakeRoute }[] = [];
  /** Raw byte streams for GETs of file contents, by path. */
  readonly streams = new Map<string, (headers: Record<string, string>) => Response | 'drop'>();
  /** PUT handler for file contents. */
  putHandler: ((path: string, body: Uint8Array) => FakeReply) | null = null;

  /** Adds a route; later routes win over earlier ones for the same request. */
  on(method: string, pattern: RegExp | string, route: FakeRoute | FakeReply): this {
    const regex = typeof pattern === 'string' ? new RegExp(`^${escape(pattern)}(\\?.*)?$`) : pattern;
    this.routes.unshift({ method, pattern: regex, route: typeof route === 'function' ? route : () => route });
    return this;
  }

  callsTo(method: string, pattern: RegExp | string): FakeCall[] {
    const regex = typeof pattern === 'string' ? new RegExp(`^${escape(pattern)}(\\?.*)?$`) : pattern;
    return this.calls.filter((call) => call.method === method && regex.test(call.path));
  }

  async json(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const call = { method, path, body };
    this.calls.push(call);
    const match = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!match)
      return {
        status: 404,
        text: JSON.stringify({ code: 'not_found', message: `No fake route for ${method} ${path}.` }),
        retryAfter: null,
      };
    return toAnswer(await match.route(call));
  }

  async stream(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    this.calls.push({ method: 'GET', path, body: undefined });
    if (signal.aborted) throw networkError();
    const handler = this.streams.get(path.split('?')[0]!);
    const response = handler
      ? handler(headers)
      : new Response('{"code":"not_found","message":"No such file."}', { status: 404 });
    if (response === 'drop') throw networkError();
    return response;
  }

  async put(
    path: string,
    body: Uint8Array,
    progress: (sent: number) => void,
    signal: AbortSignal,
  ): Promise<HttpAnswer> {
    this.calls.push({ method: 'PUT', path, body });
    if (signal.aborted || !this.putHandler) throw networkError();
    const reply = this.putHandler(path, body);
    if (reply !== 'drop') progress(body.length);
    return toAnswer(reply);
  }
}

function toAnswer(reply: FakeReply): HttpAnswer {
  if (reply === 'drop') throw networkError();
  const status = reply.status ?? 200;
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  return { status, text, retryAfter: reply.retryAfter ?? null };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
