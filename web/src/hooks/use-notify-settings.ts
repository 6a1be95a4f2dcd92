'use client';

// The notification settings, in this tab's memory: nothing the chat does may leave a
// trace in the browser. While a chat session runs they are the account's (saved in its
// sealed key bundle, see use-saved-settings.ts), so they come back at the next log-in.

import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from '@onionchat/client';
import { useSyncExternalStore } from 'react';

/** What the browser lets this page do with system notifications. */
export type SystemNotifications = 'unsupported' | 'default' | 'granted' | 'denied';

let settings: NotifySettings = DEFAULT_NOTIFY_SETTINGS;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifySettings(): NotifySettings {
  return settings;
}

/** Where a change goes besides this tab: the account's saved settings, while a session runs. */
let saveTo: ((settings: NotifySettings) => void) | null = null;

/** A person changed a setting: shown at once, and saved with the account. */
export function updateNotifySettings(patch: Partial<NotifySettings>): void {
  replaceNotifySettings({ ...settings, ...patch });
  saveTo?.(settings);
}

/** Settings from elsewhere (the account's, at log-in; the defaults, at log-out): not saved back. */
export function replaceNotifySettings(next: NotifySettings): void {
  settings = next;
  for (const listener of listeners) listener();
}

/** Sends every change a person makes to `save` (null: to nothing). */
export function saveNotifySettingsTo(save: ((settings: NotifySettings) => void) | null): void {
  saveTo = save;
}

export function useNotifySettings(): NotifySettings {
  return useSyncExternalStore(subscribe, notifySettings, () => DEFAULT_NOTIFY_SETTINGS);
}

/**
 * Whether this browser shows system notifications. Tor Browser turns the API off
 * (there is no `Notification` at all), and a person may have refused it: both read as
 * "not shown here", never as an error.
 */
export function systemNotifications(): SystemNotifications {
  if (typeof window === 'undefined' || !('Notification' in window)) return 'unsupported';
  const permission = window.Notification.permission;
  return permission === 'granted' || permission === 'denied' ? permission : 'default';
}

/** Asks for permission (call it from a click: browsers ignore a request made without one). */
export async function askForSystemNotifications(): Promise<SystemNotifications> {
  if (systemNotifications() === 'unsupported') return 'unsupported';
  try {
    await window.Notification.requestPermission();
  } catch {
    // An older browser's callback-only form, or a refusal: the permission says which.
  }
  const now = systemNotifications();
  for (const listener of listeners) listener();
  return now;
}

/** The browser's answer, read again whenever the settings change (asking updates it too). */
export function useSystemNotifications(): SystemNotifications {
  return useSyncExternalStore(subscribe, systemNotifications, () => 'unsupported');
}
