'use client';

// The account's saved settings (in its sealed key bundle, PROTOCOL.md §6) in the page:
// at log-in the notification choices and the language picked come back; a change made
// here goes to the account. Read receipts go through the session itself. At log-out the
// tab goes back to the defaults, so the next person to log in here starts from theirs.

import {
  DEFAULT_NOTIFY_SETTINGS,
  type AccountSettings,
  type ChatSession,
  type NotifySettings,
} from '@onionchat/client';
import { useEffect } from 'react';
import { i18n, onLanguagePicked, switchLanguage } from '../i18n/i18n';
import { isLanguage } from '../i18n/languages';
import { replaceNotifySettings, saveNotifySettingsTo } from './use-notify-settings';

function notifyOf(settings: AccountSettings): NotifySettings {
  return {
    sound: settings.sound,
    system: settings.systemNotifications,
    preview: settings.previews,
    muted: new Set(settings.muted),
  };
}

function accountOf(notify: NotifySettings): Partial<AccountSettings> {
  return {
    sound: notify.sound,
    systemNotifications: notify.system,
    previews: notify.preview,
    muted: [...notify.muted].sort(),
  };
}

export function useSavedSettings(session: ChatSession | null): void {
  useEffect(() => {
    if (!session) return;
    const saved = session.settings.current;
    replaceNotifySettings(notifyOf(saved));
    if (saved.language && isLanguage(saved.language) && saved.language !== i18n.language) {
      void switchLanguage(saved.language);
    }
    saveNotifySettingsTo((notify) => session.settings.update(accountOf(notify)));
    const stopHearing = onLanguagePicked((language) => session.settings.update({ language }));
    return () => {
      stopHearing();
      saveNotifySettingsTo(null);
      replaceNotifySettings(DEFAULT_NOTIFY_SETTINGS);
    };
  }, [session]);
}
