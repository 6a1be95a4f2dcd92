// The server's slow hash of the client's auth key (scrypt, OWASP's N=2^14 r=8 p=5 by
// default). Even though the auth key is already stretched in the browser, a stolen
// database must not let anyone log in or cheaply test passphrase guesses.
// Format: scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>, so parameters can rise.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface HashParams {
  logN: number;
  r: number;
  p: number;
}

const SALT_BYTES = 16;
const HASH_BYTES = 32;

function scryptAsync(secret: Uint8Array, salt: Uint8Array, params: HashParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, HASH_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashAuthKey(authKey: Uint8Array, params: HashParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(authKey, salt, params);
  return ['scrypt', params.logN, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

function parse(encoded: string): { params: HashParams; salt: Buffer; hash: Buffer } | null {
  const [kind, logN, r, p, salt, hash] = encoded.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return null;
  return {
    params: { logN: Number(logN), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
}

export async function verifyAuthKey(authKey: Uint8Array, encoded: string): Promise<boolean> {
  const stored = parse(encoded);
  if (!stored) return false;
  const candidate = await scryptAsync(authKey, stored.salt, stored.params);
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}

/** True when a stored hash used weaker parameters than the current ones. */
export function needsRehash(encoded: string, current: HashParams): boolean {
  const stored = parse(encoded)?.params;
  return !stored || stored.logN < current.logN || stored.r < current.r || stored.p < current.p;
}
