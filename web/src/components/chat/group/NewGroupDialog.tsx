'use client';

import { useTranslation } from 'react-i18next';
import { useId, useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../ui';
import { ModalDialog } from '../ModalDialog';
import { MemberPicker } from './MemberPicker';
import { PictureField } from './PictureField';
import { groupNameProblem, sizeProblem } from './group-text';
import { GROUP_NAME_MAX_CHARS, describeError, type ChatSession, type PublicUser } from '@onionchat/client';
import { FormActions } from './FormActions';

interface NewGroupDialogProps {
  open: boolean;
  session: ChatSession | null;
  /** The accepted contacts, who may be chosen. */
  friends: readonly PublicUser[];
  /** The server's member limit (null until known). */
  maxMembers: number | null;
  onClose: () => void;
  onCreated: (roomId: string) => void;
}

/** Name, picture and first members of a new group; this account becomes its admin. */
export function NewGroupDialog({ open, session, friends, maxMembers, onClose, onCreated }: NewGroupDialogProps) {
  const { t } = useTranslation();
  const formId = useId();
  const [name, setName] = useState('');
  const [picture, setPicture] = useState<string | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [nameInvalid, setNameInvalid] = useState(false);

  const sorted = [...friends].sort((a, b) => a.username.localeCompare(b.username));
  const tooMany = sizeProblem(chosen.size + 1, maxMembers);

  function toggle(userId: string) {
    setChosen((previous) => {
      const next = new Set(previous);
      if (next.has(userId)) next.delete(userId);
      else next.add(userId);
      return next;
    });
    setError(null);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !session) return;
    const nameProblem = groupNameProblem(name, GROUP_NAME_MAX_CHARS);
    if (nameProblem) {
      setNameInvalid(true);
      setError(nameProblem);
      document.getElementById(`${formId}-name`)?.focus();
      return;
    }
    if (chosen.size === 0) return setError(t('group.new.chooseOne'));
    if (tooMany) return setError(tooMany);
    setBusy(true);
    setError(null);
    try {
      const roomId = await session.createGroup({
        name: name.trim(),
        ...(picture ? { picture } : {}),
        memberIds: [...chosen],
      });
      setName('');
      setPicture(null);
      setChosen(new Set());
      onCreated(roomId);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ModalDialog
      open={open}
      title={t('group.new.title')}
      className="group-dialog"
      testId="new-group-dialog"
      onCancel={() => {
        if (!busy) onClose();
      }}
      notice={<ErrorAlert message={error ?? tooMany} className="compact-alert" />}
      actions={
        <FormActions
          formId={formId}
          busy={busy}
          label={t('group.new.create')}
          busyLabel={t('group.new.creating')}
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
            data-testid="group-name-input"
            value={name}
            maxLength={GROUP_NAME_MAX_CHARS}
            required
            autoComplete="off"
            aria-invalid={nameInvalid ? true : undefined}
            disabled={busy}
            onChange={(event) => {
              setName(event.target.value);
              setNameInvalid(false);
            }}
          />
        </div>
        <PictureField
          value={picture}
          title={name.trim() || t('group.new.defaultName')}
          disabled={busy}
          onChange={setPicture}
        />
        {sorted.length === 0 ? (
          <p className="hint">{t('group.new.noFriends')}</p>
        ) : (
          <MemberPicker
            legend={t('group.new.members')}
            candidates={sorted}
            selected={chosen}
            disabled={busy}
            onToggle={toggle}
          />
        )}
        <p className="hint">{t('group.new.hint')}</p>
      </form>
    </ModalDialog>
  );
}
