'use client';

// The messenger itself: sidebar, conversation, composer, files, and the client core's
// chat session under them. Only ever shown with unlocked keys, which a first load of
// /chat/ never has (keys live in memory only), so it is a chunk of its own: ChatApp
// loads it once the keys are there, and the log-in and sign-up forms ask for it early
// (see ./load-messenger.ts).

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Loading } from '../ui';
import { ConnectionBanner, ConnectionIndicator } from './Connection';
import { Conversation, type FocusIntent } from './Conversation';
import { Sidebar } from './Sidebar';
import { NewGroupDialog } from './group/NewGroupDialog';
import { SearchDialog } from './search/SearchDialog';
import { NotificationSettings } from './notify/NotificationSettings';
import { allConversations, type BundleVault, type Identity, type User } from '@onionchat/client';
import { useKeystore } from '../../hooks/keystore';
import { FirstMemberNote } from './FirstMemberNote';
import './messenger.css';
import './group/group.css';
import { NARROW_QUERY, useChatSession, useChatSnapshot, useHashRoom, useMediaQuery } from '../../hooks/use-chat';
import { useNames } from '../../hooks/use-names';
import { pageApi } from '../../hooks/api';
import { useAlerts } from '../../hooks/use-alerts';
import { useJumpToMessage } from '../../hooks/use-jump-to-message';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { useSearchShortcut } from '../../hooks/use-search-shortcut';

export function Messenger({ user, identity, vault }: { user: User; identity: Identity; vault: BundleVault | null }) {
  const { t } = useTranslation();
  const { clear } = useKeystore();
  const onSessionLost = useCallback(() => clear(t('errors.sessionEnded')), [clear, t]);
  const session = useChatSession(user, identity, vault, onSessionLost);
  const snapshot = useChatSnapshot(session);
  const [roomId, selectRoom] = useHashRoom();
  const narrow = useMediaQuery(NARROW_QUERY);
  const focusIntent = useRef<FocusIntent>(null);
  const drafts = useRef(new Map<string, string>());

  useEffect(() => {
    session?.setActiveRoom(roomId);
  }, [session, roomId]);

  // "(3) OnionChat" while there are unread messages.
  useDocumentTitle(snapshot.totalUnread > 0 ? `(${snapshot.totalUnread}) OnionChat` : 'OnionChat');

  const conversations = useMemo(() => allConversations(snapshot), [snapshot]);
  const nameOf = useNames(snapshot);
  const maxMembers = useGroupMaxMembers();
  const [creatingGroup, setCreatingGroup] = useState(false);
  const [searching, setSearching] = useState(false);
  const [notifySettingsOpen, setNotifySettingsOpen] = useState(false);
  const openSearch = useCallback(() => setSearching(true), []);
  useSearchShortcut(openSearch);
  const jumpTo = useJumpToMessage();
  const friendUsers = useMemo(() => snapshot.friends?.friends.map((friend) => friend.user) ?? [], [snapshot.friends]);

  const open = useCallback(
    (id: string | null, intent: FocusIntent, replace = false) => {
      focusIntent.current = intent;
      selectRoom(id, replace);
    },
    [selectRoom],
  );

  const openFromAlert = useCallback((id: string) => open(id, narrow ? 'heading' : 'composer'), [open, narrow]);
  useAlerts(session, snapshot, roomId, nameOf, openFromAlert);

  // Alt+↑ / Alt+↓: previous / next conversation, from anywhere on the page.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
      if (conversations.length === 0) return;
      event.preventDefault();
      const index = conversations.findIndex((c) => c.roomId === roomId);
      const step = event.key === 'ArrowUp' ? -1 : 1;
      const next =
        index < 0
          ? conversations[step > 0 ? 0 : conversations.length - 1]
          : conversations[(index + step + conversations.length) % conversations.length];
      if (next) open(next.roomId, narrow ? 'heading' : 'composer', true);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [conversations, roomId, open, narrow]);

  const current = roomId ? conversations.find((c) => c.roomId === roomId) : undefined;
  const roomState = roomId ? snapshot.rooms.get(roomId) : undefined;

  const onBack = useCallback(() => {
    const from = roomId;
    open(null, null, false);
    // Back in the list: focus the conversation we came from.
    requestAnimationFrame(() => {
      const link = from ? document.querySelector<HTMLElement>(`[data-room-link="${from}"]`) : null;
      (link ?? document.getElementById('friend-username'))?.focus();
    });
  }, [open, roomId]);

  const banner = (
    <>
      <ConnectionBanner snapshot={snapshot} onRetry={() => session?.reconnectNow()} />
      <FirstMemberNote friends={snapshot.friends} />
      {snapshot.trustSaveProblem ? (
        <p className="key-warning" role="status" data-testid="trust-save-problem">
          {snapshot.trustSaveProblem} {t('chat.messenger.trustStays')}
        </p>
      ) : null}
    </>
  );

  return (
    <div className={roomId ? 'chat-app chat-has-room js-only' : 'chat-app js-only'}>
      <Sidebar
        session={session}
        snapshot={snapshot}
        me={user}
        conversations={conversations}
        nameOf={nameOf}
        activeRoomId={roomId}
        onNewGroup={() => setCreatingGroup(true)}
        onSearch={openSearch}
        onNotificationSettings={() => setNotifySettingsOpen(true)}
        onOpen={(id) => open(id, narrow ? 'heading' : 'composer')}
        onAccepted={(id) => open(id, narrow ? 'heading' : 'composer')}
      />
      <section className="chat-main" aria-label={t('chat.messenger.label')}>
        {roomId && session && (current || roomState) ? null : banner}
        {roomId && session && (current || roomState) ? (
          <Conversation
            key={roomId}
            session={session}
            roomId={roomId}
            friend={current?.friend ?? null}
            state={roomState}
            me={user}
            nameOf={nameOf}
            friends={friendUsers}
            maxMembers={maxMembers}
            connection={snapshot.connection}
            focusIntent={focusIntent}
            drafts={drafts.current}
            onBack={onBack}
            onLeft={() => {
              open(null, null, true);
              requestAnimationFrame(() => document.getElementById('friend-username')?.focus());
            }}
            banner={banner}
          />
        ) : roomId && snapshot.friends ? (
          <div className="chat-placeholder">
            <h2>{t('chat.messenger.missingTitle')}</h2>
            <p className="muted">{t('chat.messenger.missingText')}</p>
            <button type="button" className="button" onClick={onBack}>
              {t('account.backToChats')}
            </button>
          </div>
        ) : roomId ? (
          <div className="chat-placeholder">
            <Loading label={t('chat.messenger.loadingConversation')} />
          </div>
        ) : (
          <div className="chat-placeholder">
            {snapshot.friends && snapshot.friends.friends.length === 0 ? (
              <>
                <h2>{t('chat.messenger.noFriendsTitle')}</h2>
                <p className="muted">{t('chat.messenger.noFriendsText')}</p>
              </>
            ) : (
              <>
                <h2>{t('chat.messenger.pickTitle')}</h2>
                <p className="muted">
                  <Trans i18nKey="chat.messenger.pickText" components={{ kbd: <kbd /> }} />
                </p>
              </>
            )}
          </div>
        )}
      </section>
      <NewGroupDialog
        open={creatingGroup}
        session={session}
        friends={friendUsers}
        maxMembers={maxMembers}
        onClose={() => setCreatingGroup(false)}
        onCreated={(id) => {
          setCreatingGroup(false);
          open(id, 'composer');
        }}
      />
      <SearchDialog
        open={searching}
        conversations={conversations}
        nameOf={nameOf}
        onClose={() => setSearching(false)}
        onPick={(id, key) => {
          setSearching(false);
          open(id, null);
          jumpTo(id, key);
        }}
      />
      <NotificationSettings
        open={notifySettingsOpen}
        conversations={conversations}
        session={session}
        readReceipts={snapshot.readReceipts}
        onClose={() => setNotifySettingsOpen(false)}
      />
      {/* After both panes in the DOM, placed over the sidebar's head (or the conversation's on phones). */}
      <ConnectionIndicator state={snapshot.connection} connectedOnce={snapshot.connectedOnce} />
    </div>
  );
}

/** The server's group member limit (null until it has answered; the core checks it too). */
function useGroupMaxMembers(): number | null {
  const [max, setMax] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    pageApi()
      .config()
      .then((config) => {
        if (live) setMax(config.groupMaxMembers);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  return max;
}
