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
  return (
    <ConfirmDialog
      open={open}
      title={gone ? `Remove ${title} from your conversations?` : `Leave ${title}?`}
      confirmLabel={gone ? 'Remove' : 'Leave group'}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {gone ? (
        <p>You are no longer in this group. Its messages are removed from this list.</p>
      ) : (
        <p>
          You will get no new messages from this group: the members who stay get a new key. To come back, an admin has
          to add you again.
        </p>
      )}
    </ConfirmDialog>
  );
}
