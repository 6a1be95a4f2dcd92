'use client';

import type { ChatItem } from '@onionchat/client';
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
  return (
    <ConfirmDialog
      open={item !== null}
      title="Delete for everyone?"
      confirmLabel="Delete for everyone"
      busy={false}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        {item?.file
          ? 'The file and its message disappear from this conversation for everyone in it, and the server is asked to erase them.'
          : 'The message disappears from this conversation for everyone in it, and the server is asked to erase it.'}
      </p>
      <p>
        Anyone who already read it may remember it or have copied it, and a server that does not keep its word could
        keep a copy of the encrypted message. It says “deleted” where it was.
      </p>
    </ConfirmDialog>
  );
}
