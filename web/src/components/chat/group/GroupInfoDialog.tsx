'use client';

import { useTranslation } from 'react-i18next';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../ui';
import { ModalDialog } from '../ModalDialog';
import { PictureField } from './PictureField';
import { groupNameProblem } from './group-text';
import { GROUP_NAME_MAX_CHARS, describeError, type ChatSession, type GroupView } from '@onionchat/client';
import { FormActions } from './FormActions';

interface GroupInfoDialogProps {
  open: boolean;
  session: ChatSession;
  roomId: string;
  group: GroupView;
  onClose: () => void;
}

/** An admin renames the group or changes its picture (sealed: the server sees neither). */
export function GroupInfoDialog({ open, session, roomId, group, onClose }: GroupInfoDialogProps) {
  const { t } = useTranslation();
  const formId = useId();
  const [name, setName] = useState(group.name ?? '');
  const [picture, setPicture] = useState<string | null>(group.picture);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Opened again: start from the group as it is now.
  useEffect(() => {
    if (!open) return;
    setName(group.name ?? '');
    setPicture(group.picture);
    setError(null);
    // Only when it opens: a change arriving while the person edits must not overwrite their typing.
  }, [open]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const problem = groupNameProblem(name, GROUP_NAME_MAX_CHARS);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      await session.renameGroup(roomId, { name: name.trim(), ...(picture ? { picture } : {}) });
      onClose();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ModalDialog
      open={open}
      title={t('group.info.title')}
      className="group-dialog"
      testId="group-info-dialog"
      onCancel={() => {
        if (!busy) onClose();
      }}
      notice={<ErrorAlert message={error} className="compact-alert" />}
      actions={
        <FormActions
          formId={formId}
          busy={busy}
          label={t('group.info.save')}
          busyLabel={t('group.info.saving')}
          onCancel={onClose}
        />
      }
    >
      <form id={formId} className="group-form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${formId}-name`}>{t('group.new.name')}</label>
          <input
            id={`${formId}-name`}
            data-autofocus
            value={name}
            maxLength={GROUP_NAME_MAX_CHARS}
            required
            autoComplete="off"
            disabled={busy}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <PictureField value={picture} title={name.trim() || group.title} disabled={busy} onChange={setPicture} />
      </form>
    </ModalDialog>
  );
}
