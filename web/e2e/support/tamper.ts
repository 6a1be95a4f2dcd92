// A malicious server, played by the test harness: Playwright's request routing sits
// between the real client and the real server and rewrites what the server answers.
// Nothing in the server knows about it.
import {
  createIdentity,
  decodeKdfParams,
  encodeKdfParams,
  encodePublicKeys,
  encodePublicKeysV1,
  fromBase64,
  newUuid,
  toBase64,
  type Identity,
} from '@onionchat/protocol';
import type { Browser, BrowserContext, Route, WebSocketRoute } from 'playwright-core';

/** A JSON answer from the server, to be rewritten in place (return nothing to keep it). */
export type JsonEdit = (body: Record<string, unknown>, url: URL) => unknown;

/**
 * Closes a context the harness tampers with. Its routes are dropped first, waiting for
 * none in flight: an answer still being rewritten when the page goes away would
 * otherwise fail after the test, and be blamed on the next one.
 */
export async function closeTampered(context: BrowserContext): Promise<void> {
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.close();
}

/** The same for every context of a browser, then the browser. */
export async function closeTamperedBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  for (const context of browser.contexts()) await context.unrouteAll({ behavior: 'ignoreErrors' });
  await browser.close();
}

/** Rewrites every JSON answer to requests (GET unless said) whose path matches. */
export async function tamperJson(
  context: BrowserContext,
  path: RegExp,
  edit: JsonEdit,
  method: 'GET' | 'POST' = 'GET',
): Promise<void> {
  await context.route(
    (url) => path.test(url.pathname),
    async (route) => {
      if (route.request().method() !== method) return route.fallback();
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      const replaced = edit(body, new URL(route.request().url())) ?? body;
      await fulfill(route, response.status(), response.headers(), Buffer.from(JSON.stringify(replaced)));
    },
  );
}

/** Rewrites the raw bytes of answers whose path matches (file contents). */
export async function tamperBytes(
  context: BrowserContext,
  path: RegExp,
  edit: (body: Buffer, url: URL) => Buffer,
): Promise<void> {
  await context.route(
    (url) => path.test(url.pathname),
    async (route) => {
      const response = await route.fetch();
      const body = edit(await response.body(), new URL(route.request().url()));
      await fulfill(route, response.status(), response.headers(), body);
    },
  );
}

async function fulfill(route: Route, status: number, headers: Record<string, string>, body: Buffer): Promise<void> {
  const { 'content-length': _length, 'content-encoding': _encoding, ...rest } = headers;
  await route.fulfill({ status, headers: { ...rest, 'content-length': String(body.length) }, body });
}

/**
 * A key pair the server made up for `username`, with a valid self-signature: what a key
 * swap serves. With `id`, a version 2 record bound to that account id (the server can
 * make one for any id it serves, an id of its own included); without, a version 1 record
 * (still read, for accounts not upgraded yet), which names no account and so fits any id.
 */
export function impostor(username: string, id?: string): { identity: Identity; record: string } {
  const identity = createIdentity(username);
  const record = id === undefined ? encodePublicKeysV1(identity) : encodePublicKeys(identity, id);
  return { identity, record: toBase64(record) };
}

interface Member {
  id: string;
  username: string;
  publicKeys: string;
}

/** Rewrites a user wherever the rooms or friends lists mention them. */
async function rewriteMember(context: BrowserContext, username: string, edit: (user: Member) => void): Promise<void> {
  const rewrite = (user: Member | undefined) => {
    if (user && user.username === username) edit(user);
  };
  await tamperJson(context, /^\/api\/(rooms|friends)$/, (body) => {
    for (const room of (body.rooms as { members: Member[] }[] | undefined) ?? []) room.members.forEach(rewrite);
    for (const list of ['friends', 'incoming', 'outgoing'] as const) {
      for (const entry of (body[list] as { user?: Member }[] | undefined) ?? []) rewrite(entry.user);
    }
  });
}

/** Replaces a user's public keys wherever the rooms or friends lists mention them. */
export async function swapPublicKeys(context: BrowserContext, username: string, record: string): Promise<void> {
  await rewriteMember(context, username, (user) => {
    user.publicKeys = record;
  });
}

/**
 * Presents a user under a new id (the same in every answer) with another public keys
 * record, wherever the rooms or friends lists mention them: a known name under an id the
 * client has never seen. Returns the new id.
 */
export async function swapIdAndPublicKeys(
  context: BrowserContext,
  username: string,
  record: string,
  id: string = newUuid(),
): Promise<string> {
  await rewriteMember(context, username, (user) => {
    user.id = id;
    user.publicKeys = record;
  });
  return id;
}

/** The messages of one room as the server sends them. */
export interface WireMessage {
  roomId: string;
  seq: number;
  senderId: string;
  epoch: number;
  envelope: string;
  createdAt: string;
}

/** Rewrites the message pages of every room (history and catch-up alike). */
export async function tamperMessages(
  context: BrowserContext,
  edit: (messages: WireMessage[], roomId: string) => WireMessage[],
): Promise<void> {
  await tamperJson(context, /^\/api\/rooms\/[^/]+\/messages$/, (body, url) => {
    const roomId = url.pathname.split('/')[3]!;
    return { ...body, messages: edit(body.messages as WireMessage[], roomId) };
  });
}

/**
 * Answers one room's history pages from its whole history as the server holds it,
 * rewritten by `edit`: a server that doctors its store rather than single answers, so
 * every page (`before` or `after` a seq, `limit` long) is full and consistent.
 */
export async function rewriteHistory(
  context: BrowserContext,
  roomId: string,
  edit: (messages: WireMessage[]) => WireMessage[],
): Promise<void> {
  await context.route(
    (url) => url.pathname === `/api/rooms/${roomId}/messages`,
    async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      const url = new URL(route.request().url());
      const whole = new URL(url);
      whole.search = '?after=0&limit=200';
      const response = await route.fetch({ url: whole.toString() });
      const body = (await response.json()) as { messages: WireMessage[] };
      const messages = edit(body.messages).sort((a, b) => a.seq - b.seq);
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const before = url.searchParams.get('before');
      const older = messages.filter((m) => m.seq < Number(before));
      const page =
        before !== null
          ? older.slice(-limit)
          : messages.filter((m) => m.seq > Number(url.searchParams.get('after') ?? 0)).slice(0, limit);
      const hasMore = before !== null ? older.length > limit : messages.length > page.length;
      await fulfill(
        route,
        response.status(),
        response.headers(),
        Buffer.from(JSON.stringify({ messages: page, hasMore })),
      );
    },
  );
}

/**
 * Sits in the WebSocket: every socket.io event the server pushes (an engine.io text
 * frame `42["event",payload]`) goes through `edit` on its way to the page.
 */
export async function tamperSocketEvents(
  context: BrowserContext,
  edit: (event: string, payload: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  await context.routeWebSocket(/\/api\/socket\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => server.send(frame));
    server.onMessage((frame) => {
      if (typeof frame !== 'string' || !frame.startsWith('42[')) return ws.send(frame);
      const [event, payload] = JSON.parse(frame.slice(2)) as [string, Record<string, unknown>];
      ws.send(`42${JSON.stringify([event, edit(event, payload)])}`);
    });
  });
}

/**
 * Lets the harness push socket.io events of its own to the page, as the server would
 * (an engine.io text frame `42["event",payload]` on the page's latest WebSocket);
 * everything else passes through untouched.
 */
export async function socketInjector(context: BrowserContext): Promise<(event: string, payload: unknown) => void> {
  let latest: WebSocketRoute | null = null;
  await context.routeWebSocket(/\/api\/socket\//, (ws) => {
    ws.connectToServer();
    latest = ws;
  });
  return (event, payload) => {
    if (!latest) throw new Error('the page has no WebSocket open');
    latest.send(`42${JSON.stringify([event, payload])}`);
  };
}

/** What the page fetched and stored of its sealed key bundle, and the answers the harness forged. */
export interface BundleWire {
  /** The sealed bundle and KDF parameters the page logged in with (a GET /api/account/bundle answer). */
  loggedIn: { kdfParams: string; keyBundle: string } | null;
  /** Every POST /api/account/bundle that reached the server and was stored. */
  stored: number;
  /** POST /api/account/bundle requests the harness answered 409 itself. */
  refused: number;
  /** GET /api/account/bundle requests answered with a copy the harness chose. */
  forged: number;
  /** The next save is answered 409 bundle_changed without reaching the server (the page then fetches the server's copy). */
  conflictNext: () => void;
  /** From now on every save is answered 409 bundle_changed, and every fetch gets `older`. */
  rollBackTo: (older: { kdfParams: string; keyBundle: string }) => void;
}

const BUNDLE_CHANGED = JSON.stringify({
  code: 'bundle_changed',
  message: 'Your keys were changed by another session.',
});

/** Sits between the page and its key bundle (log-in, GET and POST /api/account/bundle): records, and forges when told. */
export async function tamperBundle(context: BrowserContext): Promise<BundleWire> {
  let conflicts = 0;
  let older: { kdfParams: string; keyBundle: string } | null = null;
  const wire: BundleWire = {
    loggedIn: null,
    stored: 0,
    refused: 0,
    forged: 0,
    conflictNext: () => {
      conflicts += 1;
    },
    rollBackTo: (copy) => {
      older = copy;
    },
  };
  let kdfParams: string | null = null;
  await tamperJson(context, /^\/api\/auth\/kdf$/, (body) => void (kdfParams = body.kdfParams as string), 'POST');
  await tamperJson(
    context,
    /^\/api\/auth\/login$/,
    (body) => void (wire.loggedIn = { kdfParams: kdfParams!, keyBundle: body.keyBundle as string }),
    'POST',
  );
  await context.route(
    (url) => url.pathname === '/api/account/bundle',
    async (route) => {
      const method = route.request().method();
      if (method === 'POST' && (older || conflicts > 0)) {
        if (!older) conflicts -= 1;
        wire.refused += 1;
        return route.fulfill({ status: 409, contentType: 'application/json', body: BUNDLE_CHANGED });
      }
      if (method === 'GET' && older) {
        wire.forged += 1;
        return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(older) });
      }
      const response = await route.fetch();
      if (method === 'POST' && response.ok()) wire.stored += 1;
      await fulfill(route, response.status(), response.headers(), await response.body());
    },
  );
  return wire;
}

/** KDF parameters (base64) with the same salt and algorithm, at `iterations`. */
export function withIterations(kdfParams: string, iterations: number): string {
  return toBase64(encodeKdfParams({ ...decodeKdfParams(fromBase64(kdfParams)), iterations }));
}
