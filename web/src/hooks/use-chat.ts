'use client';

// React glue for the client core's chat session and the URL fragment that names the
// open conversation (#room=<id>: the site is a static export, so no dynamic routes,
// and a fragment never reaches the server).

import type { Identity } from '@onionchat/client';
import {
  EMPTY_SNAPSHOT,
  startChat,
  type BundleVault,
  type ChatSession,
  type ChatSnapshot,
  type User,
} from '@onionchat/client';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { i18n } from '../i18n/i18n';
import { pageClient } from './page-client';
import { useSavedSettings } from './use-saved-settings';

/** One session per unlocked identity, for as long as the component is mounted. */
export function useChatSession(
  user: User | null,
  identity: Identity | null,
  vault: BundleVault | null,
  onSessionLost: () => void,
) {
  const [session, setSession] = useState<ChatSession | null>(null);
  const lost = useRef(onSessionLost);
  useEffect(() => {
    lost.current = onSessionLost;
  }, [onSessionLost]);
  const userRef = useRef(user);
  useEffect(() => {
    userRef.current = user;
  }, [user]);

  const userId = user?.id ?? null;
  useEffect(() => {
    const current = userRef.current;
    if (!userId || !identity || !current) return;
    const created = startChat(pageClient(), { user: current, identity, vault, onSessionLost: () => lost.current() });
    setSession(created);
    created.start();
    // File keys live in this page only: leaving it mid-transfer loses the transfer.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!created.files.busy) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      created.stop();
      setSession(null);
    };
  }, [userId, identity, vault]);

  useSavedSettings(session);

  // The core words notices and statuses in the interface language when it builds a view.
  useEffect(() => {
    if (!session) return;
    const rephrase = () => session.rephrase();
    i18n.on('languageChanged', rephrase);
    return () => i18n.off('languageChanged', rephrase);
  }, [session]);

  return session;
}

const noSubscribe = () => () => {};
const emptySnapshot = () => EMPTY_SNAPSHOT;

export function useChatSnapshot(session: ChatSession | null): ChatSnapshot {
  return useSyncExternalStore(
    session ? session.subscribe : noSubscribe,
    session ? session.getSnapshot : emptySnapshot,
    emptySnapshot,
  );
}

const ROOM_IN_HASH = /(?:^#|&)room=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:&|$)/;

export function roomFromHash(hash: string): string | null {
  return ROOM_IN_HASH.exec(hash)?.[1] ?? null;
}

export function roomHref(roomId: string): string {
  return `#room=${roomId}`;
}

/** The open conversation, kept in the URL fragment so Back and bookmarks work. */
export function useHashRoom(): [string | null, (roomId: string | null, replace?: boolean) => void] {
  const [roomId, setRoomId] = useState<string | null>(null);

  useEffect(() => {
    const update = () => setRoomId(roomFromHash(window.location.hash));
    update();
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
    };
  }, []);

  const select = useCallback((next: string | null, replace = false) => {
    if (next === roomFromHash(window.location.hash)) return;
    const url = next
      ? `${window.location.pathname}${window.location.search}${roomHref(next)}`
      : `${window.location.pathname}${window.location.search}`;
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    setRoomId(next);
  }, []);

  return [roomId, select];
}

/** Whether the page is on screen (a hidden tab doesn't read messages). */
export function usePageVisible(): boolean {
  return useSyncExternalStore(
    (notify) => {
      document.addEventListener('visibilitychange', notify);
      return () => document.removeEventListener('visibilitychange', notify);
    },
    () => document.visibilityState === 'visible',
    () => true,
  );
}

/** Phones and narrow windows: one pane at a time. */
export const NARROW_QUERY = '(max-width: 47.99rem)';

/** Matches a media query (false during the static render). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', notify);
      return () => list.removeEventListener('change', notify);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}
