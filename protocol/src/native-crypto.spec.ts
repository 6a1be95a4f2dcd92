// The asynchronous operations (native Ed25519 and X25519 where the engine has them)
// against the same vectors as the tweetnacl reference: identical bytes out, identical
// refusals. Run twice: with this engine's WebCrypto, and with a WebCrypto that lacks
// both curves, so the fallback inside the asynchronous path is checked too.
import { readFileSync } from 'node:fs';
import nacl from 'tweetnacl';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ED25519_GROUP_ORDER } from './crypto-steps.js';
import type * as Protocol from './index.js';

type Api = typeof Protocol;
type Hex = string;
interface Vectors {
  identity: { username: string; boxSecretKey: Hex; signSeed: Hex; boxPublicKey: Hex; signPublicKey: Hex }[];
  users: { id: string; username: string; boxSecretKey: Hex; signSeed: Hex }[];
  publicKeysV2: {
    valid: { username: string; userId: string; record: Hex }[];
    invalid: { name: string; username: string; userId: string; record: Hex; error: string }[];
  };
  roomKey: { valid: RoomKeyVector[]; invalid: RoomKeyReject[] };
  roomKeyHybrid: {
    kemSeeds: Record<string, Hex>;
    valid: (RoomKeyVector & { kemSeed: Hex })[];
    invalid: RoomKeyReject[];
  };
  message: { valid: MessageVector[]; v1: MessageVector[]; invalid: MessageReject[] };
}
interface RoomKeyVector {
  name: string;
  wrapper: string;
  member: string;
  context: Protocol.RoomKeyContext;
  roomKey: Hex;
  nonce: Hex;
  record: Hex;
}
interface HexWrapper {
  id: string;
  signPublicKey: Hex;
  boxPublicKey: Hex;
}
interface RoomKeyReject {
  name: string;
  record: Hex;
  expected: { roomId: string; epoch: number; memberId: string };
  me: string;
  meHasKem?: boolean;
  wrapper: HexWrapper;
  error: string;
}
interface MessageVector {
  name: string;
  sender: string;
  header: Protocol.MessageHeader;
  body: Protocol.MessageBody;
  roomKey: Hex;
  nonce: Hex;
  envelope: Hex;
}
interface MessageReject {
  name: string;
  envelope: Hex;
  expected: { roomId: string; epoch: number; senderId: string };
  roomKey: Hex;
  sender: string;
  error: string;
}

const vectors = JSON.parse(readFileSync(new URL('../testdata/vectors.json', import.meta.url), 'utf8')) as Vectors;
const CURVES = new Set(['Ed25519', 'X25519']);

function algorithmName(algorithm: unknown): string {
  return typeof algorithm === 'string' ? algorithm : ((algorithm as { name?: string } | null)?.name ?? '');
}

/** A WebCrypto without Ed25519 and X25519, as in an engine that predates them. */
function subtleWithoutCurves(real: SubtleCrypto): SubtleCrypto {
  return new Proxy(real, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const algorithm = property === 'importKey' ? args[2] : property === 'generateKey' ? args[0] : null;
        if (CURVES.has(algorithmName(algorithm)))
          return Promise.reject(new DOMException('Not supported', 'NotSupportedError'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function expectRejection(run: () => Promise<unknown>, code: string): Promise<void> {
  const { ProtocolError } = await import('./index.js');
  const error = await run().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as Protocol.ProtocolError).code).toBe(code);
}

describe.each([
  { mode: 'native', curves: { ed25519: true, x25519: true } },
  { mode: 'fallback', curves: { ed25519: false, x25519: false } },
])('asynchronous operations ($mode)', ({ mode, curves }) => {
  let api: Api;
  let users: Map<string, { id: string; identity: Protocol.Identity }>;
  const realSubtle = globalThis.crypto.subtle;

  beforeAll(async () => {
    vi.resetModules();
    if (mode === 'fallback') {
      vi.spyOn(globalThis.crypto, 'subtle', 'get').mockReturnValue(subtleWithoutCurves(realSubtle));
    }
    api = await import('./index.js');
    users = new Map();
    for (const u of vectors.users) {
      const identity = await api.identityFromSeedsAsync(
        u.username,
        api.fromHex(u.boxSecretKey),
        api.fromHex(u.signSeed),
      );
      users.set(u.username, { id: u.id, identity });
    }
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  const user = (name: string) => users.get(name)!;
  const hex = (bytes: Uint8Array) => api.toHex(bytes);
  const wrapperOf = (w: HexWrapper) => ({
    id: w.id,
    signPublicKey: api.fromHex(w.signPublicKey),
    boxPublicKey: api.fromHex(w.boxPublicKey),
  });
  const withKem = async (name: string) => {
    const { id, identity } = user(name);
    const seed = api.fromHex(vectors.roomKeyHybrid.kemSeeds[name]!);
    return { id, identity: await api.identityFromSeedsAsync(name, identity.boxSecretKey, identity.signSeed, seed) };
  };

  it('finds what this engine offers', async () => {
    expect(await api.nativeSupport()).toEqual(curves);
  });

  it.each(vectors.identity)('derives the identity of $username', async (v) => {
    const identity = await api.identityFromSeedsAsync(v.username, api.fromHex(v.boxSecretKey), api.fromHex(v.signSeed));
    expect({ box: hex(identity.boxPublicKey), sign: hex(identity.signPublicKey) }).toEqual({
      box: v.boxPublicKey,
      sign: v.signPublicKey,
    });
    expect(identity).toEqual(api.identityFromSeeds(v.username, api.fromHex(v.boxSecretKey), api.fromHex(v.signSeed)));
  });

  it.each(vectors.publicKeysV2.valid)('signs and reads the public keys of $username', async (v) => {
    const record = api.fromHex(v.record);
    const keys = await api.decodePublicKeysAsync(record, v.username, v.userId);
    expect(keys).toEqual(api.decodePublicKeys(record, v.username, v.userId));
  });

  it.each(vectors.publicKeysV2.invalid)('rejects public keys: $name', async (v) => {
    await expectRejection(() => api.decodePublicKeysAsync(api.fromHex(v.record), v.username, v.userId), v.error);
  });

  it.each(vectors.roomKey.valid)('wraps and opens room key $name', async (v) => {
    const wrapper = user(v.wrapper);
    const member = user(v.member);
    const record = await api.wrapRoomKeyAsync(
      api.fromHex(v.roomKey),
      v.context,
      wrapper.identity,
      member.identity.boxPublicKey,
      api.fromHex(v.nonce),
    );
    expect(hex(record)).toBe(v.record);
    const expected = { roomId: v.context.roomId, epoch: v.context.epoch, memberId: v.context.memberId };
    const opened = await api.openRoomKeyAsync(record, expected, member.identity, {
      id: wrapper.id,
      ...wrapper.identity,
    });
    expect(hex(opened.roomKey)).toBe(v.roomKey);
  });

  it.each(vectors.roomKey.invalid)('rejects room key $name', async (v) => {
    await expectRejection(
      () => api.openRoomKeyAsync(api.fromHex(v.record), v.expected, user(v.me).identity, wrapperOf(v.wrapper)),
      v.error,
    );
  });

  it.each(vectors.roomKeyHybrid.valid)('wraps and opens hybrid room key $name', async (v) => {
    const wrapper = await withKem(v.wrapper);
    const member = await withKem(v.member);
    const record = await api.wrapRoomKeyHybridAsync(
      api.fromHex(v.roomKey),
      v.context,
      wrapper.identity,
      { boxPublicKey: member.identity.boxPublicKey, kemPublicKey: member.identity.kem!.publicKey },
      { nonce: api.fromHex(v.nonce), kemSeed: api.fromHex(v.kemSeed) },
    );
    expect(hex(record)).toBe(v.record);
    const expected = { roomId: v.context.roomId, epoch: v.context.epoch, memberId: v.context.memberId };
    const opened = await api.openRoomKeyAsync(record, expected, member.identity, {
      id: wrapper.id,
      ...wrapper.identity,
    });
    expect({ roomKey: hex(opened.roomKey), hybrid: opened.hybrid }).toEqual({ roomKey: v.roomKey, hybrid: true });
  });

  it.each(vectors.roomKeyHybrid.invalid)('rejects hybrid room key $name', async (v) => {
    const me = v.meHasKem ? (await withKem(v.me)).identity : user(v.me).identity;
    await expectRejection(
      () => api.openRoomKeyAsync(api.fromHex(v.record), v.expected, me, wrapperOf(v.wrapper)),
      v.error,
    );
  });

  it.each(vectors.message.valid)('seals and opens message $name', async (v) => {
    const sender = user(v.sender).identity;
    const roomKey = api.fromHex(v.roomKey);
    const envelope = await api.sealMessageAsync(v.header, v.body, roomKey, sender, api.fromHex(v.nonce));
    expect(hex(envelope)).toBe(v.envelope);
    const expected = { roomId: v.header.roomId, epoch: v.header.epoch, senderId: v.header.senderId };
    expect(await api.openMessageAsync(envelope, expected, roomKey, sender)).toEqual({
      version: 2,
      header: v.header,
      body: v.body,
    });
  });

  it.each(vectors.message.v1)('opens version 1 message $name', async (v) => {
    const expected = { roomId: v.header.roomId, epoch: v.header.epoch, senderId: v.header.senderId };
    const opened = await api.openMessageAsync(
      api.fromHex(v.envelope),
      expected,
      api.fromHex(v.roomKey),
      user(v.sender).identity,
    );
    expect(opened).toEqual({ version: 1, header: v.header, body: v.body });
  });

  it.each(vectors.message.invalid)('rejects message $name', async (v) => {
    await expectRejection(
      () => api.openMessageAsync(api.fromHex(v.envelope), v.expected, api.fromHex(v.roomKey), user(v.sender).identity),
      v.error,
    );
  });

  it('signs bundle updates exactly as tweetnacl does', async () => {
    const { id, identity } = user(vectors.users[0]!.username);
    const previous = api.fromHex('01'.repeat(80));
    const next = api.fromHex('02'.repeat(120));
    const signature = await api.signBundleUpdateAsync(identity, id, previous, next);
    expect(hex(signature)).toBe(hex(api.signBundleUpdate(identity, id, previous, next)));
    expect(api.verifyBundleUpdate(identity.signPublicKey, id, previous, next, signature)).toBe(true);
  });

  it('creates identities whose keys tweetnacl derives the same way', async () => {
    const identity = await api.createIdentityAsync('dora');
    const again = api.identityFromSeeds('dora', identity.boxSecretKey, identity.signSeed, identity.kem!.seed);
    expect(identity).toEqual(again);
  });

  it('refuses a signature whose S is not reduced, which tweetnacl alone would accept', async () => {
    const v = vectors.publicKeysV2.valid[0]!;
    const malleated = api.fromHex(v.record);
    addGroupOrderToS(malleated.subarray(malleated.length - 64));
    const signature = malleated.subarray(malleated.length - 64);
    const keys = api.decodePublicKeys(api.fromHex(v.record), v.username, v.userId);
    const signed = signedPublicKeysMessage(v.username, malleated.subarray(0, malleated.length - 64));
    expect(nacl.sign.detached.verify(signed, signature, keys.signPublicKey)).toBe(true);
    expect(() => api.decodePublicKeys(malleated, v.username, v.userId)).toThrow(/not validly signed/);
    await expectRejection(() => api.decodePublicKeysAsync(malleated, v.username, v.userId), 'bad-signature');
  });
});

/** S + L, in place (little-endian); the result still fits in 32 bytes. */
function addGroupOrderToS(signature: Uint8Array): void {
  const order = ED25519_GROUP_ORDER;
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const sum = (signature[32 + i] as number) + (order[i] as number) + carry;
    signature[32 + i] = sum & 0xff;
    carry = sum >> 8;
  }
}

/** What a version 2 public keys record's signature covers (PROTOCOL.md section 4). */
function signedPublicKeysMessage(username: string, body: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(username);
  const parts = [new TextEncoder().encode('OnionChat v2 public keys\0'), Uint8Array.of(name.length), name, body];
  return Uint8Array.from(parts.flatMap((part) => Array.from(part)));
}
