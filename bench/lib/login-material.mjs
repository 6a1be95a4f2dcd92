// What the server hands a page at log-in, made here in Node with the built protocol,
// one fresh account per timed log-in. Not in the page: Firefox's WebCrypto (NSS)
// remembers PBKDF2 results: the same passphrase, salt and iteration count derive again
// in under a millisecond, still after 16 other derivations in between (Firefox ESR
// 153), so an account the page had set up itself would log in without paying for its
// PBKDF2. A browser that never derived these keys pays it all, as a real log-in does.

const PASSPHRASE = 'a river of lanterns under the old bridge';
const EPOCH = 1;
let accounts = 0;

/**
 * An account at the default KDF iterations with the ML-KEM seed in its key bundle and
 * a v2 keys record, and `rooms` conversations, each with a contact (their own v2
 * record) who wrapped that room's key for us in a hybrid v2 record. Bytes as base64.
 */
export async function loginMaterial(rooms) {
  // Imported when first needed, so a missing build is reported by the caller's own check.
  const p = await import('../../protocol/dist/index.js');
  const b64 = p.toBase64;
  const username = `bench_login_${++accounts}`;
  const userId = p.newUuid();
  const identity = p.createIdentity(username);
  const params = p.newKdfParams();
  const { wrapKey } = await p.deriveAccountKeys(PASSPHRASE, username, params);
  const extensions = [{ type: p.KEM_SEED_EXTENSION, value: p.encodeKemSeed(identity.kem.seed) }];
  const member = { boxPublicKey: identity.boxPublicKey, kemPublicKey: identity.kem.publicKey };
  const conversations = [];
  for (let i = 0; i < rooms; i++) {
    const contactName = `bench_contact_${accounts}_${i}`;
    const contactId = p.newUuid();
    const contact = p.createIdentity(contactName);
    const roomId = p.newUuid();
    const roomKey = p.newRoomKey();
    const context = { roomId, epoch: EPOCH, memberId: userId, wrapperId: contactId };
    conversations.push({
      roomId,
      contactId,
      contactName,
      contactPublicKeys: b64(p.encodePublicKeys(contact, contactId)),
      wrappedRoomKey: b64(p.wrapRoomKeyHybrid(roomKey, context, contact, member)),
      expect: { roomKey: b64(roomKey) },
    });
  }
  return {
    passphrase: PASSPHRASE,
    username,
    userId,
    iterations: params.iterations,
    kdfParams: b64(p.encodeKdfParams(params)),
    publicKeys: b64(p.encodePublicKeys(identity, userId)),
    keyBundle: b64(p.sealKeyBundle(identity, wrapKey, extensions)),
    expect: { signPublicKey: b64(identity.signPublicKey), kemPublicKey: b64(identity.kem.publicKey) },
    conversations,
  };
}
