'use client';

// The page client (./page-client.ts: the account flows, the cryptography, the chat
// start) is loaded on demand, so that no page's first load carries it: a page that
// will need it calls loadPageCore() when it mounts, and it arrives while the person
// reads or types. Whatever exists only once keys are unlocked (an identity, the chat)
// can take it from loadedPageCore(), since unlocking needed it.

import { ApiError, NETWORK_ERROR_MESSAGE } from '@onionchat/client';
import { useEffect } from 'react';

type PageCore = typeof import('./page-client');

let core: PageCore | null = null;
let loading: Promise<PageCore> | null = null;

/** The page client's module; fetched once (again after a failed fetch). */
export function loadPageCore(): Promise<PageCore> {
  loading ??= import('./page-client').then(
    (module) => {
      core = module;
      return module;
    },
    () => {
      // The chunk did not arrive (a dropped circuit): said like any unreachable server,
      // and asked for again next time.
      loading = null;
      throw new ApiError(0, 'network', NETWORK_ERROR_MESSAGE);
    },
  );
  return loading;
}

/** The page client's module if it has arrived (it has, wherever there are unlocked keys). */
export function loadedPageCore(): PageCore | null {
  return core;
}

/** The page client, ready for the first submit: asked for as soon as the page is up. */
export function usePageCoreSoon(): void {
  useEffect(() => {
    // A failure here is met again (and shown) when the page really needs it.
    loadPageCore().catch(() => {});
  }, []);
}

/** The page's OnionChatClient, once its chunk has arrived. */
export async function loadPageClient() {
  return (await loadPageCore()).pageClient();
}
