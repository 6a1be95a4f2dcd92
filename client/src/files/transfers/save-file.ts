// Handing a verified file to the person.

import { downloadName } from '../files';

const SAVED_URL_LIFETIME_MS = 60_000;

/** Hands a verified file to the person: a download of a blob: URL, under a safe name. */
export function saveBlob(blob: Blob, name: string): void {
  const file = blob.type === 'application/octet-stream' ? blob : blob.slice(0, blob.size, 'application/octet-stream');
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
}
