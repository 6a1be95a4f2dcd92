// The sealed key bundle, kept open in memory so what the account keeps private beside
// its keys (contact pins, and the other extensions) can be written back to it. The wrap
// key stays here (never in any storage) for as long as the keys do, and is wiped with
// them. Every bundle sealed here carries the next revision and the KDF floor, and every
// bundle opened is checked against what this page has already seen (PROTOCOL.md §17).

import {
  BUNDLE_STATE_EXTENSION,
  CONTACT_PINS_EXTENSION,
  ProtocolError,
  UNTRACKED_BUNDLE_STATE,
  bundleDigest,
  checkBundleRevision,
  decodeContactPins,
  encodeBundleState,
  encodeContactPins,
  fromBase64,
  nextBundleState,
  openKeyBundleAsync,
  readBundleState,
  sealKeyBundle,
  signBundleUpdateAsync,
  toBase64,
  withExtension,
  type BundleExtension,
  type BundleState,
  type ContactPin,
  type Identity,
} from '@onionchat/protocol';
import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { sayer } from '../present/phrasebook.js';
import { ApiError } from '../transport/api-error.js';
import type { Api } from '../transport/api.js';

/** A stored bundle changed under us this many times in a row: give up for now. */
const SAVE_ATTEMPTS = 3;

const say = sayer(ACCOUNT_PHRASES);

/** The refusal of an older bundle, in the reader's language (said when thrown). */
export function rolledBackMessage(): string {
  return say('account.keys.rolledBack');
}

/** That refusal's English, for what compares with it (the English browser tests). */
export const ROLLED_BACK_MESSAGE = ACCOUNT_PHRASES['account.keys.rolledBack'];

/** The server handed out an older key bundle than one this page has seen for the account. */
export class BundleRollbackError extends Error {
  constructor() {
    super(rolledBackMessage());
    this.name = 'BundleRollbackError';
  }
}

/**
 * What this page has seen of each account's key bundle: the highest revision and
 * the highest KDF iteration count. Only ever goes up, and lives in memory only, so
 * a later log-in or passphrase change in the same page can refuse what is older or
 * weaker, while nothing about the account is left in the browser's storage.
 */
export class BundleHistory {
  private readonly seen = new Map<string, BundleState>();

  /** What was seen for `username` (canonical); revision 0 and no floor when nothing was. */
  of(username: string): BundleState {
    return { ...(this.seen.get(username) ?? UNTRACKED_BUNDLE_STATE) };
  }

  /** Remembers a bundle's state; throws BundleRollbackError, remembering nothing, when it is older than one seen. */
  accept(username: string, state: BundleState): void {
    const seen = this.of(username);
    try {
      checkBundleRevision(seen.revision, state.revision);
    } catch (error) {
      if (error instanceof ProtocolError && error.code === 'rollback') throw new BundleRollbackError();
      throw error;
    }
    this.seen.set(username, { revision: state.revision, kdfFloor: Math.max(seen.kdfFloor, state.kdfFloor) });
  }

  /** The account derived its keys with `iterations`: the floor rises to it. */
  useIterations(username: string, iterations: number): void {
    const seen = this.of(username);
    this.seen.set(username, { ...seen, kdfFloor: Math.max(seen.kdfFloor, iterations) });
  }
}

/** One Api per page (see OnionChatClient), so its history is the page's. */
const histories = new WeakMap<Api, BundleHistory>();

/** What the page talking through `api` has seen of its accounts' key bundles. */
export function bundleHistory(api: Api): BundleHistory {
  let history = histories.get(api);
  if (!history) {
    history = new BundleHistory();
    histories.set(api, history);
  }
  return history;
}

export class BundleVault {
  private sealed: Uint8Array;
  private extensions: BundleExtension[];
  private wiped = false;
  private pinsProblem: string | null;
  private stateProblem: string | null;
  private readonly history: BundleHistory;

  /**
   * `sealed` and `extensions`: the bundle as just opened (or sealed); `kdfIterations`:
   * what the wrap key was derived with. Throws BundleRollbackError (and wipes
   * `wrapKey`) for a bundle older than one this page has seen for the account.
   */
  constructor(
    private readonly api: Api,
    private readonly userId: string,
    private readonly identity: Identity,
    private readonly wrapKey: Uint8Array,
    sealed: Uint8Array,
    extensions: BundleExtension[],
    private readonly kdfIterations: number,
  ) {
    this.history = bundleHistory(api);
    this.stateProblem = stateProblem(extensions);
    try {
      if (!this.stateProblem) this.history.accept(identity.username, readBundleState(extensions));
    } catch (error) {
      wrapKey.fill(0);
      throw error;
    }
    this.history.useIterations(identity.username, kdfIterations);
    this.sealed = sealed;
    this.extensions = extensions;
    this.pinsProblem = pinsProblem(extensions);
  }

  /**
   * Set when saves are refused for good: the stored pins or the bundle state could
   * not be read (those of a newer client, say), and sealing over them would destroy them.
   */
  get unreadable(): string | null {
    return this.pinsProblem ?? this.stateProblem;
  }

  /** The pins stored in the bundle when it was opened (or last saved); none when they could not be read. */
  pins(): ContactPin[] {
    return this.pinsProblem ? [] : readPins(this.extensions);
  }

  /** The value of extension `type` in the bundle as opened (or last saved), or null. */
  extension(type: number): Uint8Array | null {
    return this.extensions.find((extension) => extension.type === type)?.value.slice() ?? null;
  }

  /**
   * Re-seals the bundle with `build(stored value of type)` as extension `type` and
   * stores it. When another session changed the bundle meanwhile, the stored one is
   * fetched and `build` is called again with its value. Throws BundleRollbackError
   * when the fetched bundle is older than one this page has seen.
   */
  async saveExtension(type: number, build: (stored: Uint8Array | null) => Uint8Array): Promise<void> {
    if (type === BUNDLE_STATE_EXTENSION) throw new Error('The bundle state is written by the vault itself.');
    for (let attempt = 1; ; attempt++) {
      this.checkWritable();
      const extensions = withExtension(this.extensions, type, build(this.extension(type)));
      try {
        await this.store(extensions);
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'bundle_changed') || attempt >= SAVE_ATTEMPTS) throw error;
      }
      await this.reload();
    }
  }

  /**
   * Re-seals the bundle with `pins` and stores it. When another session changed the
   * bundle meanwhile, the stored one is fetched, `merge` combines its pins with ours,
   * and the save is tried again.
   */
  async savePins(pins: ContactPin[], merge: (stored: ContactPin[]) => ContactPin[]): Promise<void> {
    let builds = 0;
    await this.saveExtension(CONTACT_PINS_EXTENSION, (stored) => {
      if (this.pinsProblem) throw new Error(this.pinsProblem);
      builds++;
      return encodeContactPins(builds === 1 ? pins : merge(stored ? decodeContactPins(stored) : []));
    });
  }

  wipe(): void {
    this.wiped = true;
    this.wrapKey.fill(0);
  }

  /** Logged out: the keys are gone, and nothing can be saved into this bundle any more. */
  get locked(): boolean {
    return this.wiped;
  }

  private checkWritable(): void {
    if (this.stateProblem) throw new Error(this.stateProblem);
    // Logged out meanwhile: the keys are zeroed, and sealing with them would destroy the bundle.
    if (this.wiped) throw new Error(say('account.keys.locked'));
  }

  /** Seals `extensions` with the next state and stores them; ApiError bundle_changed when another session saved first. */
  private async store(extensions: BundleExtension[]): Promise<void> {
    const username = this.identity.username;
    const floor = Math.max(this.kdfIterations, this.history.of(username).kdfFloor);
    const state = nextBundleState(readBundleState(this.extensions), floor);
    const withState = withExtension(extensions, BUNDLE_STATE_EXTENSION, encodeBundleState(state));
    const next = sealKeyBundle(this.identity, this.wrapKey, withState);
    const signature = await signBundleUpdateAsync(this.identity, this.userId, this.sealed, next);
    await this.api.replaceBundle({
      keyBundle: toBase64(next),
      replaces: toBase64(bundleDigest(this.sealed)),
      signature: toBase64(signature),
    });
    this.sealed = next;
    this.extensions = withState;
    this.history.accept(username, state);
  }

  private async reload(): Promise<void> {
    const { keyBundle } = await this.api.bundle();
    if (this.wiped) throw new Error(say('account.keys.locked'));
    const sealed = fromBase64(keyBundle);
    const opened = await openKeyBundleAsync(sealed, this.wrapKey, this.identity.username, {
      signPublicKey: this.identity.signPublicKey,
      boxPublicKey: this.identity.boxPublicKey,
    });
    if (this.wiped) throw new Error(say('account.keys.locked'));
    const problem = stateProblem(opened.extensions);
    // Refused before anything is replaced: the next save would otherwise seal over the older copy.
    if (!problem) this.history.accept(this.identity.username, readBundleState(opened.extensions));
    this.sealed = sealed;
    this.extensions = opened.extensions;
    this.stateProblem = problem;
    this.pinsProblem = pinsProblem(opened.extensions);
  }
}

function readPins(extensions: BundleExtension[]): ContactPin[] {
  const stored = extensions.find((extension) => extension.type === CONTACT_PINS_EXTENSION);
  return stored ? decodeContactPins(stored.value) : [];
}

function pinsProblem(extensions: BundleExtension[]): string | null {
  try {
    readPins(extensions);
    return null;
  } catch (error) {
    return error instanceof ProtocolError
      ? say('account.keys.pinsUnreadableDetail', { detail: error.message })
      : say('account.keys.pinsUnreadable');
  }
}

function stateProblem(extensions: BundleExtension[]): string | null {
  try {
    readBundleState(extensions);
    return null;
  } catch (error) {
    return error instanceof ProtocolError
      ? say('account.keys.newerVersionDetail', { detail: error.message })
      : say('account.keys.newerVersion');
  }
}
