import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../ConfirmDialog';

interface LeaveGroupDialogProps {
  open: boolean;
  title: string;
  /** Already out of the group: only the conversation is removed from this list. */
  gone: boolean;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before leaving a group (or dropping one this account is no longer in). */
export function LeaveGroupDialog({ open, title, gone, busy, error, onConfirm, onCancel }: LeaveGroupDialogProps) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      open={open}
      title={t(gone ? 'group.leave.removeTitle' : 'group.leave.leaveTitle', { name: title })}
      confirmLabel={t(gone ? 'group.leave.remove' : 'group.leave.leave')}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {gone ? <p>{t('group.leave.goneText')}</p> : <p>{t('group.leave.leaveText')}</p>}
    </ConfirmDialog>
  );
}
