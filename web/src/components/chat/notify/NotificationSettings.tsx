'use client';

// How this tab alerts for new messages. Settings last as long as the tab (nothing is
// stored in the browser). System notifications are offered only where the browser has
// them: Tor Browser does not, and then the dialog says so plainly.

import type { ChatSession, ListedConversation } from '@onionchat/client';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../ModalDialog';
import { ReadReceiptsSetting } from '../message-actions/ReadReceiptsSetting';
import {
  askForSystemNotifications,
  updateNotifySettings,
  useNotifySettings,
  useSystemNotifications,
  type SystemNotifications,
} from '../../../hooks/use-notify-settings';
import './notify.css';

interface NotificationSettingsProps {
  open: boolean;
  conversations: readonly ListedConversation[];
  /** For the read-receipts choice, which is the session's. */
  session: ChatSession | null;
  readReceipts: boolean;
  onClose: () => void;
}

/** The chat's settings for this tab: notifications, and read receipts. */
export function NotificationSettings({
  open,
  conversations,
  session,
  readReceipts,
  onClose,
}: NotificationSettingsProps) {
  const { t } = useTranslation();
  const settings = useNotifySettings();
  const system = useSystemNotifications();
  const soundId = useId();
  return (
    <ModalDialog
      open={open}
      title={t('chat.sidebar.settings')}
      className="notify-dialog"
      testId="notification-settings"
      onCancel={onClose}
      actions={
        <button type="button" className="button primary" data-autofocus onClick={onClose}>
          {t('chat.settings.done')}
        </button>
      }
    >
      <p className="small">{t('chat.settings.lasts')}</p>
      <h3 className="settings-heading">{t('chat.settings.notifications')}</h3>
      <p className="small">{t('chat.settings.tabTitle')}</p>
      <p className="notify-option">
        <input
          id={soundId}
          type="checkbox"
          checked={settings.sound}
          data-testid="notify-sound"
          onChange={(event) => updateNotifySettings({ sound: event.target.checked })}
        />
        <label htmlFor={soundId}>{t('chat.settings.sound')}</label>
      </p>
      <SystemSection state={system} />
      {conversations.length > 0 ? <MutedConversations conversations={conversations} /> : null}
      {session ? (
        <>
          <h3 className="settings-heading">{t('chat.settings.receipts')}</h3>
          <ReadReceiptsSetting session={session} on={readReceipts} />
        </>
      ) : null}
    </ModalDialog>
  );
}

function SystemSection({ state }: { state: SystemNotifications }) {
  const { t } = useTranslation();
  const settings = useNotifySettings();
  const [asking, setAsking] = useState(false);
  const systemId = useId();
  const previewId = useId();
  const previewHintId = useId();
  if (state === 'unsupported') {
    return (
      <p className="notify-note" data-testid="system-notifications-unavailable">
        {t('chat.settings.systemUnsupported')}
      </p>
    );
  }
  if (state === 'denied') {
    return (
      <p className="notify-note" data-testid="system-notifications-denied">
        {t('chat.settings.systemDenied')}
      </p>
    );
  }
  if (state === 'default') {
    return (
      <p className="notify-note">
        <button
          type="button"
          className="button small"
          data-testid="allow-system-notifications"
          aria-busy={asking}
          disabled={asking}
          onClick={() => {
            setAsking(true);
            void askForSystemNotifications().finally(() => setAsking(false));
          }}
        >
          {t('chat.settings.allowSystem')}
        </button>{' '}
        <span className="small muted">{t('chat.settings.browserAsks')}</span>
      </p>
    );
  }
  return (
    <>
      <p className="notify-option">
        <input
          id={systemId}
          type="checkbox"
          checked={settings.system}
          data-testid="notify-system"
          onChange={(event) => updateNotifySettings({ system: event.target.checked })}
        />
        <label htmlFor={systemId}>{t('chat.settings.showSystem')}</label>
      </p>
      <p className="notify-option">
        <input
          id={previewId}
          type="checkbox"
          checked={settings.preview}
          disabled={!settings.system}
          aria-describedby={previewHintId}
          data-testid="notify-preview"
          onChange={(event) => updateNotifySettings({ preview: event.target.checked })}
        />
        <label htmlFor={previewId}>{t('chat.settings.preview')}</label>
      </p>
      <p id={previewHintId} className="hint small">
        {t('chat.settings.previewHint')}
      </p>
    </>
  );
}

function MutedConversations({ conversations }: { conversations: readonly ListedConversation[] }) {
  const { t } = useTranslation();
  const settings = useNotifySettings();
  function toggle(roomId: string, muted: boolean) {
    const next = new Set(settings.muted);
    if (muted) next.add(roomId);
    else next.delete(roomId);
    updateNotifySettings({ muted: next });
  }
  return (
    <fieldset className="notify-muted">
      <legend>{t('chat.settings.mute')}</legend>
      <ul>
        {conversations.map((conversation) => (
          <li key={conversation.roomId}>
            <label>
              <input
                type="checkbox"
                checked={settings.muted.has(conversation.roomId)}
                data-testid="notify-mute"
                onChange={(event) => toggle(conversation.roomId, event.target.checked)}
              />{' '}
              {conversation.title}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
