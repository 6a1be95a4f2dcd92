// Chain marks: per conversation and sender, the newest sender chain this account has
// accepted and how far it got. Saved into the sealed key bundle (a few seconds after
// a change, and at log-out), so a message the server delivers again is caught in a
// later session, in another browser (PROTOCOL.md §18).

import {
  CHAIN_MARKS_EXTENSION,
  chainMarkFor,
  decodeChainMarks,
  encodeChainMarks,
  judgeAgainstMark,
  mergeChainMarks,
  updateChainMarks,
  type ChainMark,
  type ChainPosition,
} from '@onionchat/protocol';
import { BundleSaver } from './bundle-saver.js';
import type { BundleVault } from './vault.js';

/** Saves wait this long after a change, so a burst of messages is one bundle write. */
export const CHAIN_MARKS_SAVE_DELAY_MS = 5_000;
const SAVE_RETRY_MS = 30_000;

/** What the marks need of the key bundle. */
export type ExtensionVault = Pick<BundleVault, 'extension' | 'saveExtension'>;

export class ChainMarks {
  private marks: ChainMark[];
  /** Stored marks this client cannot read (a newer client's): never overwritten. */
  private unreadable: boolean;
  private readonly saver = new BundleSaver({
    save: () => this.save(),
    // Not saved this time (offline, or the bundle is locked): try again later, unless
    // the stored marks turned out to be a newer client's, which are never overwritten.
    retryIn: () => (this.unreadable ? null : SAVE_RETRY_MS),
  });

  constructor(private vault: ExtensionVault | null) {
    const { marks, unreadable } = readStored(vault?.extension(CHAIN_MARKS_EXTENSION) ?? null);
    this.marks = marks;
    this.unreadable = unreadable;
  }

  /** The bundle was re-sealed under a new passphrase in this session: saves go to it from now on. */
  useVault(vault: ExtensionVault): void {
    this.vault = vault;
  }

  /** 'replayed' when a verified message contradicts the mark of its room and sender. */
  judge(roomId: string, senderId: string, position: ChainPosition): 'ok' | 'replayed' {
    return judgeAgainstMark(chainMarkFor(this.marks, roomId, senderId), position);
  }

  /** A verified, accepted message: the marks move on, and are saved shortly. */
  accept(roomId: string, senderId: string, position: ChainPosition): void {
    const next = updateChainMarks(this.marks, { roomId, senderId, ...position });
    if (sameMarks(next, this.marks)) return;
    this.marks = next;
    if (this.vault && !this.unreadable) this.saver.schedule(CHAIN_MARKS_SAVE_DELAY_MS);
  }

  /** The mark of a room and sender now (for tests and diagnostics). */
  markOf(roomId: string, senderId: string): ChainMark | null {
    return chainMarkFor(this.marks, roomId, senderId);
  }

  /** Saves now what is waiting (log-out). */
  flush(): Promise<void> {
    return this.saver.flush();
  }

  stop(): void {
    this.saver.stop();
  }

  private async save(): Promise<void> {
    if (!this.vault || this.unreadable) return;
    await this.vault.saveExtension(CHAIN_MARKS_EXTENSION, (stored) => {
      // Another session's marks are kept: each (room, sender) keeps the newer mark.
      const { marks, unreadable } = readStored(stored);
      if (unreadable) {
        this.unreadable = true;
        throw new Error('the stored chain marks could not be read');
      }
      return encodeChainMarks(mergeChainMarks(this.marks, marks));
    });
  }
}

function readStored(value: Uint8Array | null): { marks: ChainMark[]; unreadable: boolean } {
  if (value === null) return { marks: [], unreadable: false };
  try {
    return { marks: decodeChainMarks(value), unreadable: false };
  } catch {
    return { marks: [], unreadable: true };
  }
}

function sameMarks(a: readonly ChainMark[], b: readonly ChainMark[]): boolean {
  return a.length === b.length && a.every((mark, index) => mark === b[index]);
}
