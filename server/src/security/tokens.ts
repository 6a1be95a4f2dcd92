// Bearer secrets (session tokens, invite tokens): 32 random bytes in base64url. Only
// their SHA-256 is stored, so a database leak yields nothing usable.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const newToken = (): string => randomBytes(32).toString('base64url');

/** False for anything that cannot be a token, so garbage never reaches the database. */
export const isToken = (text: string): boolean => TOKEN_PATTERN.test(text);

export const hashToken = (token: string): Uint8Array => new Uint8Array(createHash('sha256').update(token).digest());
