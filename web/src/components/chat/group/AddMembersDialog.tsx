'use client';

import { useTranslation } from 'react-i18next';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../ui';
import { ModalDialog } from '../ModalDialog';
import { MemberPicker } from './MemberPicker';
import { addableFriends, sizeProblem } from './group-text';
import { describeError, type ChatSession, type GroupView, type PublicUser } from '@onionchat/client';

interface AddMembersDialogProps {
  open: boolean;
  session: ChatSession;
  roomId: string;
  group: GroupView;
  /** This account's accepted contacts: only they can be added. */
  friends: readonly PublicUser[];
  maxMembers: number | null;
  onClose: () => void;
}

/** An admin adds contacts; they get a new key from now on, and none of the earlier ones. */
export function AddMembersDialog({
  open,
  session,
  roomId,
  group,
  friends,
  maxMembers,
  onClose,
}: AddMembersDialogProps) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const candidates = addableFriends(friends, group);

  // Each time it opens, it starts with nobody chosen.
  useEffect(() => {
    if (!open) return;
    setChosen(new Set());
    setError(null);
  }, [open]);
  const tooMany = sizeProblem(group.members.length + chosen.size, maxMembers);

  function toggle(userId: string) {
    setChosen((previous) => {
      const next = new Set(previous);
      if (next.has(userId)) next.delete(userId);
      else next.add(userId);
      return next;
    });
    setError(null);
  }

  async function add() {
    if (busy) return;
    const ids = [...chosen].filter((id) => candidates.some((user) => user.id === id));
    if (ids.length === 0) return setError(t('group.add.chooseOne'));
    if (tooMany) return setError(tooMany);
    setBusy(true);
    setError(null);
    try {
      await session.addToGroup(roomId, ids);
      setChosen(new Set());
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
      title={t('group.add.title', { name: group.title })}
      className="group-dialog"
      testId="add-members-dialog"
      onCancel={() => {
        if (!busy) onClose();
      }}
      notice={<ErrorAlert message={error ?? tooMany} className="compact-alert" />}
      actions={
        <>
          <button type="button" className="button" data-autofocus onClick={onClose} disabled={busy}>
            {t('group.cancel')}
          </button>
          <button
            type="button"
            className="button primary"
            disabled={busy || candidates.length === 0}
            aria-busy={busy}
            onClick={() => void add()}
          >
            {busy ? t('group.add.adding') : t('group.add.submit')}
          </button>
        </>
      }
    >
      <MemberPicker
        legend={t('group.add.legend')}
        candidates={candidates}
        selected={chosen}
        disabled={busy}
        onToggle={toggle}
      />
      <p className="hint">{t('group.add.hint')}</p>
    </ModalDialog>
  );
}
