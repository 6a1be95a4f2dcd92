'use client';

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../ui';
import { ModalDialog } from './ModalDialog';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}

/** A modal question with a dangerous answer; the safe choice gets the focus. */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onCancel,
  children,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <ModalDialog
      open={open}
      title={title}
      onCancel={() => {
        if (!busy) onCancel();
      }}
      notice={error ? <ErrorAlert message={error} /> : null}
      actions={
        <>
          <button type="button" className="button" data-autofocus onClick={onCancel} disabled={busy}>
            {t('chat.confirm.cancel')}
          </button>
          <button type="button" className="button danger-solid" onClick={onConfirm} disabled={busy} aria-busy={busy}>
            {busy ? t('chat.confirm.working') : confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </ModalDialog>
  );
}
