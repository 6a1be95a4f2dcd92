// Where encrypted file bytes live. The service streams through this interface and never
// holds a whole file; local disk is the default, and an object store can implement it.
import type { Readable } from 'node:stream';

export const FILE_STORAGE = Symbol('FILE_STORAGE');

export interface StoredObject {
  id: string;
  modifiedAt: Date;
}

export interface FileStorage {
  /**
   * Writes `body` at `offset` (the bytes stored so far). On failure nothing past
   * `offset` is kept, so a retry can start at the same place. Resolves with the count.
   */
  write(id: string, offset: number, body: Readable): Promise<number>;
  /** Bytes `start`..`end` inclusive. */
  read(id: string, start: number, end: number): Readable;
  delete(id: string): Promise<void>;
  /** Everything stored, for sweeping objects whose record is gone. */
  list(): AsyncIterable<StoredObject>;
}
