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
  return (
    <ConfirmDialog
      open={confirming !== null}
      title={confirming === 'block' ? `Block ${name}?` : `Remove ${name} from your friends?`}
      confirmLabel={confirming === 'block' ? 'Block' : 'Remove friend'}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {confirming === 'block' ? (
        <p>
          {name} will no longer be able to send you friend requests or messages. Your friendship and this conversation
          are deleted for both of you. You can unblock them later from the list of blocked people.
        </p>
      ) : (
        <p>This conversation and its messages are deleted for both of you. This can’t be undone.</p>
      )}
    </ConfirmDialog>
  );
}
