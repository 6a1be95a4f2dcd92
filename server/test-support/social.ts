// Friends and messages made the way the browser makes them, with the real protocol.
import { io, type Socket } from 'socket.io-client';
import { SOCKET_PATH } from '@onionchat/contract';
import { newRoomKey, newUuid, sealMessage, toBase64, wrapRoomKey, type MessageBody } from '@onionchat/protocol';
import type { TestClient } from './app.js';
import { signUp, type TestAccount } from './accounts.js';

export interface User {
  client: TestClient;
  account: TestAccount;
}

export interface Friendship {
  roomId: string;
  roomKey: Uint8Array;
}

export async function befriend(a: User, b: User): Promise<Friendship> {
  const sent = await a.client.post<{ request: { id: string } }>('/api/friends/requests', {
    username: b.account.username,
  });
  if (sent.status !== 201) throw new Error(`request failed: ${sent.status} ${JSON.stringify(sent.body)}`);
  return accept(b, a, sent.body.request.id);
}

/** An accept's body (a fresh room key wrapped for both members) and that room key. */
export function acceptBody(accepter: User, requester: User) {
  const roomId = newUuid();
  const roomKey = newRoomKey();
  const wrappedKeys = [accepter.account, requester.account].map((member) => ({
    memberId: member.id,
    record: toBase64(
      wrapRoomKey(
        roomKey,
        { roomId, epoch: 1, memberId: member.id, wrapperId: accepter.account.id },
        accepter.account.identity,
        member.identity.boxPublicKey,
      ),
    ),
  }));
  return { body: { roomId, wrappedKeys }, roomKey };
}

/** `accepter` accepts `requester`'s request, wrapping a fresh room key for both. */
export async function accept(accepter: User, requester: User, requestId: string): Promise<Friendship> {
  const { body, roomKey } = acceptBody(accepter, requester);
  const res = await accepter.client.post(`/api/friends/requests/${requestId}/accept`, body);
  if (res.status !== 201) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { roomId: body.roomId, roomKey };
}

export function envelopeFor(
  sender: TestAccount,
  friendship: Friendship,
  body: MessageBody = { type: 'text', text: 'hello' },
  clientId = newUuid(),
) {
  const envelope = sealMessage(
    { roomId: friendship.roomId, epoch: 1, senderId: sender.id, messageId: clientId, sentAt: Date.now() },
    body,
    friendship.roomKey,
    sender.identity,
  );
  return { clientId, envelope: toBase64(envelope) };
}

/** A socket.io connection carrying the user's session cookie, connected. */
export async function connectSocket(
  baseUrl: string,
  client: TestClient,
  headers: Record<string, string> = {},
): Promise<Socket> {
  const socket = io(baseUrl, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { ...(client.cookie ? { cookie: client.cookie } : {}), ...headers },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return socket;
}

export function emitWithAck<T = Record<string, unknown>>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>;
}

/** Collects events of one kind from a socket. */
export function collect<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A signed-up user whose client holds the new session. */
export async function newUser(app: { client: () => TestClient }, username: string): Promise<User> {
  const client = app.client();
  return { client, account: await signUp(client, username) };
}
