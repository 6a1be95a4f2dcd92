// A malicious server, played by the test harness: Playwright's request routing sits
// between the real client and the real server and rewrites what the server answers.
// Nothing in the server knows about it.
import { createIdentity, encodePublicKeysV1, newUuid, toBase64, type Identity } from '@onionchat/protocol';
import type { BrowserContext, Route } from 'playwright-core';

/** A JSON answer from the server, to be rewritten in place (return nothing to keep it). */
export type JsonEdit = (body: Record<string, unknown>, url: URL) => unknown;

/** Rewrites every JSON answer to GET requests whose path matches. */
export async function tamperJson(context: BrowserContext, path: RegExp, edit: JsonEdit): Promise<void> {
  await context.route(
    (url) => path.test(url.pathname),
    async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
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
 * swap serves. A version 1 record (still read, for accounts not upgraded yet) names no
 * account, so it fits whatever id it is served under.
 */
export function impostor(username: string): { identity: Identity; record: string } {
  const identity = createIdentity(username);
  return { identity, record: toBase64(encodePublicKeysV1(identity)) };
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
 * Presents a user under a new id (one fresh uuid, the same in every answer) with another
 * public keys record, wherever the rooms or friends lists mention them: a known name under
 * an id the client has never seen. Returns the new id.
 */
export async function swapIdAndPublicKeys(context: BrowserContext, username: string, record: string): Promise<string> {
  const id = newUuid();
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
