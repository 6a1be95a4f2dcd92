'use client';

import { useTranslation } from 'react-i18next';
import type { MouseEvent } from 'react';
import { useNow } from '../../ui';
import { GroupAvatar } from './GroupAvatar';
import { avatarSource } from './group-text';
import { conversationPreview, type ListedConversation } from '@onionchat/client';
import { ActivityTime, UnreadBadge } from '../ListItemParts';
import { roomHref } from '../../../hooks/use-chat';
import type { NameOf } from '../../../hooks/use-names';

interface GroupItemProps {
  entry: Extract<ListedConversation, { kind: 'group' }>;
  meId: string;
  nameOf: NameOf;
  active: boolean;
  onOpen: (roomId: string) => void;
}

/** A group in the conversation list: picture, name, newest message (with who wrote it), unread count, warnings. */
export function GroupItem({ entry, meId, nameOf, active, onOpen }: GroupItemProps) {
  useNow(60_000);
  const { t } = useTranslation();
  const { state, roomId } = entry;
  const group = state.group!;
  const unread = state.room.unread;
  const last = state.last;
  let preview = conversationPreview(state, meId);
  if (last && last.senderId !== meId && last.state !== 'unverified' && preview) {
    preview = `${nameOf(last.senderId)}: ${preview}`;
  }
  const problem = group.warning ? t('group.item.warning') : group.gone ? t('group.item.gone') : null;

  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(roomId);
  }

  return (
    <li>
      <a
        href={roomHref(roomId)}
        className={active ? 'friend friend-active' : 'friend'}
        data-testid="group-item"
        data-room-link={roomId}
        aria-current={active ? 'page' : undefined}
        onClick={onClick}
      >
        <GroupAvatar source={avatarSource(group)} picture={group.picture} />
        <span className="friend-body">
          <span className="friend-top">
            <span className="friend-name">
              <span className="visually-hidden">Group: </span>
              {group.title}
            </span>
            <ActivityTime at={state.lastActivity} />
          </span>
          {problem ? (
            <span className={group.warning ? 'friend-preview group-item-warning' : 'friend-preview'}>
              {group.warning ? <span aria-hidden="true">⚠ </span> : null}
              {problem}
            </span>
          ) : (
            <span className={unread > 0 ? 'friend-preview friend-preview-unread' : 'friend-preview'}>
              {preview || '\u00a0'}
            </span>
          )}
        </span>
        <UnreadBadge count={unread} />
      </a>
    </li>
  );
}
