'use client';

import Link from 'next/link';
import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { LanguageSwitcher } from '../../i18n/LanguageSwitcher';
import { useDescribeError } from '../../i18n/describe-error';
import { Logo } from '../Logo';
import { ErrorAlert, Loading, useNow } from '../ui';
import { AcceptedNotices } from './AcceptedNotices';
import { AddFriendForm } from './AddFriendForm';
import { Avatar } from './Avatar';
import { GroupItem } from './group/GroupItem';
import { ActivityTime, UnreadBadge } from './ListItemParts';
import {
  type ListedConversation,
  conversationPreviewPhrase,
  type PreviewPhrase,
  type BlockedUser,
  type FriendRequest,
  type User,
  type ChatSession,
  type ChatSnapshot,
  requestKeyWarning,
} from '@onionchat/client';
import { roomHref } from '../../hooks/use-chat';
import { useMacKeyboard } from '../../hooks/use-search-shortcut';
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
  const { t } = useTranslation();
  const mac = useMacKeyboard();
  const friends = snapshot.friends;
  return (
    <aside className="chat-sidebar" aria-label={t('chat.sidebar.label')}>
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
          <span className="visually-hidden">{t('chat.sidebar.loggedInAs')}</span>
          {me.username}
        </p>
        <button
          type="button"
          className="button small ghost"
          data-testid="notification-settings-button"
          onClick={onNotificationSettings}
        >
          {t('chat.sidebar.settings')}
        </button>
        <Link href="/account/" className="button small ghost">
          {t('chat.sidebar.account')}
        </Link>
        <LanguageSwitcher className="sidebar-language" />
      </div>

      <div className="sidebar-scroll">
        <button
          type="button"
          className="button search-open-button"
          data-testid="search-button"
          aria-keyshortcuts="Control+K Meta+K"
          onClick={onSearch}
        >
          <span>{t('chat.sidebar.search')}</span>
          <kbd aria-hidden="true">{mac ? '⌘ K' : 'Ctrl K'}</kbd>
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
                  {t('chat.sidebar.conversations')}
                </h2>
                <button
                  type="button"
                  className="button small ghost new-group-button"
                  data-testid="new-group-button"
                  disabled={!session || friends.friends.length === 0}
                  title={friends.friends.length === 0 ? t('chat.sidebar.newGroupNeedsFriend') : undefined}
                  onClick={onNewGroup}
                >
                  {t('chat.sidebar.newGroup')}
                </button>
              </div>
              {conversations.length === 0 ? (
                <p className="empty sidebar-empty">{t('chat.sidebar.empty')}</p>
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
              {t('chat.tryAgain')}
            </button>
          </div>
        ) : (
          <Loading label={t('chat.sidebar.loadingFriends')} />
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
  const { t } = useTranslation();
  const describeError = useDescribeError();
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
        {t('chat.requests.title')}
        {incoming.length > 0 ? (
          <span className="count-pill">
            {incoming.length}
            <span className="visually-hidden">{t('chat.requests.waitingForYou')}</span>
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
                <p className="muted small">{t('chat.requests.wantsToBeFriends')}</p>
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
                  data-testid="accept-request"
                  disabled={busy !== null || keyWarning !== null}
                  aria-busy={busy === `accept:${request.id}`}
                  onClick={() =>
                    run(`accept:${request.id}`, async () => {
                      const roomId = await session!.accept(request);
                      onAccepted(roomId);
                    })
                  }
                >
                  {t('chat.requests.accept')}
                </button>
                <button
                  type="button"
                  className="button small"
                  disabled={busy !== null}
                  aria-busy={busy === `decline:${request.id}`}
                  onClick={() => run(`decline:${request.id}`, () => session!.dismissRequest(request))}
                >
                  {t('chat.requests.decline')}
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
              <p className="muted small">{t('chat.requests.sentWaiting')}</p>
            </div>
            <div className="request-actions">
              <button
                type="button"
                className="button small"
                disabled={busy !== null}
                aria-busy={busy === `cancel:${request.id}`}
                onClick={() => run(`cancel:${request.id}`, () => session!.dismissRequest(request))}
              >
                {t('chat.requests.cancel')}
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
  const { t } = useTranslation();
  const { friend, state } = entry;
  const unread = state?.room.unread ?? 0;
  const phrase = conversationPreviewPhrase(state, meId);
  const preview = phrase ? previewWords(phrase, t) : '';

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

/** The core's preview line in the interface language (the message's own words stay as written). */
function previewWords(phrase: PreviewPhrase, t: TFunction): string {
  const line = t(phrase.key, { ...phrase.values });
  return phrase.flag ? t(phrase.flag, { line }) : line;
}

function Blocked({ session, blocked }: { session: ChatSession | null; blocked: BlockedUser[] }) {
  const { t } = useTranslation();
  const describeError = useDescribeError();
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
      <summary className="sidebar-title">{t('chat.blocked.title', { count: blocked.length })}</summary>
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
                {t('chat.blocked.unblock')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error ? <ErrorAlert message={error} className="compact-alert" /> : null}
    </details>
  );
}
