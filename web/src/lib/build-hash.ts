// The build hash of the web client this browser was served: SHA-256 of the build's
// manifest (web/scripts/build-manifest.mjs lists every served file with its SHA-256).
// Fetched from the server rather than compiled in, so it tells what was actually served;
// `npm run verify-instance` on another machine computes the same hash from its own build.

export const MANIFEST_PATH = '/build-manifest.json';

export type BuildHash = { hash: string } | { problem: string };

export async function servedBuildHash(): Promise<BuildHash> {
  if (!globalThis.crypto?.subtle) {
    return { problem: 'This browser cannot compute the hash on this page (it does not count the address as secure).' };
  }
  let response: Response;
  try {
    response = await fetch(MANIFEST_PATH, { cache: 'no-store', credentials: 'omit' });
  } catch {
    return { problem: 'The build manifest could not be fetched. Reload the page to try again.' };
  }
  if (!response.ok) return { problem: `The server has no build manifest (it answered ${response.status}).` };
  const digest = await crypto.subtle.digest('SHA-256', await response.arrayBuffer());
  return { hash: [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('') };
}
