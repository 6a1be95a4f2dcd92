import type { Ref } from 'react';
import { LockIcon } from '../../icons';
import { BackIcon } from '../icons';
import { GroupAvatar } from './GroupAvatar';
import { OptionsMenu, type MenuChoice } from '../OptionsMenu';
import { memberCount } from './group-text';
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
  const admin = group.myRole === 'admin' && !group.gone && !group.warning;
  const choices: MenuChoice[] = [{ label: 'Members', onSelect: onMembers }];
  // Any member may set it (everyone sees who did), as in a direct conversation.
  if (!group.gone && !group.warning) choices.push({ label: 'Disappearing messages', onSelect: onTimer });
  if (admin) {
    choices.push({ label: 'Add people', onSelect: onAdd }, { label: 'Name and picture', onSelect: onEdit });
  }
  choices.push({ label: group.gone ? 'Remove this conversation' : 'Leave group', danger: true, onSelect: onLeave });
  return (
    <header className="conversation-head" data-testid="group-header">
      <button type="button" className="icon-button back-button" onClick={onBack} aria-label="Back to conversations">
        <BackIcon />
      </button>
      <GroupAvatar title={group.title} picture={group.picture} />
      <div className="conversation-title">
        <h2 ref={headingRef} tabIndex={-1} className="conversation-name" data-testid="group-title">
          {group.title}
        </h2>
        <p className="conversation-sub">
          <LockIcon />{' '}
          {group.gone ? (
            <span>Not a member any more</span>
          ) : (
            <span data-testid="group-member-count">{memberCount(group.members.length)}</span>
          )}
          <span className="group-sub-extra">
            <span aria-hidden="true">· </span>End-to-end encrypted
          </span>{' '}
          <TimerMark timer={timer} />
        </p>
      </div>
      <button type="button" className="button small ghost" data-testid="members-button" onClick={onMembers}>
        Members
      </button>
      <OptionsMenu label={`Options for the group ${group.title}`} choices={choices} />
    </header>
  );
}
