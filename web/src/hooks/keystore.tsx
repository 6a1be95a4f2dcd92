'use client';

// In-memory key store. The unlocked identity lives only in React state for the
// lifetime of this tab: nothing is written to localStorage, sessionStorage,
// IndexedDB or cookies. A reload forgets the keys; the HttpOnly session cookie
// may survive, in which case the app knows *who* is logged in ("locked") and
// asks for the passphrase again to unlock.

import type { Identity } from '@onionchat/client';
import { ApiError, type BundleVault, type User } from '@onionchat/client';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { i18n } from '../i18n/i18n';
import { pageApi } from './api';
import { loadedPageCore } from './client';

// Keys only ever come out of the page client's account flows, so wherever there is an
// identity, the page client has arrived: the layout itself never loads it.
function wipeIdentity(identity: Identity | null): void {
  if (identity) loadedPageCore()?.wipeIdentity(identity);
}

function identityFingerprint(identity: Identity): string | null {
  return loadedPageCore()?.identityFingerprint(identity) ?? null;
}

export type KeystoreStatus =
  /** Asking the server whether this browser has a session. */
  | 'loading'
  /** No session. */
  | 'anonymous'
  /** A session exists, but the keys are not in memory (e.g. after a reload). */
  | 'locked'
  /** Session and keys: fully usable. */
  | 'unlocked';

export interface Keystore {
  status: KeystoreStatus;
  user: User | null;
  identity: Identity | null;
  /** The open key bundle (contact pins are saved through it). */
  vault: BundleVault | null;
  /** Fingerprint of the unlocked identity's public keys. */
  fingerprint: string | null;
  /** A one-off message for the next page (e.g. "You have been logged out."). */
  notice: string | null;
  setNotice: (notice: string | null) => void;
  /** Store freshly unlocked keys. */
  unlocked: (user: User, identity: Identity, vault: BundleVault) => void;
  /** Update the account record without touching the keys. */
  setUser: (user: User) => void;
  /** Forget the keys and the user (after logging out, or when the session is gone). */
  clear: (notice?: string | null) => void;
}

interface State {
  status: KeystoreStatus;
  user: User | null;
  identity: Identity | null;
  vault: BundleVault | null;
}

const KeystoreContext = createContext<Keystore | null>(null);

export function KeystoreProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading', user: null, identity: null, vault: null });
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped whenever the state is set explicitly, so a slow initial check can't overwrite it.
  const generation = useRef(0);
  const stateRef = useRef(state);

  /** Keeps the ref in step immediately, so callbacks fired before the next render see it. */
  const commit = useCallback((next: State) => {
    stateRef.current = next;
    setState(next);
  }, []);

  const unlocked = useCallback(
    (user: User, identity: Identity, vault: BundleVault) => {
      generation.current += 1;
      const previous = stateRef.current.identity;
      if (previous && previous !== identity) wipeIdentity(previous);
      if (stateRef.current.vault !== vault) stateRef.current.vault?.wipe();
      commit({ status: 'unlocked', user, identity, vault });
    },
    [commit],
  );

  const setUser = useCallback(
    (user: User) => {
      generation.current += 1;
      const { identity, vault } = stateRef.current;
      commit({ status: identity ? 'unlocked' : 'locked', user, identity, vault });
    },
    [commit],
  );

  const clear = useCallback(
    (message: string | null = null) => {
      generation.current += 1;
      wipeIdentity(stateRef.current.identity);
      stateRef.current.vault?.wipe();
      commit({ status: 'anonymous', user: null, identity: null, vault: null });
      setNotice(message);
    },
    [commit],
  );

  // Who is logged in? (The session cookie is HttpOnly, so only the server can say.)
  useEffect(() => {
    const startedAt = generation.current;
    let cancelled = false;
    // Asked on the page's Api (the layout does not wait for the account flows' chunk), of
    // the route that answers a visitor with null: no 401 in the console on every page load.
    pageApi()
      .sessionUser()
      .then(
        ({ user }) => {
          if (cancelled || generation.current !== startedAt) return;
          commit({ status: user ? 'locked' : 'anonymous', user, identity: null, vault: null });
        },
        (error: unknown) => {
          if (cancelled || generation.current !== startedAt) return;
          commit({ status: 'anonymous', user: null, identity: null, vault: null });
          if (error instanceof ApiError && error.status !== 401) {
            setNotice(error.code === 'network' ? i18n.t('errors.network') : error.message);
          }
        },
      );
    return () => {
      cancelled = true;
    };
  }, [commit]);

  // The session can end behind our back (expiry, "log out everywhere" on another device).
  useEffect(
    () =>
      pageApi().onSessionLost(() => {
        const { status } = stateRef.current;
        if (status === 'locked' || status === 'unlocked') {
          clear(i18n.t('errors.sessionEnded'));
        }
      }),
    [clear],
  );

  // Forget the keys when the tab goes away (best effort).
  useEffect(() => {
    const onPageHide = (event: PageTransitionEvent) => {
      if (event.persisted) return;
      wipeIdentity(stateRef.current.identity);
      stateRef.current.vault?.wipe();
    };
    window.addEventListener('pagehide', onPageHide);
    return () => window.removeEventListener('pagehide', onPageHide);
  }, []);

  const fingerprint = useMemo(() => (state.identity ? identityFingerprint(state.identity) : null), [state.identity]);

  const value = useMemo<Keystore>(
    () => ({
      status: state.status,
      user: state.user,
      identity: state.identity,
      vault: state.vault,
      fingerprint,
      notice,
      setNotice,
      unlocked,
      setUser,
      clear,
    }),
    [state, fingerprint, notice, unlocked, setUser, clear],
  );

  return <KeystoreContext.Provider value={value}>{children}</KeystoreContext.Provider>;
}

export function useKeystore(): Keystore {
  const keystore = useContext(KeystoreContext);
  if (!keystore) throw new Error('useKeystore must be used inside <KeystoreProvider>.');
  return keystore;
}

/**
 * Takes the one-off notice (if any) and keeps showing it on this page.
 * Clearing the shared copy means the next page doesn't repeat it.
 */
export function useNotice(): string | null {
  const { notice, setNotice } = useKeystore();
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    if (notice) {
      setShown(notice);
      setNotice(null);
    }
  }, [notice, setNotice]);
  return shown;
}
