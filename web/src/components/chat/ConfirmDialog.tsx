'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ErrorAlert } from '../ui';

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

/**
 * A modal question with a dangerous answer. The native <dialog> keeps focus inside,
 * closes on Escape, and gives focus back to where it was when it closes.
 */
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
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // The safe choice gets the focus.
      dialog.querySelector<HTMLButtonElement>('[data-cancel]')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId} className="confirm-body">
        {children}
      </div>
      {error ? <ErrorAlert message={error} /> : null}
      <div className="confirm-actions">
        <button type="button" className="button" data-cancel onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button danger-solid" onClick={onConfirm} disabled={busy} aria-busy={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
