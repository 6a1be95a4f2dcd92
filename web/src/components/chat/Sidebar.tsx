'use client';

import Link from 'next/link';
import { useState, type MouseEvent } from 'react';
import { Logo } from '../Logo';
import { ErrorAlert, Loading, useNow } from '../ui';
import { AcceptedNotices } from './AcceptedNotices';
import { AddFriendForm } from './AddFriendForm';
import { Avatar } from './Avatar';
import { GroupItem } from './group/GroupItem';
import { ActivityTime, UnreadBadge } from './ListItemParts';
import {
  type ListedConversation,
  conversationPreview,
  type BlockedUser,
  type FriendRequest,
  type User,
  describeError,
  type ChatSession,
  type ChatSnapshot,
  requestKeyWarning,
} from '@onionchat/client';
import { roomHref } from '../../hooks/use-chat';
import type { NameOf } from '../../hooks/use-names';

interface SidebarProps {
  session: ChatSession | null;
  snapshot: ChatSnapshot;
  me: User;
  /** Friends' conversations and groups, the most recently active first. */
  conversations: ListedConversation[];
  nameOf: NameOf;
  activeRoomId: string | null;
  onOpen: (roomId: string) => void;
  onAccepted: (roomId: string) => void;
  onNewGroup: () => void;
  /** Opens the search through the conversations this tab holds. */
  onSearch: () => void;
  onNotificationSettings: () => void;
}

export function Sidebar({
  session,
  snapshot,
  me,
  conversations,
  nameOf,
  activeRoomId,
  onOpen,
  onAccepted,
  onNewGroup,
  onSearch,
  onNotificationSettings,
}: SidebarProps) {
  const friends = snapshot.friends;
  return (
    <aside className="chat-sidebar" aria-label="Conversations and friends">
      <header className="sidebar-head">
        <Link href="/" className="brand sidebar-brand">
          <Logo size={26} />
          <span>OnionChat</span>
        </Link>
        {/* The connection indicator is placed here by ChatApp (one element for every layout). */}
      </header>
      <div className="sidebar-me">
        <Avatar name={me.username} />
        <p className="sidebar-me-name">
          <span className="visually-hidden">Logged in as </span>
          {me.username}
        </p>
        <button
          type="button"
          className="button small ghost"
          data-testid="notification-settings-button"
          onClick={onNotificationSettings}
        >
          Settings
        </button>
        <Link href="/account/" className="button small ghost">
          Account
        </Link>
      </div>

      <div className="sidebar-scroll">
        <button
          type="button"
          className="button search-open-button"
          data-testid="search-button"
          aria-keyshortcuts="Control+K Meta+K"
          onClick={onSearch}
        >
          <span>Search messages</span>
          <kbd aria-hidden="true">Ctrl K</kbd>
        </button>
        <AddFriendForm session={session} me={me} onAccepted={onAccepted} />
        <AcceptedNotices friends={friends} onOpen={onOpen} />

        {friends ? (
          <>
            <Requests
              session={session}
              incoming={friends.incoming}
              outgoing={friends.outgoing}
              onAccepted={onAccepted}
            />
            <section className="sidebar-section" aria-labelledby="friends-title">
              <div className="sidebar-title-row">
                <h2 id="friends-title" className="sidebar-title">
                  Conversations
                </h2>
                <button
                  type="button"
                  className="button small ghost new-group-button"
                  data-testid="new-group-button"
                  disabled={!session || friends.friends.length === 0}
                  title={
                    friends.friends.length === 0 ? 'Add a friend first: groups are made from your contacts' : undefined
                  }
                  onClick={onNewGroup}
                >
                  New group
                </button>
              </div>
              {conversations.length === 0 ? (
                <p className="empty sidebar-empty">No friends yet — add someone by their username or contact link.</p>
              ) : (
                <ul className="friend-list">
                  {conversations.map((entry) =>
                    entry.kind === 'group' ? (
                      <GroupItem
                        key={entry.roomId}
                        entry={entry}
                        meId={me.id}
                        nameOf={nameOf}
                        active={entry.roomId === activeRoomId}
                        onOpen={onOpen}
                      />
                    ) : (
                      <FriendItem
                        key={entry.roomId}
                        entry={entry}
                        meId={me.id}
                        active={entry.roomId === activeRoomId}
                        onOpen={onOpen}
                      />
                    ),
                  )}
                </ul>
              )}
            </section>
            {friends.blocked.length > 0 ? <Blocked session={session} blocked={friends.blocked} /> : null}
          </>
        ) : snapshot.error ? (
          <div className="sidebar-section">
            <ErrorAlert message={snapshot.error} className="section-alert" />
            <button type="button" className="button small" onClick={() => session?.requestSync()}>
              Try again
            </button>
          </div>
        ) : (
          <Loading label="Loading your friends…" />
        )}
      </div>
    </aside>
  );
}

function Requests({
  session,
  incoming,
  outgoing,
  onAccepted,
}: {
  session: ChatSession | null;
  incoming: FriendRequest[];
  outgoing: FriendRequest[];
  onAccepted: (roomId: string) => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (incoming.length === 0 && outgoing.length === 0 && !error) return null;

  async function run(id: string, action: () => Promise<void>) {
    if (busy || !session) return;
    setBusy(id);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="sidebar-section" aria-labelledby="requests-title">
      <h2 id="requests-title" className="sidebar-title">
        Requests
        {incoming.length > 0 ? (
          <span className="count-pill">
            {incoming.length}
            <span className="visually-hidden"> waiting for your answer</span>
          </span>
        ) : null}
      </h2>
      <ul className="request-list">
        {incoming.map((request) => {
          const keyWarning = requestKeyWarning(session?.requestTrust(request), request.user.username);
          return (
            <li key={request.id} className="request request-incoming" data-testid="incoming-request">
              <Avatar name={request.user.username} />
              <div className="request-text">
                <p className="request-name">{request.user.username}</p>
                <p className="muted small">wants to be friends</p>
              </div>
              {keyWarning ? (
                <p
                  className={keyWarning.loud ? 'key-warning key-warning-loud' : 'key-warning'}
                  role="alert"
                  data-testid="request-key-warning"
                >
                  {keyWarning.text}
                </p>
              ) : null}
              <div className="request-actions">
                <button
                  type="button"
                  className="button primary small"
                  disabled={busy !== null || keyWarning !== null}
                  aria-busy={busy === `accept:${request.id}`}
                  onClick={() =>
                    run(`accept:${request.id}`, async () => {
                      const roomId = await session!.accept(request);
                      onAccepted(roomId);
                    })
                  }
                >
                  Accept
                </button>
                <button
                  type="button"
                  className="button small"
                  disabled={busy !== null}
                  aria-busy={busy === `decline:${request.id}`}
                  onClick={() => run(`decline:${request.id}`, () => session!.dismissRequest(request))}
                >
                  Decline
                </button>
              </div>
            </li>
          );
        })}
        {outgoing.map((request) => (
          <li key={request.id} className="request" data-testid="outgoing-request">
            <Avatar name={request.user.username} />
            <div className="request-text">
              <p className="request-name">{request.user.username}</p>
              <p className="muted small">request sent, waiting</p>
            </div>
            <div className="request-actions">
              <button
                type="button"
                className="button small"
                disabled={busy !== null}
                aria-busy={busy === `cancel:${request.id}`}
                onClick={() => run(`cancel:${request.id}`, () => session!.dismissRequest(request))}
              >
                Cancel
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error ? <ErrorAlert message={error} className="compact-alert" /> : null}
    </section>
  );
}

function FriendItem({
  entry,
  meId,
  active,
  onOpen,
}: {
  entry: Extract<ListedConversation, { kind: 'direct' }>;
  meId: string;
  active: boolean;
  onOpen: (roomId: string) => void;
}) {
  useNow(60_000);
  const { friend, state } = entry;
  const unread = state?.room.unread ?? 0;
  const preview = conversationPreview(state, meId);

  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(friend.roomId);
  }

  return (
    <li>
      <a
        href={roomHref(friend.roomId)}
        className={active ? 'friend friend-active' : 'friend'}
        data-testid="friend"
        data-room-link={friend.roomId}
        aria-current={active ? 'page' : undefined}
        onClick={onClick}
      >
        <Avatar name={friend.user.username} />
        <span className="friend-body">
          <span className="friend-top">
            <span className="friend-name">{friend.user.username}</span>
            <ActivityTime at={state?.lastActivity ?? null} />
          </span>
          <span className={unread > 0 ? 'friend-preview friend-preview-unread' : 'friend-preview'}>
            {preview || '\u00a0'}
          </span>
        </span>
        <UnreadBadge count={unread} />
      </a>
    </li>
  );
}

function Blocked({ session, blocked }: { session: ChatSession | null; blocked: BlockedUser[] }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function unblock(entry: BlockedUser) {
    if (busy || !session) return;
    setBusy(entry.user.id);
    setError(null);
    try {
      await session.unblock(entry.user.id);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <details className="sidebar-section blocked">
      <summary className="sidebar-title">Blocked ({blocked.length})</summary>
      <ul className="request-list">
        {blocked.map((entry) => (
          <li key={entry.user.id} className="request" data-testid="blocked-user">
            <Avatar name={entry.user.username} />
            <div className="request-text">
              <p className="request-name">{entry.user.username}</p>
            </div>
            <div className="request-actions">
              <button
                type="button"
                className="button small"
                disabled={busy !== null}
                aria-busy={busy === entry.user.id}
                onClick={() => unblock(entry)}
              >
                Unblock
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error ? <ErrorAlert message={error} className="compact-alert" /> : null}
    </details>
  );
}
