'use client';

import { useCallback, useEffect, useRef, useState, type MutableRefObject, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Composer } from './Composer';
import { useDescribeError } from '../../i18n/describe-error';
import { Announcements } from './conversation/Announcements';
import { ConversationHeader } from './conversation/ConversationHeader';
import { DisappearingDialog } from './conversation/DisappearingDialog';
import { DropOverlay } from './conversation/DropOverlay';
import { FileDropArea } from './conversation/FileDropArea';
import { LeaveDialog, type Confirming } from './conversation/LeaveDialog';
import { MessageList } from './MessageList';
import { DeleteMessageDialog } from './message-actions/DeleteMessageDialog';
import { MessageActionsContext } from './message-actions/MessageActionsContext';
import { useMessageActionState } from './message-actions/use-message-actions';
import { GroupTop } from './group/GroupTop';
import type { NameOf } from '../../hooks/use-names';
import { KeyChangeBanner, SafetyNumberDialog, VerifiedChangeAlert } from './SafetyNumber';
import {
  type Friend,
  type User,
  type ChatSession,
  type RoomState,
  formatBytes,
  type ChatItem,
  type ConnectionState,
  type PublicUser,
} from '@onionchat/client';

/** Where a conversation was opened from decides where focus goes. */
export type FocusIntent = 'composer' | 'heading' | null;

interface ConversationProps {
  session: ChatSession;
  roomId: string;
  friend: Friend | null;
  state: RoomState | undefined;
  me: User;
  /** Names of the people messages come from (in a group, anyone who was ever in it). */
  nameOf: NameOf;
  /** This account's contacts (who may be added to a group). */
  friends: readonly PublicUser[];
  /** The server's group member limit (null until known). */
  maxMembers: number | null;
  connection: ConnectionState;
  focusIntent: MutableRefObject<FocusIntent>;
  drafts: Map<string, string>;
  onBack: () => void;
  /** The conversation is gone (friend removed or blocked, group left). */
  onLeft: () => void;
  /** The connection banner, shown under the header. */
  banner: ReactNode;
}

const ANNOUNCE_CHARS = 200;

/** A line read out; `key`: the message it is about, if any. */
interface Announcement {
  id: number;
  text: string;
  key?: string;
}

export function Conversation({
  session,
  roomId,
  friend,
  state,
  me,
  nameOf,
  friends,
  maxMembers,
  connection,
  focusIntent,
  drafts,
  onBack,
  onLeft,
  banner,
}: ConversationProps) {
  const { t } = useTranslation();
  const describeError = useDescribeError();
  const group = state?.group ?? null;
  const peer = group ? null : (friend?.user ?? state?.peer ?? null);
  const name = group ? group.title : (peer?.username ?? t('chat.messenger.label'));
  const isGroup = group !== null;
  const senderName = useCallback(
    (senderId: string) => (senderId === me.id ? t('chat.conversation.you') : isGroup ? nameOf(senderId) : name),
    [me.id, isGroup, nameOf, name, t],
  );
  // The announcer below reads names through this, so it is not set up again with every snapshot.
  const senderNameRef = useRef(senderName);
  useEffect(() => {
    senderNameRef.current = senderName;
  }, [senderName]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [announcements, setAnnouncements] = useState<Announcement[]>([]);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [confirmBusy, setConfirmBusy] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [settingTimer, setSettingTimer] = useState(false);
  const [alertDismissed, setAlertDismissed] = useState(false);
  const trust = state?.trust ?? null;
  const messageActions = useMessageActionState(session, roomId, senderName);

  const sendFiles = useCallback(
    (files: File[]) => {
      if (!state || files.length === 0) return;
      try {
        session.sendFiles(roomId, files);
        setFileError(null);
      } catch (caught) {
        setFileError(describeError(caught));
      }
    },
    [session, roomId, state, describeError],
  );

  // Where focus goes when the conversation opens.
  useEffect(() => {
    const intent = focusIntent.current;
    focusIntent.current = null;
    if (intent === 'composer') document.getElementById('composer')?.focus();
    else if (intent === 'heading') headingRef.current?.focus();
  }, [focusIntent]);

  // Read incoming messages out (politely) while this conversation is open.
  const announced = useRef(0);
  useEffect(() => {
    return session.onIncoming((id, items) => {
      if (id !== roomId) return;
      const lines: Omit<Announcement, 'id'>[] = items.slice(-3).map((item) => ({
        key: item.key,
        text: t('chat.announce.newMessage', { name: senderNameRef.current(item.senderId), text: describe(item, t) }),
      }));
      if (items.length > 3) {
        const count = items.length;
        lines.unshift({
          text: isGroup ? t('chat.announce.manyIn', { count, name }) : t('chat.announce.manyFrom', { count, name }),
        });
      }
      setAnnouncements((previous) =>
        [...previous, ...lines.map((line) => ({ ...line, id: (announced.current += 1) }))].slice(-5),
      );
    });
  }, [session, roomId, name, isGroup, t]);

  // A group's membership changes are read out too, as they happen (not the ones already there).
  const seenNotices = useRef<Set<string> | null>(null);
  const items = state?.items;
  const loaded = state?.loaded ?? false;

  // Words read out stay in the page's log: a message deleted, edited or gone takes its line with it.
  useEffect(() => {
    if (!items) return;
    const current = new Map(items.map((item) => [item.key, item]));
    setAnnouncements((previous) => {
      const kept = previous.filter((line) => {
        if (!line.key) return true;
        const item = current.get(line.key);
        return item !== undefined && !item.deleted && item.editedAt == null;
      });
      return kept.length === previous.length ? previous : kept;
    });
  }, [items]);
  useEffect(() => {
    if (!isGroup || !loaded || !items) return;
    const notices = items.filter((item) => item.state === 'notice');
    const seen = seenNotices.current;
    seenNotices.current = new Set(notices.map((item) => item.key));
    if (seen === null) return;
    const fresh = notices.filter((item) => !seen.has(item.key) && item.text);
    if (fresh.length === 0) return;
    setAnnouncements((previous) =>
      [...previous, ...fresh.slice(-3).map((item) => ({ id: (announced.current += 1), text: item.text! }))].slice(-5),
    );
  }, [isGroup, loaded, items]);

  async function onConfirm() {
    if (!peer || confirmBusy) return;
    setConfirmBusy(true);
    setConfirmError(null);
    try {
      if (confirming === 'remove') await session.removeFriend(peer.id);
      else if (confirming === 'block') await session.block(peer.username);
      setConfirming(null);
      onLeft();
    } catch (caught) {
      setConfirmError(describeError(caught));
    } finally {
      setConfirmBusy(false);
    }
  }

  const startConfirming = (what: Confirming) => {
    setConfirmError(null);
    setConfirming(what);
  };

  return (
    <FileDropArea enabled={Boolean(state)} onFiles={sendFiles}>
      {(dragging) => (
        <>
          {group ? (
            <GroupTop
              session={session}
              roomId={roomId}
              group={group}
              friends={friends}
              maxMembers={maxMembers}
              meName={me.username}
              headingRef={headingRef}
              onBack={onBack}
              onLeft={onLeft}
              banner={banner}
              timer={state?.timer ?? 0}
              onTimer={() => setSettingTimer(true)}
            />
          ) : (
            <>
              <ConversationHeader
                name={name}
                peer={peer}
                trust={trust}
                headingRef={headingRef}
                onBack={onBack}
                onVerify={() => setVerifying(true)}
                onRemove={() => startConfirming('remove')}
                onBlock={() => startConfirming('block')}
                timer={state?.timer ?? 0}
                onTimer={() => setSettingTimer(true)}
              />
              {banner}
            </>
          )}
          <KeyChangeBanner trust={trust} onReview={() => setVerifying(true)} />
          {state?.membersChanged ? (
            <div className="key-warning key-warning-loud" role="alert" data-testid="members-changed-warning">
              <p>
                <strong>{state.membersChanged}</strong>
              </p>
            </div>
          ) : null}

          <MessageActionsContext.Provider value={state?.sendBlocked ? null : messageActions.actions}>
            <MessageList
              session={session}
              roomId={roomId}
              state={state}
              me={me}
              peerName={name}
              group={isGroup}
              senderName={senderName}
              connection={connection}
            />
          </MessageActionsContext.Provider>

          <Composer
            key={roomId}
            session={session}
            roomId={roomId}
            peerName={name}
            drafts={drafts}
            disabled={!state || state.sendBlocked !== null}
            onFiles={sendFiles}
            fileError={fileError ?? (messageActions.deleting ? null : messageActions.error)}
            target={messageActions.target}
            onClearTarget={messageActions.clearTarget}
          />

          <DeleteMessageDialog
            item={messageActions.deleting}
            error={messageActions.error}
            onConfirm={messageActions.confirmDelete}
            onCancel={messageActions.cancelDelete}
          />

          {dragging ? <DropOverlay name={name} /> : null}

          <Announcements items={announcements} />

          {peer ? (
            <SafetyNumberDialog
              open={verifying}
              session={session}
              userId={peer.id}
              trust={trust}
              onClose={() => setVerifying(false)}
            />
          ) : null}
          <VerifiedChangeAlert
            trust={alertDismissed || verifying ? null : trust}
            onDismiss={() => setAlertDismissed(true)}
            onReview={() => {
              setAlertDismissed(true);
              setVerifying(true);
            }}
          />

          <DisappearingDialog
            open={settingTimer}
            session={session}
            roomId={roomId}
            timer={state?.timer ?? 0}
            onClose={() => setSettingTimer(false)}
          />

          <LeaveDialog
            confirming={confirming}
            name={name}
            busy={confirmBusy}
            error={confirmError}
            onConfirm={onConfirm}
            onCancel={() => setConfirming(null)}
          />
        </>
      )}
    </FileDropArea>
  );
}

function describe(item: ChatItem, t: TFunction): string {
  if (item.state === 'unverified') return t('chat.announce.unverified');
  if (item.file) return t('chat.announce.file', { name: item.file.name, size: formatBytes(item.file.size) });
  if (item.text === null) return t('chat.announce.unsupported');
  return item.text.length > ANNOUNCE_CHARS ? `${item.text.slice(0, ANNOUNCE_CHARS)}…` : item.text;
}
