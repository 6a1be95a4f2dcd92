'use client';

// The page's one OnionChat client: same-origin HTTP and socket, the browser's own
// signals, the file worker, and the browser's way of handing over a file.

import { OnionChatClient, browserFileSink, browserPlatform, fetchHttp } from '@onionchat/client';

let instance: OnionChatClient | null = null;

/** Made on first use in the page (never during the static render's module load). */
export function pageClient(): OnionChatClient {
  instance ??= new OnionChatClient({
    http: fetchHttp(),
    platform: browserPlatform(),
    origin: typeof window === 'undefined' ? '' : window.location.origin,
    sink: browserFileSink(),
    // Turbopack bundles the worker only for this exact form: the global Worker and a
    // new URL of a literal path.
    createFileWorker: () => new Worker(new URL('../workers/file-crypto.worker.ts', import.meta.url)),
  });
  return instance;
}
