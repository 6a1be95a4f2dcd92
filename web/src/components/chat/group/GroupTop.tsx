'use client';

import { useState, type ReactNode, type Ref } from 'react';
import { AddMembersDialog } from './AddMembersDialog';
import { GroupBanners } from './GroupBanners';
import { GroupHeader } from './GroupHeader';
import { GroupInfoDialog } from './GroupInfoDialog';
import { LeaveGroupDialog } from './LeaveGroupDialog';
import { MembersDialog } from './MembersDialog';
import { describeError, type ChatSession, type GroupView, type PublicUser } from '@onionchat/client';

type Open = 'members' | 'add' | 'edit' | 'leave' | null;

interface GroupTopProps {
  session: ChatSession;
  roomId: string;
  group: GroupView;
  friends: readonly PublicUser[];
  maxMembers: number | null;
  /** This account's username. */
  meName: string;
  headingRef: Ref<HTMLHeadingElement>;
  onBack: () => void;
  /** The group was left (or dropped): its conversation is gone. */
  onLeft: () => void;
  /** The connection banner, shown under the header. */
  banner: ReactNode;
  /** The disappearing timer (seconds, 0: off) and where to change it. */
  timer: number;
  onTimer: () => void;
}

/** A group conversation's header, its warnings, and the dialogs that manage the group. */
export function GroupTop({
  session,
  roomId,
  group,
  friends,
  maxMembers,
  meName,
  headingRef,
  onBack,
  onLeft,
  banner,
  timer,
  onTimer,
}: GroupTopProps) {
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const [leaveError, setLeaveError] = useState<string | null>(null);

  const startLeaving = () => {
    setLeaveError(null);
    setOpen('leave');
  };

  async function leave() {
    if (busy) return;
    setBusy(true);
    setLeaveError(null);
    try {
      await session.leaveGroup(roomId);
      setOpen(null);
      onLeft();
    } catch (caught) {
      setLeaveError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <GroupHeader
        group={group}
        headingRef={headingRef}
        onBack={onBack}
        onMembers={() => setOpen('members')}
        onAdd={() => setOpen('add')}
        onEdit={() => setOpen('edit')}
        onLeave={startLeaving}
        timer={timer}
        onTimer={onTimer}
      />
      {banner}
      <GroupBanners group={group} onDrop={startLeaving} />
      <MembersDialog
        open={open === 'members'}
        session={session}
        roomId={roomId}
        group={group}
        meName={meName}
        onClose={() => setOpen(null)}
        onAdd={() => setOpen('add')}
      />
      <AddMembersDialog
        open={open === 'add'}
        session={session}
        roomId={roomId}
        group={group}
        friends={friends}
        maxMembers={maxMembers}
        onClose={() => setOpen(null)}
      />
      <GroupInfoDialog
        open={open === 'edit'}
        session={session}
        roomId={roomId}
        group={group}
        onClose={() => setOpen(null)}
      />
      <LeaveGroupDialog
        open={open === 'leave'}
        title={group.title}
        gone={group.gone}
        busy={busy}
        error={leaveError}
        onConfirm={() => void leave()}
        onCancel={() => setOpen(null)}
      />
    </>
  );
}
