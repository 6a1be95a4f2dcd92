'use client';

import { useEffect, useId, useState } from 'react';
import { ModalDialog } from '../ModalDialog';
import { ErrorAlert } from '../../ui';
import { TIMER_CHOICES, describeError, describeTtl, type ChatSession } from '@onionchat/client';

interface DisappearingDialogProps {
  open: boolean;
  session: ChatSession;
  roomId: string;
  /** The conversation's timer now (seconds, 0: off). */
  timer: number;
  onClose: () => void;
}

/**
 * Picks the conversation's disappearing timer. Everyone in it sees who set what, and
 * from then on each message disappears that long after it was sent, for everyone.
 */
export function DisappearingDialog({ open, session, roomId, timer, onClose }: DisappearingDialogProps) {
  const [choice, setChoice] = useState(timer);
  const [error, setError] = useState<string | null>(null);
  const name = useId();
  useEffect(() => {
    if (open) {
      setChoice(timer);
      setError(null);
    }
  }, [open, timer]);

  function save() {
    try {
      session.setTimer(roomId, choice);
      onClose();
    } catch (problem) {
      setError(describeError(problem));
    }
  }

  return (
    <ModalDialog
      open={open}
      title="Disappearing messages"
      testId="disappearing-dialog"
      onCancel={onClose}
      notice={error ? <ErrorAlert message={error} /> : null}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" data-autofocus onClick={save}>
            Save
          </button>
        </>
      }
    >
      <p>
        New messages disappear for everyone in this conversation this long after they are sent, from this device, the
        other people&apos;s and the server. Everyone sees that you changed it.
      </p>
      <fieldset className="timer-choices">
        <legend className="visually-hidden">Messages disappear after</legend>
        {TIMER_CHOICES.map((seconds) => (
          <label key={seconds} className="timer-choice">
            <input
              type="radio"
              name={name}
              value={seconds}
              checked={choice === seconds}
              onChange={() => setChoice(seconds)}
            />{' '}
            {seconds === 0 ? 'Off' : describeTtl(seconds)}
          </label>
        ))}
      </fieldset>
    </ModalDialog>
  );
}
