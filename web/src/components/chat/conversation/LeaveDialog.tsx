import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../ConfirmDialog';

/** Which way out of the conversation is being confirmed, if any. */
export type Confirming = 'remove' | 'block' | null;

interface LeaveDialogProps {
  confirming: Confirming;
  name: string;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before removing or blocking the friend (both delete the conversation). */
export function LeaveDialog({ confirming, name, busy, error, onConfirm, onCancel }: LeaveDialogProps) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      open={confirming !== null}
      title={t(confirming === 'block' ? 'chat.leave.blockTitle' : 'chat.leave.removeTitle', { name })}
      confirmLabel={t(confirming === 'block' ? 'chat.leave.block' : 'chat.leave.remove')}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {confirming === 'block' ? <p>{t('chat.leave.blockText', { name })}</p> : <p>{t('chat.leave.removeText')}</p>}
    </ConfirmDialog>
  );
}
