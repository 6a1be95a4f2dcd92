// The per-account log-in limit, built so that guessing is slow but a stranger cannot
// lock the owner out (docs/THREAT_MODEL.md, "Log-in limits"):
// - every client (tor circuit) has its own small budget per account, so a stranger's
//   guesses spend only their own circuit's;
// - the account's budget over all clients, once spent, refuses only clients that have
//   already tried this account in the window: a first attempt from a new circuit (the
//   owner's, usually) still gets through, so a stranger pays for a new circuit per guess;
// - sessions are never touched, and a passphrase change proves the old passphrase
//   through its own budget (account.service.ts), not this one.
// Attempts are counted before the slow check, successes included: counting only
// failures would need the count after the check, and parallel guesses could then all
// pass it before any failure is recorded.
import { createHash } from 'node:crypto';
import { normalizeUsername } from '@onionchat/protocol';
import type { RateLimiter } from '../common/rate-limiter.js';
import { rateLimited } from '../common/rate-limit.js';

/** Counters are keyed by a digest of the name: Redis need not hold who is being guessed at. */
const accountKey = (username: string) =>
  createHash('sha256').update(normalizeUsername(username)).digest('hex').slice(0, 32);

/** Admits one log-in attempt on `username` from `client` (clientKey), or throws 429. */
export async function admitLogin(limiter: RateLimiter, username: string, client: string): Promise<void> {
  const account = accountKey(username);
  const mine = await limiter.count('login-client', `${account}:${client}`);
  if (mine.over) throw rateLimited('login-client', mine.retryAfter);
  const all = await limiter.count('login', account);
  if (all.over && mine.count > 1) throw rateLimited('login', all.retryAfter);
}
