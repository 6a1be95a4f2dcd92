// One write at a time per file. Storage writes assume nobody else writes the same file
// (a failed write trims what it added), so two requests for one file must not overlap,
// whichever instance they reach. With one instance a set in memory is enough; with
// several, a lease in Redis (see redis/redis-lease.ts).
export const UPLOAD_LOCKS = Symbol('UPLOAD_LOCKS');

export type Release = () => Promise<void>;

export interface UploadLocks {
  /** The lock's release, or null when another request holds it. */
  tryAcquire(fileId: string): Promise<Release | null>;
}

export class MemoryUploadLocks implements UploadLocks {
  private readonly held = new Set<string>();

  tryAcquire(fileId: string): Promise<Release | null> {
    if (this.held.has(fileId)) return Promise.resolve(null);
    this.held.add(fileId);
    return Promise.resolve(() => {
      this.held.delete(fileId);
      return Promise.resolve();
    });
  }
}
