'use client';

// New messages alert the person as the core's policy decides: a short sound made with
// the Web Audio API (nothing fetched), and a system notification where the browser
// shows them and the person allowed it. The tab title's unread count is Messenger's.

import { decideAlert, type ChatSession, type ChatSnapshot } from '@onionchat/client';
import { useEffect, useRef } from 'react';
import { playChime, unlockChime } from '../components/chat/notify/chime';
import type { NameOf } from './use-names';
import { notifySettings, systemNotifications } from './use-notify-settings';

export function useAlerts(
  session: ChatSession | null,
  snapshot: ChatSnapshot,
  activeRoomId: string | null,
  nameOf: NameOf,
  onOpen: (roomId: string) => void,
): void {
  // The listener reads the latest of these without subscribing again on every change.
  const latest = useRef({ snapshot, activeRoomId, nameOf, onOpen });
  useEffect(() => {
    latest.current = { snapshot, activeRoomId, nameOf, onOpen };
  }, [snapshot, activeRoomId, nameOf, onOpen]);

  // Browsers let a page play sound only after a click or key press in it.
  useEffect(() => {
    const unlock = () => unlockChime();
    window.addEventListener('pointerdown', unlock, { capture: true });
    window.addEventListener('keydown', unlock, { capture: true });
    return () => {
      window.removeEventListener('pointerdown', unlock, { capture: true });
      window.removeEventListener('keydown', unlock, { capture: true });
    };
  }, []);

  useEffect(() => {
    if (!session) return;
    return session.onIncoming((roomId, items) => {
      const { snapshot: now, activeRoomId: open, nameOf: names } = latest.current;
      const state = now.rooms.get(roomId);
      const group = state?.group ?? null;
      const title = group ? group.title : (state?.peer?.username ?? names(items[0]?.senderId ?? ''));
      const decision = decideAlert(
        { roomId, title, group: group !== null, items, nameOf: names },
        {
          activeRoomId: open,
          visible: document.visibilityState === 'visible',
          focused: document.hasFocus(),
          systemAllowed: systemNotifications() === 'granted',
        },
        notifySettings(),
      );
      if (decision.sound) playChime();
      if (decision.system) showSystemNotice(decision.system, () => latest.current.onOpen(roomId));
    });
  }, [session]);
}

function showSystemNotice(notice: { title: string; body: string; tag: string }, onClick: () => void): void {
  try {
    const shown = new window.Notification(notice.title, { body: notice.body, tag: notice.tag, silent: true });
    shown.onclick = () => {
      window.focus();
      onClick();
      shown.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker (Android): the sound and title still tell.
  }
}
