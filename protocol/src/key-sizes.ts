// Key sizes alone, so that code which only checks a length (fingerprints, pins, forms)
// does not pull in the key derivation, ML-KEM and the native-crypto probe.

export const BOX_PUBLIC_KEY_BYTES = 32;
export const BOX_SECRET_KEY_BYTES = 32;
export const SIGN_PUBLIC_KEY_BYTES = 32;
export const SIGN_SEED_BYTES = 32;
/** tweetnacl's form: seed(32) || public key(32). */
export const SIGN_SECRET_KEY_BYTES = 64;
/** ML-KEM-768 key generation seed: d(32) || z(32) of FIPS 203. */
export const KEM_SEED_BYTES = 64;
export const KEM_PUBLIC_KEY_BYTES = 1184;
export const KEM_SECRET_KEY_BYTES = 2400;
