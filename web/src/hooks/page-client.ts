'use client';

// The page's one OnionChat client: same-origin HTTP and socket, the browser's own
// signals, the file worker, and the browser's way of handing over a file. It carries the
// account flows and so all of the cryptography: it is a chunk of its own, loaded
// through ./client.ts (loadPageCore), never part of a page's first load.

import {
  OnionChatClient,
  afterLoginPath,
  browserFileSink,
  browserPlatform,
  identityFingerprint,
  wipeIdentity,
} from '@onionchat/client';
import { pageApi } from './api';

export { afterLoginPath, identityFingerprint, wipeIdentity };

let instance: OnionChatClient | null = null;

export function pageClient(): OnionChatClient {
  if (!instance) {
    const api = pageApi();
    instance = new OnionChatClient({
      api,
      http: api.http,
      platform: browserPlatform(),
      origin: window.location.origin,
      sink: browserFileSink(),
      // Turbopack bundles the worker only for this exact form: the global Worker and a
      // new URL of a literal path.
      createFileWorker: () => new Worker(new URL('../workers/file-crypto.worker.ts', import.meta.url)),
    });
  }
  return instance;
}
