'use client';

import { useTranslation } from 'react-i18next';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../ui';
import { Avatar } from '../Avatar';
import { ConfirmDialog } from '../ConfirmDialog';
import { ModalDialog } from '../ModalDialog';
import { memberCount } from './group-text';
import { describeError, type ChatSession, type GroupMemberView, type GroupView } from '@onionchat/client';

interface MembersDialogProps {
  open: boolean;
  session: ChatSession;
  roomId: string;
  group: GroupView;
  /** This account's username (for its avatar). */
  meName: string;
  onClose: () => void;
  onAdd: () => void;
}

/**
 * The members as this device verified them from the group's signed changes (never the
 * server's list), each with their role and how far their keys are trusted; admins can
 * change roles and remove members here.
 */
export function MembersDialog({ open, session, roomId, group, meName, onClose, onAdd }: MembersDialogProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<GroupMemberView | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const canManage = group.myRole === 'admin' && !group.gone && !group.warning;

  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  async function run(key: string, task: () => Promise<void>): Promise<boolean> {
    if (busy) return false;
    setBusy(key);
    setError(null);
    try {
      await task();
      return true;
    } catch (caught) {
      setError(describeError(caught));
      return false;
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    if (!removing || busy) return;
    setBusy(`remove:${removing.id}`);
    setRemoveError(null);
    try {
      await session.removeFromGroup(roomId, [removing.id]);
      setRemoving(null);
    } catch (caught) {
      setRemoveError(describeError(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <ModalDialog
        open={open && !removing}
        title={t('group.members.title', { name: group.title })}
        className="group-dialog"
        testId="members-dialog"
        onCancel={onClose}
        notice={<ErrorAlert message={error} className="compact-alert" />}
        actions={
          <>
            {canManage ? (
              <button type="button" className="button" onClick={onAdd} disabled={busy !== null}>
                {t('group.members.addPeople')}
              </button>
            ) : null}
            <button type="button" className="button primary" data-autofocus onClick={onClose}>
              {t('group.members.close')}
            </button>
          </>
        }
      >
        <p>
          {t('group.members.verified', { members: memberCount(group.members.length) })}
          {group.warning ? t('group.members.warning') : ''}
        </p>
        {group.verified ? (
          <ul className="member-list">
            {group.members.map((member) => (
              <MemberItem
                key={member.id}
                member={member}
                avatarName={member.me ? meName : member.name}
                canManage={canManage}
                lastAdmin={member.role === 'admin' && group.admins.length === 1}
                busy={busy}
                onRole={(role) => void run(`role:${member.id}`, () => session.setGroupRole(roomId, member.id, role))}
                onRemove={() => {
                  setRemoveError(null);
                  setRemoving(member);
                }}
              />
            ))}
          </ul>
        ) : (
          <p className="hint">{t('group.members.unchecked')}</p>
        )}
      </ModalDialog>
      <ConfirmDialog
        open={open && removing !== null}
        title={t('group.members.removeTitle', { name: removing?.name ?? '' })}
        confirmLabel={t('group.members.remove')}
        busy={busy !== null}
        error={removeError}
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      >
        <p>{t('group.members.removeText')}</p>
      </ConfirmDialog>
    </>
  );
}

interface MemberItemProps {
  member: GroupMemberView;
  avatarName: string;
  canManage: boolean;
  /** The group's only admin (who cannot be made a member). */
  lastAdmin: boolean;
  busy: string | null;
  onRole: (role: 'admin' | 'member') => void;
  onRemove: () => void;
}

function MemberItem({ member, avatarName, canManage, lastAdmin, busy, onRole, onRemove }: MemberItemProps) {
  const { t } = useTranslation();
  const bad = member.check === 'mismatch' || member.check === 'changed';
  return (
    <li className="member-item" data-testid="group-member" data-member-id={member.id} data-role={member.role}>
      <Avatar name={avatarName} />
      <div className="member-text">
        <p className="member-name">
          <span data-testid="group-member-name">{member.me ? t('group.members.you') : member.name}</span>
          {member.role === 'admin' ? (
            <span className="badge badge-accent member-badge" data-testid="admin-badge">
              {t('group.members.admin')}
            </span>
          ) : null}
        </p>
        <p
          className={`member-check member-check-${member.check}${bad ? ' member-check-bad' : ''}`}
          data-testid="group-member-check"
          data-check={member.check}
        >
          {bad ? <span aria-hidden="true">⚠ </span> : null}
          {member.me ? t('group.members.thisAccount') : member.label}
        </p>
      </div>
      {canManage && !member.me ? (
        <div className="member-actions">
          <button
            type="button"
            className="button small"
            disabled={busy !== null || (member.role === 'admin' && lastAdmin)}
            aria-busy={busy === `role:${member.id}`}
            onClick={() => onRole(member.role === 'admin' ? 'member' : 'admin')}
          >
            {t(member.role === 'admin' ? 'group.members.removeAdmin' : 'group.members.makeAdmin')}
            <span className="visually-hidden"> ({member.name})</span>
          </button>
          <button type="button" className="button small danger" disabled={busy !== null} onClick={onRemove}>
            Remove<span className="visually-hidden"> {member.name}</span>
          </button>
        </div>
      ) : null}
      {canManage && member.me && member.role === 'admin' ? (
        <div className="member-actions">
          <button
            type="button"
            className="button small"
            disabled={busy !== null}
            aria-busy={busy === `role:${member.id}`}
            onClick={() => onRole('member')}
          >
            {t('group.members.stepDown')}
          </button>
        </div>
      ) : null}
    </li>
  );
}
