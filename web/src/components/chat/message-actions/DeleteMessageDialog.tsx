'use client';

import type { ChatItem } from '@onionchat/client';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../ConfirmDialog';

/** Asks before deleting a message for everyone, saying what that does and does not do. */
export function DeleteMessageDialog({
  item,
  error,
  onConfirm,
  onCancel,
}: {
  item: ChatItem | null;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      open={item !== null}
      title={t('chat.actions.deleteTitle')}
      confirmLabel={t('chat.actions.delete')}
      busy={false}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>{item?.file ? t('chat.actions.deleteFileText') : t('chat.actions.deleteText')}</p>
      <p>{t('chat.actions.deleteLimit')}</p>
    </ConfirmDialog>
  );
}
