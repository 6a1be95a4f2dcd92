// A minimal OnionChat client for benchmarks: accounts, friendship, and an HTTP helper
// that keeps the session cookie. Uses the real protocol (KDF skipped: random keys).
const protocol = await import('../../protocol/dist/index.js');

export class BenchClient {
  constructor(origin) {
    this.origin = origin;
    this.cookie = '';
  }

  async request(method, path, body, headers = {}) {
    const init = { method, headers: { cookie: this.cookie, ...headers } };
    if (body !== undefined) {
      const json = !(body instanceof Uint8Array);
      init.body = json ? JSON.stringify(body) : body;
      init.headers['content-type'] ??= json ? 'application/json' : 'application/octet-stream';
    }
    const res = await fetch(this.origin + path, init);
    const cookie = res.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0];
    return res;
  }

  async json(method, path, body) {
    const res = await this.request(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : {};
  }

  async signUp(username) {
    const identity = protocol.createIdentity(username);
    const wrapKey = protocol.randomBytes(32);
    const userId = protocol.newUuid();
    const { user } = await this.json('POST', '/api/auth/signup', {
      username,
      userId,
      kdfParams: protocol.toBase64(protocol.encodeKdfParams(protocol.newKdfParams())),
      authKey: protocol.toBase64(protocol.randomBytes(32)),
      publicKeys: protocol.toBase64(protocol.encodePublicKeys(identity, userId)),
      keyBundle: protocol.toBase64(protocol.sealKeyBundle(identity, wrapKey)),
    });
    this.user = user;
    this.identity = identity;
    return this;
  }
}

/** b asks, a accepts; returns the room id and key. */
export async function befriend(a, b) {
  const { request } = await b.json('POST', '/api/friends/requests', { username: a.user.username });
  const roomId = protocol.newUuid();
  const roomKey = protocol.newRoomKey();
  const wrappedKeys = [a, b].map((member) => ({
    memberId: member.user.id,
    record: protocol.toBase64(
      protocol.wrapRoomKey(
        roomKey,
        { roomId, epoch: 1, memberId: member.user.id, wrapperId: a.user.id },
        a.identity,
        member.identity.boxPublicKey,
      ),
    ),
  }));
  await a.json('POST', `/api/friends/requests/${request.id}/accept`, { roomId, wrappedKeys });
  return { roomId, roomKey };
}

export { protocol };
