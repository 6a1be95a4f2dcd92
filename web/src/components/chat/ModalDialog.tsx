'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalDialogProps {
  open: boolean;
  title: ReactNode;
  /** A warning the person must acknowledge: announced as an alert, marked with ⚠. */
  alert?: boolean;
  className?: string;
  testId?: string;
  /** Escape was pressed: the dialog stays open until the caller closes it. */
  onCancel: () => void;
  /** The buttons; the one marked `data-autofocus` gets the focus when the dialog opens. */
  actions: ReactNode;
  /** Shown between the body and the buttons (an error, say). */
  notice?: ReactNode;
  children: ReactNode;
}

/**
 * A modal dialog on the native <dialog>, which keeps focus inside, closes on Escape and
 * gives focus back to where it was when it closes.
 */
export function ModalDialog({
  open,
  title,
  alert = false,
  className = '',
  testId,
  onCancel,
  actions,
  notice,
  children,
}: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLButtonElement>('[data-autofocus]')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={['confirm-dialog', alert ? 'key-alert' : '', className].filter(Boolean).join(' ')}
      role={alert ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>
        {alert ? <span aria-hidden="true">⚠ </span> : null}
        {title}
      </h2>
      <div id={bodyId} className="confirm-body">
        {children}
      </div>
      {notice}
      <div className="confirm-actions">{actions}</div>
    </dialog>
  );
}
