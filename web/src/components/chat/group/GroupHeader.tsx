import { useTranslation } from 'react-i18next';
import type { Ref } from 'react';
import { LockIcon } from '../../icons';
import { BackIcon } from '../icons';
import { GroupAvatar } from './GroupAvatar';
import { OptionsMenu, type MenuChoice } from '../OptionsMenu';
import { avatarSource, memberCount } from './group-text';
import { TimerMark } from '../conversation/TimerMark';
import type { GroupView } from '@onionchat/client';

interface GroupHeaderProps {
  group: GroupView;
  headingRef: Ref<HTMLHeadingElement>;
  onBack: () => void;
  onMembers: () => void;
  onAdd: () => void;
  onEdit: () => void;
  onLeave: () => void;
  /** The disappearing timer (seconds, 0: off) and where to change it. */
  timer: number;
  onTimer: () => void;
}

/** Back button, the group's picture, name and member count, its members and options. */
export function GroupHeader({
  group,
  headingRef,
  onBack,
  onMembers,
  onAdd,
  onEdit,
  onLeave,
  timer,
  onTimer,
}: GroupHeaderProps) {
  const { t } = useTranslation();
  const admin = group.myRole === 'admin' && !group.gone && !group.warning;
  const choices: MenuChoice[] = [{ label: t('group.header.members'), onSelect: onMembers }];
  // Any member may set it (everyone sees who did), as in a direct conversation.
  if (!group.gone && !group.warning) choices.push({ label: t('group.header.disappearing'), onSelect: onTimer });
  if (admin) {
    choices.push(
      { label: t('group.header.addPeople'), onSelect: onAdd },
      { label: t('group.header.nameAndPicture'), onSelect: onEdit },
    );
  }
  choices.push({
    label: t(group.gone ? 'group.header.removeConversation' : 'group.header.leave'),
    danger: true,
    onSelect: onLeave,
  });
  return (
    <header className="conversation-head" data-testid="group-header">
      <button type="button" className="icon-button back-button" onClick={onBack} aria-label={t('group.header.back')}>
        <BackIcon />
      </button>
      <GroupAvatar source={avatarSource(group)} picture={group.picture} />
      <div className="conversation-title">
        <h2 ref={headingRef} tabIndex={-1} className="conversation-name" data-testid="group-title" dir="auto">
          {group.title}
        </h2>
        <p className="conversation-sub">
          <LockIcon />{' '}
          {group.gone ? (
            <span>{t('group.header.notMember')}</span>
          ) : (
            <span data-testid="group-member-count">{memberCount(group.members.length)}</span>
          )}
          <span className="group-sub-extra">
            <span aria-hidden="true">· </span>
            {t('group.header.encrypted')}
          </span>{' '}
          <TimerMark timer={timer} />
        </p>
      </div>
      <button type="button" className="button small ghost" data-testid="members-button" onClick={onMembers}>
        {t('group.header.members')}
      </button>
      <OptionsMenu label={t('group.header.options', { name: group.title })} choices={choices} />
    </header>
  );
}
