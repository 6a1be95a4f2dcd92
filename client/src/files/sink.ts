// Where verified files go: the one thing file transfers hand to the person. The core
// knows no DOM, so whoever runs it says how: a page passes browserFileSink()
// (./browser-sink.ts), the terminal client writes to disk, unit tests keep what they get.

export interface FileSink {
  /**
   * Hands a verified, decrypted file to the person. `name` is already safe to save
   * under (downloadName). Only ever called after every check passed. A rejection is
   * shown on the file's card ("could not be saved").
   */
  save(blob: Blob, name: string): void | Promise<void>;
  /**
   * A URL an image can be shown from (a blob: URL in a page). Left out, or null: no
   * previews here (the file can still be saved).
   */
  previewUrl?(blob: Blob): string | null;
  /** A URL from previewUrl is no longer shown: free it. */
  revokePreviewUrl?(url: string): void;
}
