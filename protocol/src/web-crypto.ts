import { webCryptoBytes } from './bytes.js';

const SHA_256 = 'SHA-256';

/** SHA-256 in WebCrypto: native code, so it is fast even with the JavaScript JIT turned off. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest(SHA_256, webCryptoBytes(bytes)));
}

export function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (api === undefined) {
    // Browsers only expose crypto.subtle in secure contexts; .onion sites count as such in Tor Browser.
    throw new Error('WebCrypto (crypto.subtle) is not available in this context.');
  }
  return api;
}
