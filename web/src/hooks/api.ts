'use client';

// The page's one connection to the HTTP API: who is logged in, the server's
// configuration, and the "session lost" signal. Light (the API and its answer schemas,
// no cryptography), so every page can ask at once; the account flows and the chat,
// which need the cryptography, come with the page client (./client.ts) and share this
// same Api.

import { Api, fetchHttp } from '@onionchat/client';

let api: Api | null = null;

/** Made on first use in the page (never during the static render's module load). */
export function pageApi(): Api {
  api ??= new Api(fetchHttp());
  return api;
}
