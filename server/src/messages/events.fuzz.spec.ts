// Property-based fuzzing of every WebSocket event the gateways take, from a table that
// must cover the gateways' event list: valid-shaped payloads (real room, mutated real
// envelopes) and hostile ones (wrong types, polluting keys, deep nesting, binary, extra
// arguments), plus events nobody handles and malformed socket.io frames. Properties: an
// acknowledgement is either a success or an error with a status below 500 and a
// sentence; a refused event changes nothing stored; the socket and the server stay up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { fromBase64, MESSAGE_MIN_ENVELOPE_BYTES, newUuid } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import {
  befriend,
  connectSocket,
  emitWithAck,
  envelopeFor,
  newUser,
  type Friendship,
  type User,
} from '../../test-support/social.js';
import { storedState, type StoredState } from '../../test-support/state.js';
import { gatewayEvents } from '../../test-support/surface.js';
import {
  base64Of,
  edgeString,
  fuzzParams,
  hostileBody,
  hostileText,
  hostileValue,
  mutatedBase64,
} from '../../test-support/fuzz.js';

let t: TestApp;
let state: StoredState;
let owner: User;
let room: Friendship;
let socket: Socket;

beforeAll(async () => {
  t = await startTestApp({
    RATE_MESSAGES_PER_MINUTE: '1000000',
    RATE_API_PER_MINUTE: '1000000',
    WS_MAX_FRAME_BYTES: String(1024 * 1024),
  });
  state = await storedState(t.dbUrl);
  const friend = await newUser(t, 'friend');
  owner = await newUser(t, 'owner');
  room = await befriend(owner, friend);
  socket = await connectSocket(t.baseUrl, owner.client);
});
afterAll(async () => {
  socket?.close();
  await state?.close();
  await t?.close();
});

/** Valid-shaped payloads per event: the right fields, random or mutated values. */
const EVENTS: Record<string, () => fc.Arbitrary<Record<string, unknown>>> = {
  'message:send': () =>
    fc.oneof(
      fc.constant(null).map(() => ({ roomId: room.roomId, ...envelopeFor(owner.account, room) })),
      fc.constant(null).chain(() => {
        const good = envelopeFor(owner.account, room);
        return fc.record({
          roomId: fc.oneof(fc.constant(room.roomId), fc.uuid()),
          clientId: fc.oneof(fc.constant(good.clientId), fc.uuid()),
          envelope: fc.oneof(
            mutatedBase64(fromBase64(good.envelope)),
            base64Of(MESSAGE_MIN_ENVELOPE_BYTES, MESSAGE_MIN_ENVELOPE_BYTES + 200),
          ),
        });
      }),
    ),
};

/** Event names socket.io itself uses: a packet naming one is a protocol error (see the frames test). */
const RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

/** Sends a socket.io packet as written, past the client library's checks. */
function rawWrite(target: Socket, frame: string): void {
  (target.io.engine as unknown as { write: (data: string) => void }).write(frame);
}

type Ack = { ok: boolean; status?: number; code?: string; message?: unknown };

async function probe(event: string, args: unknown[]): Promise<void> {
  const before = await state.snapshot();
  const ack = (await socket.timeout(10_000).emitWithAck(event, ...args)) as Ack;
  const label = `${event} ${JSON.stringify(args)?.slice(0, 300)} → ${JSON.stringify(ack)}`;
  expect(typeof ack?.ok, label).toBe('boolean');
  if (ack.ok) return;
  expect(ack, label).toEqual({
    ok: false,
    status: expect.any(Number),
    code: expect.stringMatching(/^[a-z_]+$/),
    message: expect.stringMatching(/^\S.{3,}/),
  });
  expect(ack.status, label).toBeGreaterThanOrEqual(400);
  expect(ack.status, label).toBeLessThan(500);
  expect(await state.snapshot(), `refused, yet stored state changed: ${label}`).toEqual(before);
}

const binary = fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b));

function hostilePayload(event: string): fc.Arbitrary<unknown[]> {
  const good = EVENTS[event]!();
  return fc.oneof(
    good.chain((body) => hostileBody(body)).map((p) => [p]),
    hostileValue.map((p) => [p]),
    hostileText.map((p) => [p]),
    binary.map((b) => [b]),
    good.map((body) => [{ ...body, envelope: Buffer.from(String(body['envelope'])) }]),
    fc.tuple(good, hostileValue).map(([body, extra]) => [body, extra]),
    fc.constant<unknown[]>([]),
  );
}

describe('WebSocket event fuzzing', () => {
  it('has a fuzz entry for every event the gateways take', () => {
    expect(Object.keys(EVENTS).sort()).toEqual(gatewayEvents(t.app));
  });

  for (const event of Object.keys(EVENTS)) {
    it(`${event}: valid-shaped and hostile payloads`, async () => {
      await fc.assert(
        fc.asyncProperty(EVENTS[event]!(), (payload) => probe(event, [payload])),
        fuzzParams(15),
      );
      await fc.assert(
        fc.asyncProperty(hostilePayload(event), (args) => probe(event, args)),
        fuzzParams(40),
      );
      expect(socket.connected).toBe(true);
    });
  }

  it('ignores events nobody handles, and sends without a callback; the socket keeps working', async () => {
    const name = fc.oneof(
      edgeString.filter((s) => !(s in EVENTS) && !RESERVED.includes(s)),
      fc.constantFrom('__proto__', 'constructor', 'message:new', 'friends:changed', 'error', 'hasOwnProperty'),
    );
    await fc.assert(
      fc.asyncProperty(name, hostileValue, async (event, payload) => {
        const before = await state.snapshot();
        // Written as raw frames: the client refuses reserved names, a hostile client does not.
        rawWrite(socket, '2' + JSON.stringify([event, payload]));
        socket.emit('message:send', payload);
        // An acknowledged event after them proves the socket still works.
        const ack = await emitWithAck<Ack>(socket, 'message:send', { roomId: newUuid() });
        expect(ack).toMatchObject({ ok: false, status: 400 });
        expect(await state.snapshot()).toEqual(before);
      }),
      fuzzParams(30),
    );
    expect(socket.connected).toBe(true);
  });

  it('drops a connection that sends malformed socket.io frames, and stays up for others', async () => {
    const frames = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        '2["message:send",{',
        '2[',
        '2{"a":1}',
        '5-["x",{"_placeholder":true,"num":9}]',
        '9',
        '2[]',
        '2["newListener",1]',
      ),
    );
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        const victim = await connectSocket(t.baseUrl, owner.client);
        try {
          rawWrite(victim, frame);
          // Either refused (the server closes it) or ignored: both leave the server serving.
          const ack = await victim
            .timeout(2_000)
            .emitWithAck('message:send', { roomId: newUuid() })
            .catch(() => null);
          if (ack) expect(ack).toMatchObject({ ok: false, status: 400 });
        } finally {
          victim.close();
        }
      }),
      fuzzParams(15),
    );
    expect((await t.client().get('/api/health')).body).toEqual({ status: 'ok' });
    const ack = await emitWithAck<Ack>(socket, 'message:send', {
      roomId: room.roomId,
      ...envelopeFor(owner.account, room),
    });
    expect(ack.ok).toBe(true);
  });
});
