// Contacts' public keys, checked before use: against their self-signature and against
// the contact's pin. Held in memory only and forgotten with the session.

import {
  PUBLIC_KEYS_V1,
  PUBLIC_KEYS_V2,
  ProtocolError,
  decodePublicKeys,
  decodePublicKeysAsync,
  equalBytes,
  fromBase64,
  toHex,
  normalizeUsername,
  type Identity,
  type PublicKeys,
} from '@onionchat/protocol';
import type { PublicUser } from '@onionchat/contract';
import type { ContactPins, PinVerdict } from './pins.js';
import { UntrustedKeyError, VerifyError } from './verify-error.js';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(ACCOUNT_PHRASES);

/** How far this client trusts a contact's keys. */
export type TrustState =
  /** Pinned on first sight, not compared out of band. */
  | 'unverified'
  /** The person compared safety numbers and marked the contact verified. */
  | 'verified'
  /** The server now presents another key than the pinned one. */
  | 'changed'
  /** ...and the pinned key had been verified. */
  | 'changed-verified'
  /** The server's record does not even check out. */
  | 'invalid';

export interface PeerTrust {
  state: TrustState;
  username: string;
  /** The keys the server presents now (self-signature checked), when they are well formed. */
  presented: PublicKeys | null;
}

interface Decoded {
  username: string;
  record: string;
  result: PublicKeys | Error;
}

interface Seen {
  username: string;
  record: string;
  /** Usable keys: well formed and matching the pin. */
  keys: PublicKeys | null;
  presented: PublicKeys | null;
  problem: string | null;
  /** The signing key a group's chain holds for them, hex, when learned as a member ('' otherwise). */
  vouched: string;
  /** The keys presented are not the ones the group's chain holds, and nothing was pinned for them. */
  unvouched: boolean;
}

/**
 * Public keys by user id, checked against their self-signature (which binds the
 * username) and against the contact's pin: the identity key first seen for them,
 * kept in the sealed key bundle so it outlives this session. If the server presents a
 * different key later, or a known username under a new id, or a known id under a new
 * username, that contact's keys stop being trusted until the person reviews the new
 * safety number.
 */
export class KeyDirectory {
  private readonly seen = new Map<string, Seen>();
  /**
   * Each user's record as last decoded (its self-signature checked), by user id: the
   * check is done once per record, natively where the engine can (prepare), and only
   * falls back to a synchronous tweetnacl check for a record nobody prepared.
   */
  private readonly decoded = new Map<string, Decoded>();

  constructor(
    private readonly meId: string,
    private readonly identity: Identity,
    private readonly pins: ContactPins,
  ) {}

  /**
   * Checks these users' records' self-signatures ahead of use, through the engine's
   * native Ed25519 where it has one (about 120 ms each in tweetnacl with the JIT off,
   * a fraction of a millisecond natively). Never throws: what a record is worth is
   * decided when it is used.
   */
  async prepare(users: readonly PublicUser[]): Promise<void> {
    await Promise.all(
      users.map(async (user) => {
        if (user.id === this.meId || this.decodedFor(user)) return;
        let result: PublicKeys | Error;
        try {
          result = await decodePublicKeysAsync(fromBase64(user.publicKeys), user.username, user.id);
        } catch (error) {
          // A record that is not even base64 lands here too: prepare never throws.
          result = asError(error);
        }
        this.decoded.set(user.id, { username: user.username, record: user.publicKeys, result });
      }),
    );
  }

  /**
   * Verifies (and pins, on first sight) a user's keys as the server presents them.
   * Throws VerifyError. `vouched`: the signing key a group's verified chain holds for
   * them (an admin who knew them vouched for it). Presented keys that differ from it are
   * never pinned on first sight: pinning them would vouch for a key the server slipped
   * in, and the real one would later look like a change. Such keys are returned
   * unpinned: a caller that passes `vouched` must compare the keys with the chain's.
   */
  learn(user: PublicUser, vouched?: Uint8Array): PublicKeys {
    if (user.id === this.meId) return this.mine();
    const vouchedHex = vouched ? toHex(vouched) : '';
    let entry = this.seen.get(user.id);
    if (
      !entry ||
      entry.username !== user.username ||
      entry.record !== user.publicKeys ||
      (entry.unvouched && entry.vouched !== vouchedHex)
    ) {
      entry = this.check(user, vouched);
      this.seen.set(user.id, entry);
    }
    if (entry.keys) return entry.keys;
    // Returned unpinned: the caller compares them with the chain's and refuses them in its own words.
    if (entry.unvouched && entry.presented) return entry.presented;
    const problem = entry.problem ?? say('account.trust.keysUnchecked');
    // Well-formed keys that only differ from the pin become usable when the person accepts them.
    throw entry.presented ? new UntrustedKeyError(user.id, problem) : new VerifyError(problem);
  }

  /** The contact's keys as presented now may be used (they match the pin, or the person accepted them). */
  trusts(userId: string): boolean {
    return Boolean(this.seen.get(userId)?.keys);
  }

  /** What this client makes of a contact's keys (null: not seen yet). */
  trust(userId: string): PeerTrust | null {
    const entry = this.seen.get(userId);
    if (!entry) return null;
    let state: TrustState;
    if (!entry.presented) state = 'invalid';
    else {
      // The id's pin, or the one of the same name under another id: the contact these keys replace.
      const verified = this.pins.pinFor(userId, entry.username)?.verified ?? false;
      if (!entry.keys) state = verified ? 'changed-verified' : 'changed';
      else state = verified ? 'verified' : 'unverified';
    }
    return { state, username: entry.username, presented: entry.presented };
  }

  /**
   * What this client would make of a user's keys as presented, without pinning or
   * remembering anything: a friend request is judged before the person accepts it, so a
   * known name under a new id with other keys is a change even before any conversation.
   * 'new' when no pin knows the id or the name.
   */
  judge(user: PublicUser): TrustState | 'new' {
    if (user.id === this.meId) return 'verified';
    const presented = this.presentedKeys(user);
    if (!presented) return 'invalid';
    const verdict = this.pins.compare(user.id, user.username, presented.signPublicKey);
    if (verdict === 'new') return 'new';
    const verified = this.pins.pinFor(user.id, user.username)?.verified ?? false;
    if (verdict === 'changed') return verified ? 'changed-verified' : 'changed';
    return verified ? 'verified' : 'unverified';
  }

  /** A user's self-signature-checked keys as presented (null when they do not check out), decoded once per record. */
  private presentedKeys(user: PublicUser): PublicKeys | null {
    const result = this.decode(user);
    return result instanceof Error ? null : result;
  }

  /** The record's keys, or why it does not check out; decoded once per record. */
  private decode(user: PublicUser): PublicKeys | Error {
    const cached = this.decodedFor(user);
    if (cached) return cached.result;
    let result: PublicKeys | Error;
    try {
      result = decodePublicKeys(fromBase64(user.publicKeys), user.username, user.id);
    } catch (error) {
      result = asError(error);
    }
    this.decoded.set(user.id, { username: user.username, record: user.publicKeys, result });
    return result;
  }

  private decodedFor(user: PublicUser): Decoded | null {
    const cached = this.decoded.get(user.id);
    return cached && cached.username === user.username && cached.record === user.publicKeys ? cached : null;
  }

  /**
   * The person reviewed the keys presented now: pin them (as verified, or not) and
   * use them from now on.
   */
  accept(userId: string, verified: boolean): void {
    const entry = this.seen.get(userId);
    if (!entry?.presented) throw new VerifyError(say('account.trust.nothingToAccept'));
    // Keys a group's chain contradicts are the server's word against an admin's: not for a click to settle.
    if (entry.unvouched) throw new VerifyError(entry.problem ?? say('account.trust.notHeldByGroup'));
    this.pins.trust(userId, entry.username, entry.presented.signPublicKey, verified);
    entry.keys = entry.presented;
    entry.problem = null;
    // That name's pins under other ids are gone: what those ids presented is a change now.
    const name = normalizeUsername(entry.username);
    for (const [otherId, other] of this.seen) {
      if (otherId === userId || normalizeUsername(other.username) !== name) continue;
      this.seen.set(otherId, this.check({ id: otherId, username: other.username, publicKeys: other.record }));
    }
  }

  /** This account's own keys come from the unlocked identity, never from the server. */
  mine(): PublicKeys {
    const { signPublicKey, boxPublicKey, kem } = this.identity;
    return kem
      ? { version: PUBLIC_KEYS_V2, signPublicKey, boxPublicKey, kemPublicKey: kem.publicKey }
      : { version: PUBLIC_KEYS_V1, signPublicKey, boxPublicKey, kemPublicKey: null };
  }

  /** Keys that differ from the chain's, for someone no pin knows yet: not to be pinned. */
  private unvouched(user: PublicUser, presented: PublicKeys, vouched: Uint8Array): boolean {
    if (equalBytes(presented.signPublicKey, vouched)) return false;
    return this.pins.compare(user.id, user.username, presented.signPublicKey) === 'new';
  }

  private check(user: PublicUser, vouched?: Uint8Array): Seen {
    const entry: Seen = {
      username: user.username,
      record: user.publicKeys,
      keys: null,
      presented: null,
      problem: null,
      vouched: vouched ? toHex(vouched) : '',
      unvouched: false,
    };
    let presented: PublicKeys;
    let verdict: PinVerdict;
    try {
      // The record must be signed for this name and, from v2 on, name this id: a record
      // of whoever held the name before (or of another account) does not pass.
      const decoded = this.decode(user);
      if (decoded instanceof Error) throw decoded;
      presented = decoded;
      if (vouched && this.unvouched(user, presented, vouched)) {
        entry.presented = presented;
        entry.unvouched = true;
        entry.problem = say('account.trust.notGroupKeys', { name: user.username });
        return entry;
      }
      verdict = this.pins.check(user.id, user.username, presented.signPublicKey);
    } catch (error) {
      entry.problem = recordProblem(user.username, error);
      return entry;
    }
    entry.presented = presented;
    if (verdict === 'changed') {
      const verified = this.pins.pinFor(user.id, user.username)?.verified;
      entry.problem = say(verified ? 'account.trust.verifiedChanged' : 'account.trust.changed', {
        name: user.username,
      });
      return entry;
    }
    entry.keys = presented;
    return entry;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function recordProblem(username: string, error: unknown): string {
  const code = error instanceof ProtocolError ? error.code : null;
  if (code === 'bad-signature') return say('account.trust.badSignature', { name: username });
  if (code === 'context-mismatch') return say('account.trust.otherAccount', { name: username });
  return say('account.trust.malformed', { name: username });
}
