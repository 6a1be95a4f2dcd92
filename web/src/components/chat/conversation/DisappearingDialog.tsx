'use client';

import { useEffect, useId, useState } from 'react';
import { ModalDialog } from '../ModalDialog';
import { ErrorAlert } from '../../ui';
import { TIMER_CHOICES, describeError, type ChatSession } from '@onionchat/client';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../../i18n/format';
import { useLocale } from '../../../i18n/use-locale';

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
  const { t } = useTranslation();
  const locale = useLocale();
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
      title={t('chat.disappearing.title')}
      testId="disappearing-dialog"
      onCancel={onClose}
      notice={error ? <ErrorAlert message={error} /> : null}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('chat.disappearing.cancel')}
          </button>
          <button type="button" className="button primary" data-autofocus onClick={save}>
            {t('chat.disappearing.save')}
          </button>
        </>
      }
    >
      <p>{t('chat.disappearing.explain')}</p>
      <fieldset className="timer-choices">
        <legend className="visually-hidden">{t('chat.disappearing.legend')}</legend>
        {TIMER_CHOICES.map((seconds) => (
          <label key={seconds} className="timer-choice">
            <input
              type="radio"
              name={name}
              value={seconds}
              checked={choice === seconds}
              onChange={() => setChoice(seconds)}
            />{' '}
            {seconds === 0 ? t('chat.disappearing.off') : formatDuration(seconds, locale)}
          </label>
        ))}
      </fieldset>
    </ModalDialog>
  );
}
