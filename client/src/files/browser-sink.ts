// THE PAGE'S IMPLEMENTATION of FileSink: it uses `document` and `URL.createObjectURL`,
// so only the web app calls browserFileSink() (and passes the result in). Nothing else
// in the client core may use it: the core runs in Node and in workers too.

import { downloadName } from './file-info.js';
import type { FileSink } from './sink.js';

const SAVED_URL_LIFETIME_MS = 60_000;

/** Saves through a download of a blob: URL; previews from blob: URLs. For a page only. */
export function browserFileSink(): FileSink {
  return {
    save(blob, name) {
      const file =
        blob.type === 'application/octet-stream' ? blob : blob.slice(0, blob.size, 'application/octet-stream');
      const url = URL.createObjectURL(file);
      const link = document.createElement('a');
      link.href = url;
      link.download = downloadName(name);
      link.rel = 'noopener';
      link.style.display = 'none';
      document.body.appendChild(link);
      link.click();
      link.remove();
      // Long enough for the browser to have taken the file; then the URL (and its bytes) go.
      setTimeout(() => URL.revokeObjectURL(url), SAVED_URL_LIFETIME_MS);
    },
    previewUrl: (blob) => URL.createObjectURL(blob),
    revokePreviewUrl: (url) => URL.revokeObjectURL(url),
  };
}
