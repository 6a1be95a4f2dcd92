// Where encrypted file bytes live. The service streams through this interface and never
// holds a whole file; local disk is the default, and an object store can implement it.
import type { Readable } from 'node:stream';
import { ApiError } from '../common/api-error.js';

export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** The store itself failed (not the client): answered as 503 so the client retries later. */
export class StorageUnavailableError extends ApiError {
  constructor() {
    super(503, 'storage_unavailable', 'File storage cannot be reached right now. Try again in a moment.');
  }
}

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

/**
 * Deletes the bytes of files whose records are already gone. Where the store cannot be
 * reached, the file sweeper removes them later (it deletes objects without a record).
 */
export async function deleteBytesOf(storage: FileStorage, ids: Iterable<string>): Promise<void> {
  for (const id of ids) {
    await storage.delete(id).catch((err: unknown) => {
      if (!(err instanceof StorageUnavailableError)) throw err;
    });
  }
}
