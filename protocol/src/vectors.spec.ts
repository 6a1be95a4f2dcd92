import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MessageLedger,
  ProtocolError,
  bytesToUuid,
  createFileHasher,
  decodeKdfParams,
  decodeKemSeed,
  decodePublicKeys,
  decryptFile,
  deriveAccountKeys,
  encodeKdfParams,
  encodeKemSeed,
  encodePublicKeys,
  encodePublicKeysV1,
  encryptFile,
  encryptedFileSize,
  fileChunkCount,
  fileDigestOf,
  fileMessageBody,
  fingerprint,
  fromBase64,
  fromHex,
  identityFromSeeds,
  newKdfParams,
  normalizeUsername,
  openKeyBundle,
  openMessage,
  openRoomKey,
  plainFileSize,
  readFileMessageBody,
  readMessageHeader,
  readRoomKeyContext,
  sealKeyBundle,
  sealMessage,
  sealMessageV1,
  toBase64,
  toHex,
  usernameProblem,
  uuidToBytes,
  wrapRoomKey,
  wrapRoomKeyHybrid,
  type FileMessageBody,
  type FileVersion,
  type Identity,
  type MessageBody,
  type MessageHeader,
  type ProtocolErrorCode,
  type IdentityKeys,
  type RoomKeyContext,
} from './index.js';

interface HexKeys {
  signPublicKey: string;
  boxPublicKey: string;
}
interface HexWrapper extends HexKeys {
  id: string;
}
interface MessageContext {
  roomId: string;
  epoch: number;
  senderId: string;
}
interface Vectors {
  identity: {
    username: string;
    boxSecretKey: string;
    signSeed: string;
    boxPublicKey: string;
    signPublicKey: string;
    signSecretKey: string;
    kemSeed: string;
    kemPublicKey: string;
    kemSecretKeySha256: string;
  }[];
  kdf: {
    params: {
      valid: { name: string; encoded: string; algorithm: number; iterations: number; salt: string }[];
      invalid: { name: string; encoded: string; error: ProtocolErrorCode }[];
    };
    derivation: {
      name: string;
      passphrase: string;
      passphraseUtf8: string;
      username: string;
      params: string;
      authKey: string;
      wrapKey: string;
    }[];
  };
  publicKeys: {
    valid: {
      username: string;
      boxSecretKey: string;
      signSeed: string;
      record: string;
      base64: string;
      fingerprint: string;
    }[];
    invalid: { name: string; username: string; record: string; error: ProtocolErrorCode }[];
  };
  publicKeysV2: {
    valid: { username: string; userId: string; record: string; base64: string }[];
    invalid: { name: string; username: string; userId: string; record: string; error: ProtocolErrorCode }[];
  };
  kemSeed: {
    valid: { username: string; value: string; kemPublicKey: string }[];
    invalid: { name: string; value: string; error: ProtocolErrorCode }[];
  };
  keyBundle: {
    valid: {
      name: string;
      username: string;
      boxSecretKey: string;
      signSeed: string;
      wrapKey: string;
      nonce: string;
      extensions: { type: number; value: string }[];
      sealed: string;
    }[];
    invalid: {
      name: string;
      username: string;
      wrapKey: string;
      sealed: string;
      expected?: HexKeys;
      error: ProtocolErrorCode;
    }[];
  };
  base64: {
    valid: { bytes: string; text: string }[];
    invalid: { name: string; text: string; error: ProtocolErrorCode }[];
  };
  usernames: { input: string; canonical: string; valid: boolean }[];
  uuid: {
    valid: { text: string; bytes: string }[];
    invalid: { name: string; text: string; error: ProtocolErrorCode }[];
  };
  users: {
    id: string;
    username: string;
    boxSecretKey: string;
    signSeed: string;
    boxPublicKey: string;
    signPublicKey: string;
  }[];
  roomKey: {
    valid: {
      name: string;
      wrapper: string;
      member: string;
      context: RoomKeyContext;
      roomKey: string;
      nonce: string;
      record: string;
    }[];
    invalid: {
      name: string;
      record: string;
      expected: { roomId: string; epoch: number; memberId: string };
      me: string;
      wrapper: HexWrapper;
      error: ProtocolErrorCode;
    }[];
  };
  roomKeyHybrid: {
    kemSeeds: Record<string, string>;
    valid: {
      name: string;
      wrapper: string;
      member: string;
      context: RoomKeyContext;
      roomKey: string;
      nonce: string;
      kemSeed: string;
      record: string;
    }[];
    invalid: {
      name: string;
      record: string;
      expected: { roomId: string; epoch: number; memberId: string };
      me: string;
      meHasKem: boolean;
      wrapper: HexWrapper;
      error: ProtocolErrorCode;
    }[];
  };
  message: {
    valid: {
      name: string;
      sender: string;
      header: MessageHeader;
      body: MessageBody;
      content: string;
      paddedLength: number;
      roomKey: string;
      nonce: string;
      envelope: string;
    }[];
    v1: {
      name: string;
      sender: string;
      header: MessageHeader;
      body: MessageBody;
      content: string;
      paddedLength: number;
      roomKey: string;
      nonce: string;
      envelope: string;
    }[];
    invalid: {
      name: string;
      envelope: string;
      expected: MessageContext;
      roomKey: string;
      sender: string;
      error: ProtocolErrorCode;
    }[];
    replay: {
      name: string;
      deliveries: {
        envelope: string;
        expected: MessageContext;
        roomKey: string;
        sender: string;
        result: 'accepted' | 'replay';
      }[];
    }[];
  };
}

interface FilePart {
  file?: string;
  start?: number;
  end?: number;
  hex?: string;
}
interface DecodedFileMessage {
  fileId: string;
  name: string;
  mime: string;
  size: number;
  key: string;
  digest: string;
}
interface FileValidVector {
  id: string;
  name: string;
  version: FileVersion;
  key: string;
  noncePrefix: string;
  plainSize: number;
  chunkCount: number;
  encryptedSize: number;
  plain?: string;
  encrypted?: string;
  plainSha256: string;
  encryptedSha256: string;
  chunkSha256: string[];
  digest: string;
}
interface FileInvalidVector {
  name: string;
  key: string;
  parts: FilePart[];
  encryptedSize: number;
  encryptedSha256: string;
  error: ProtocolErrorCode;
}
interface FileVectors {
  files: {
    pattern: string;
    /** Version 1 (secretbox). */
    valid: FileValidVector[];
    invalid: FileInvalidVector[];
    /** Version 2 (AES-256-GCM); its negative cases may also cut pieces from version 1 files. */
    v2: { valid: FileValidVector[]; invalid: FileInvalidVector[] };
    sizes: {
      valid: { plainSize: number; chunkCount: number; encryptedSize: number }[];
      invalid: { name: string; encryptedSize: number; error: ProtocolErrorCode }[];
    };
  };
  fileMessage: {
    valid: { name: string; body: MessageBody; decoded: DecodedFileMessage }[];
    invalid: { name: string; body: MessageBody; error: ProtocolErrorCode }[];
  };
}

const vectors = JSON.parse(readFileSync(new URL('../testdata/vectors.json', import.meta.url), 'utf8')) as Vectors &
  FileVectors;

const KDF_TIMEOUT_MS = 60_000;
/** A v1 record does not carry the account id, so it reads the same under any id. */
const V1_ANY_USER_ID = '00000000-0000-4000-8000-000000000000';

function expectProtocolError(run: () => unknown, code: ProtocolErrorCode): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as ProtocolError).code).toBe(code);
  expect((caught as ProtocolError).message.length).toBeGreaterThan(10);
}

function keysFromHex(keys: HexKeys): IdentityKeys {
  return { signPublicKey: fromHex(keys.signPublicKey), boxPublicKey: fromHex(keys.boxPublicKey) };
}

describe('identity vectors', () => {
  it.each(vectors.identity)('$username', (v) => {
    const identity = identityFromSeeds(v.username, fromHex(v.boxSecretKey), fromHex(v.signSeed));
    expect(identity.username).toBe(v.username);
    expect(toHex(identity.boxPublicKey)).toBe(v.boxPublicKey);
    expect(toHex(identity.signPublicKey)).toBe(v.signPublicKey);
    expect(toHex(identity.signSecretKey)).toBe(v.signSecretKey);
    expect(identity.kem).toBeNull();
    const withKem = identityFromSeeds(v.username, fromHex(v.boxSecretKey), fromHex(v.signSeed), fromHex(v.kemSeed));
    expect(toHex(withKem.kem!.publicKey)).toBe(v.kemPublicKey);
    expect(createHash('sha256').update(withKem.kem!.secretKey).digest('hex')).toBe(v.kemSecretKeySha256);
  });
});

describe('KDF parameter vectors', () => {
  it.each(vectors.kdf.params.valid)('accepts $name', (v) => {
    const decoded = decodeKdfParams(fromHex(v.encoded));
    expect(decoded.algorithm).toBe(v.algorithm);
    expect(decoded.iterations).toBe(v.iterations);
    expect(toHex(decoded.salt)).toBe(v.salt);
    expect(toHex(encodeKdfParams(newKdfParams(v.iterations, fromHex(v.salt))))).toBe(v.encoded);
  });

  it.each(vectors.kdf.params.invalid)('rejects $name with $error', (v) => {
    expectProtocolError(() => decodeKdfParams(fromHex(v.encoded)), v.error);
  });
});

describe('KDF derivation vectors', () => {
  it.each(vectors.kdf.derivation)(
    '$name',
    async (v) => {
      expect(toHex(new TextEncoder().encode(v.passphrase))).toBe(v.passphraseUtf8);
      const keys = await deriveAccountKeys(v.passphrase, v.username, decodeKdfParams(fromHex(v.params)));
      expect(toHex(keys.authKey)).toBe(v.authKey);
      expect(toHex(keys.wrapKey)).toBe(v.wrapKey);
    },
    KDF_TIMEOUT_MS,
  );
});

describe('public keys vectors', () => {
  it.each(vectors.publicKeys.valid)('$username', (v) => {
    const identity = identityFromSeeds(v.username, fromHex(v.boxSecretKey), fromHex(v.signSeed));
    const record = encodePublicKeysV1(identity);
    expect(toHex(record)).toBe(v.record);
    expect(toBase64(record)).toBe(v.base64);
    const keys = decodePublicKeys(fromBase64(v.base64), v.username, V1_ANY_USER_ID);
    expect(keys.version).toBe(1);
    expect(keys.kemPublicKey).toBeNull();
    expect(keys.signPublicKey).toEqual(identity.signPublicKey);
    expect(keys.boxPublicKey).toEqual(identity.boxPublicKey);
    expect(fingerprint(keys)).toBe(v.fingerprint);
  });

  it.each(vectors.publicKeys.invalid)('rejects $name with $error', (v) => {
    expectProtocolError(() => decodePublicKeys(fromHex(v.record), v.username, V1_ANY_USER_ID), v.error);
  });
});

describe('public keys v2 vectors', () => {
  it.each(vectors.publicKeysV2.valid)('$username', (v) => {
    const seeds = vectors.identity.find((i) => i.username === v.username)!;
    const identity = identityFromSeeds(
      v.username,
      fromHex(seeds.boxSecretKey),
      fromHex(seeds.signSeed),
      fromHex(seeds.kemSeed),
    );
    const record = encodePublicKeys(identity, v.userId);
    expect(toHex(record)).toBe(v.record);
    expect(toBase64(record)).toBe(v.base64);
    expect(decodePublicKeys(fromBase64(v.base64), v.username, v.userId)).toEqual({
      version: 2,
      signPublicKey: identity.signPublicKey,
      boxPublicKey: identity.boxPublicKey,
      kemPublicKey: identity.kem!.publicKey,
    });
  });

  it.each(vectors.publicKeysV2.invalid)('rejects $name with $error', (v) => {
    expectProtocolError(() => decodePublicKeys(fromHex(v.record), v.username, v.userId), v.error);
  });
});

describe('ML-KEM seed vectors', () => {
  it.each(vectors.kemSeed.valid)('$username', (v) => {
    const seeds = vectors.identity.find((i) => i.username === v.username)!;
    expect(toHex(encodeKemSeed(fromHex(seeds.kemSeed)))).toBe(v.value);
    const seed = decodeKemSeed(fromHex(v.value));
    expect(
      toHex(identityFromSeeds(v.username, fromHex(seeds.boxSecretKey), fromHex(seeds.signSeed), seed).kem!.publicKey),
    ).toBe(v.kemPublicKey);
  });

  it.each(vectors.kemSeed.invalid)('rejects $name with $error', (v) => {
    expectProtocolError(() => decodeKemSeed(fromHex(v.value)), v.error);
  });
});

describe('key bundle vectors', () => {
  it.each(vectors.keyBundle.valid)('$name', (v) => {
    const identity = identityFromSeeds(v.username, fromHex(v.boxSecretKey), fromHex(v.signSeed));
    const extensions = v.extensions.map((e) => ({ type: e.type, value: fromHex(e.value) }));
    const sealed = sealKeyBundle(identity, fromHex(v.wrapKey), extensions, fromHex(v.nonce));
    expect(toHex(sealed)).toBe(v.sealed);

    const opened = openKeyBundle(fromHex(v.sealed), fromHex(v.wrapKey), v.username, identity);
    expect(opened.identity).toEqual(identity);
    expect(opened.extensions).toEqual(extensions);
  });

  it.each(vectors.keyBundle.invalid)('rejects $name with $error', (v) => {
    const expected = v.expected === undefined ? undefined : keysFromHex(v.expected);
    expectProtocolError(() => openKeyBundle(fromHex(v.sealed), fromHex(v.wrapKey), v.username, expected), v.error);
  });
});

describe('base64 vectors', () => {
  it.each(vectors.base64.valid)('$text', (v) => {
    expect(toBase64(fromHex(v.bytes))).toBe(v.text);
    expect(toHex(fromBase64(v.text))).toBe(v.bytes);
  });

  it.each(vectors.base64.invalid)('rejects $name', (v) => {
    expectProtocolError(() => fromBase64(v.text), v.error);
  });
});

describe('username vectors', () => {
  it.each(vectors.usernames)('"$input"', (v) => {
    expect(normalizeUsername(v.input)).toBe(v.canonical);
    expect(usernameProblem(v.canonical) === null).toBe(v.valid);
  });
});

describe('UUID vectors', () => {
  it.each(vectors.uuid.valid)('$text', (v) => {
    expect(toHex(uuidToBytes(v.text))).toBe(v.bytes);
    expect(bytesToUuid(fromHex(v.bytes))).toBe(v.text);
  });

  it.each(vectors.uuid.invalid)('rejects $name', (v) => {
    expectProtocolError(() => uuidToBytes(v.text), v.error);
  });
});

const users = new Map(
  vectors.users.map((u) => {
    const identity = identityFromSeeds(u.username, fromHex(u.boxSecretKey), fromHex(u.signSeed));
    return [u.username, { id: u.id, identity }];
  }),
);

function user(username: string): { id: string; identity: Identity } {
  const found = users.get(username);
  if (found === undefined) throw new Error(`No user ${username} in the vectors.`);
  return found;
}

function wrapperFromHex(w: HexWrapper): IdentityKeys & { id: string } {
  return { id: w.id, ...keysFromHex(w) };
}

describe('user vectors', () => {
  it.each(vectors.users)('$username', (v) => {
    const { identity } = user(v.username);
    expect(toHex(identity.boxPublicKey)).toBe(v.boxPublicKey);
    expect(toHex(identity.signPublicKey)).toBe(v.signPublicKey);
    expect(bytesToUuid(uuidToBytes(v.id))).toBe(v.id);
  });
});

describe('wrapped room key vectors', () => {
  it.each(vectors.roomKey.valid)('$name', (v) => {
    const wrapper = user(v.wrapper);
    const member = user(v.member);
    expect(v.context.wrapperId).toBe(wrapper.id);
    expect(v.context.memberId).toBe(member.id);
    const record = wrapRoomKey(
      fromHex(v.roomKey),
      v.context,
      wrapper.identity,
      member.identity.boxPublicKey,
      fromHex(v.nonce),
    );
    expect(toHex(record)).toBe(v.record);
    expect(readRoomKeyContext(fromHex(v.record))).toEqual(v.context);
    const expected = { roomId: v.context.roomId, epoch: v.context.epoch, memberId: v.context.memberId };
    const opened = openRoomKey(fromHex(v.record), expected, member.identity, {
      id: wrapper.id,
      ...wrapper.identity,
    });
    expect({ roomKey: toHex(opened.roomKey), hybrid: opened.hybrid }).toEqual({ roomKey: v.roomKey, hybrid: false });
  });

  it.each(vectors.roomKey.invalid)('rejects $name with $error', (v) => {
    expectProtocolError(
      () => openRoomKey(fromHex(v.record), v.expected, user(v.me).identity, wrapperFromHex(v.wrapper)),
      v.error,
    );
  });
});

/** A vector user with the ML-KEM key from the hybrid vectors' seeds. */
function hybridUser(username: string): { id: string; identity: Identity } {
  const { id, identity } = user(username);
  const seed = vectors.roomKeyHybrid.kemSeeds[username];
  if (seed === undefined) throw new Error(`No ML-KEM seed for ${username} in the vectors.`);
  return { id, identity: identityFromSeeds(username, identity.boxSecretKey, identity.signSeed, fromHex(seed)) };
}

describe('hybrid wrapped room key vectors', () => {
  it.each(vectors.roomKeyHybrid.valid)('$name', (v) => {
    const wrapper = hybridUser(v.wrapper);
    const member = hybridUser(v.member);
    const record = wrapRoomKeyHybrid(
      fromHex(v.roomKey),
      v.context,
      wrapper.identity,
      { boxPublicKey: member.identity.boxPublicKey, kemPublicKey: member.identity.kem!.publicKey },
      { nonce: fromHex(v.nonce), kemSeed: fromHex(v.kemSeed) },
    );
    expect(toHex(record)).toBe(v.record);
    expect(readRoomKeyContext(record)).toEqual(v.context);
    const expected = { roomId: v.context.roomId, epoch: v.context.epoch, memberId: v.context.memberId };
    const opened = openRoomKey(record, expected, member.identity, { id: wrapper.id, ...wrapper.identity });
    expect({ roomKey: toHex(opened.roomKey), hybrid: opened.hybrid }).toEqual({ roomKey: v.roomKey, hybrid: true });
  });

  it.each(vectors.roomKeyHybrid.invalid)('rejects $name with $error', (v) => {
    const me = v.meHasKem ? hybridUser(v.me).identity : user(v.me).identity;
    expectProtocolError(() => openRoomKey(fromHex(v.record), v.expected, me, wrapperFromHex(v.wrapper)), v.error);
  });
});

describe('message vectors', () => {
  it.each(vectors.message.valid)('$name', (v) => {
    const sender = user(v.sender);
    expect(v.header.senderId).toBe(sender.id);
    expect(toHex(new TextEncoder().encode(JSON.stringify(v.body)))).toBe(v.content);
    const envelope = sealMessage(v.header, v.body, fromHex(v.roomKey), sender.identity, fromHex(v.nonce));
    expect(toHex(envelope)).toBe(v.envelope);
    expect(envelope.length).toBe(165 + v.paddedLength);
    expect(readMessageHeader(fromHex(v.envelope))).toEqual({ ...v.header, version: 2, sentAt: null });
    const expected = { roomId: v.header.roomId, epoch: v.header.epoch, senderId: v.header.senderId };
    expect(openMessage(fromHex(v.envelope), expected, fromHex(v.roomKey), sender.identity)).toEqual({
      version: 2,
      header: v.header,
      body: v.body,
    });
  });

  it.each(vectors.message.v1)('version 1 still read: $name', (v) => {
    const sender = user(v.sender);
    const envelope = sealMessageV1(v.header, v.body, fromHex(v.roomKey), sender.identity, fromHex(v.nonce));
    expect(toHex(envelope)).toBe(v.envelope);
    expect(readMessageHeader(envelope)).toEqual({ ...v.header, version: 1 });
    const expected = { roomId: v.header.roomId, epoch: v.header.epoch, senderId: v.header.senderId };
    expect(openMessage(envelope, expected, fromHex(v.roomKey), sender.identity)).toEqual({
      version: 1,
      header: v.header,
      body: v.body,
    });
  });

  it.each(vectors.message.invalid)('rejects $name with $error', (v) => {
    expectProtocolError(
      () => openMessage(fromHex(v.envelope), v.expected, fromHex(v.roomKey), user(v.sender).identity),
      v.error,
    );
  });

  it.each(vectors.message.replay)('replay: $name', (v) => {
    const ledger = new MessageLedger();
    for (const d of v.deliveries) {
      const { header } = openMessage(fromHex(d.envelope), d.expected, fromHex(d.roomKey), user(d.sender).identity);
      if (d.result === 'accepted') {
        expect(() => ledger.accept(header)).not.toThrow();
        expect(ledger.has(header.roomId, header.senderId, header.messageId)).toBe(true);
      } else {
        expectProtocolError(() => ledger.accept(header), 'replay');
      }
    }
  });
});

const FILE_PATTERN_MODULUS = 251;
const FILE_HEADER_BYTES = 16;
const FILE_CHUNK_CIPHER_BYTES = 65552;
const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function filePattern(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = i % FILE_PATTERN_MODULUS;
  return out;
}

function fileChunks(encrypted: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = FILE_HEADER_BYTES; start < encrypted.length; start += FILE_CHUNK_CIPHER_BYTES) {
    chunks.push(encrypted.subarray(start, Math.min(start + FILE_CHUNK_CIPHER_BYTES, encrypted.length)));
  }
  return chunks;
}

/** Every valid file of both versions, encrypted again from its inputs: the negative cases are cut from these. */
const fileVectors = [...vectors.files.valid, ...vectors.files.v2.valid];
const encryptedFiles = new Map<string, Uint8Array>();
const filesReady = (async () => {
  for (const v of fileVectors) {
    const options = { version: v.version, noncePrefix: fromHex(v.noncePrefix) };
    encryptedFiles.set(v.id, await encryptFile(fromHex(v.key), filePattern(v.plainSize), options));
  }
})();

function assembleFile(parts: FilePart[]): Uint8Array {
  const pieces = parts.map((part) => {
    if (part.hex !== undefined) return fromHex(part.hex);
    const source = encryptedFiles.get(part.file ?? '');
    if (source === undefined) throw new Error(`No file ${part.file} in the vectors.`);
    return source.subarray(part.start, part.end);
  });
  const out = new Uint8Array(pieces.reduce((n, piece) => n + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

async function expectProtocolRejection(run: () => Promise<unknown>, code: ProtocolErrorCode): Promise<void> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as ProtocolError).code).toBe(code);
  expect((caught as ProtocolError).message.length).toBeGreaterThan(10);
}

describe('file vectors', () => {
  it('uses the documented pattern', () => {
    expect(vectors.files.pattern).toBe(`plaintext byte i is i mod ${FILE_PATTERN_MODULUS}`);
  });

  it('has both versions, each with the required sizes', () => {
    expect(vectors.files.valid.every((v) => v.version === 1)).toBe(true);
    expect(vectors.files.v2.valid.every((v) => v.version === 2)).toBe(true);
    for (const list of [vectors.files.valid, vectors.files.v2.valid]) {
      expect(list.map((v) => v.plainSize)).toEqual(expect.arrayContaining([0, 1, 65536, 65537, 200000]));
    }
  });

  it.each(fileVectors)('version $version: $name', async (v) => {
    await filesReady;
    const key = fromHex(v.key);
    const plain = filePattern(v.plainSize);
    if (v.plain !== undefined) expect(toHex(plain)).toBe(v.plain);
    expect(sha256Hex(plain)).toBe(v.plainSha256);

    const encrypted = await encryptFile(key, plain, { version: v.version, noncePrefix: fromHex(v.noncePrefix) });
    if (v.encrypted !== undefined) expect(toHex(encrypted)).toBe(v.encrypted);
    expect(encrypted).toHaveLength(v.encryptedSize);
    expect(sha256Hex(encrypted)).toBe(v.encryptedSha256);
    expect(encrypted[0]).toBe(v.version);
    expect(toHex(encrypted.subarray(1, FILE_HEADER_BYTES))).toBe(v.noncePrefix);
    const chunks = fileChunks(encrypted);
    expect(chunks.map(sha256Hex)).toEqual(v.chunkSha256);

    expect(fileChunkCount(v.plainSize)).toBe(v.chunkCount);
    expect(encryptedFileSize(v.plainSize)).toBe(v.encryptedSize);
    expect(plainFileSize(v.encryptedSize)).toBe(v.plainSize);
    expect(await decryptFile(key, encrypted)).toEqual(plain);

    expect(toHex(await fileDigestOf(encrypted))).toBe(v.digest);
    const hasher = createFileHasher(encrypted.subarray(0, FILE_HEADER_BYTES));
    for (const chunk of chunks) await hasher.update(chunk);
    expect(toHex(await hasher.digest())).toBe(v.digest);
  });

  it.each([
    ...vectors.files.invalid.map((v) => ({ ...v, version: 1 })),
    ...vectors.files.v2.invalid.map((v) => ({ ...v, version: 2 })),
  ])('version $version: rejects $name with $error', async (v) => {
    await filesReady;
    const encrypted = assembleFile(v.parts);
    expect(encrypted).toHaveLength(v.encryptedSize);
    expect(sha256Hex(encrypted)).toBe(v.encryptedSha256);
    await expectProtocolRejection(() => decryptFile(fromHex(v.key), encrypted), v.error);
  });

  it.each(vectors.files.sizes.valid)('$plainSize bytes encrypt to $encryptedSize', (v) => {
    expect(fileChunkCount(v.plainSize)).toBe(v.chunkCount);
    expect(encryptedFileSize(v.plainSize)).toBe(v.encryptedSize);
    expect(plainFileSize(v.encryptedSize)).toBe(v.plainSize);
  });

  it.each(vectors.files.sizes.invalid)('no file encrypts to $encryptedSize bytes ($name)', (v) => {
    expectProtocolError(() => plainFileSize(v.encryptedSize), v.error);
  });
});

describe('file message vectors', () => {
  it.each(vectors.fileMessage.valid)('$name', (v) => {
    const read = readFileMessageBody(v.body);
    expect({ ...read, key: toHex(read.key), digest: toHex(read.digest) }).toEqual(v.decoded);
    // Bodies a sender could have written (no sanitized name, no extra members) are rebuilt byte for byte.
    const builtBySender = read.name === v.body.name && Object.keys(v.body).length === 7;
    if (builtBySender) {
      const rebuilt: FileMessageBody = fileMessageBody(read);
      expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(v.body));
    }
  });

  it.each(vectors.fileMessage.invalid)('rejects $name', (v) => {
    expectProtocolError(() => readFileMessageBody(v.body), v.error);
  });
});
