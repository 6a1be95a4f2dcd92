'use client';

import { useCallback, useEffect, useRef, useState, type DragEvent, type MutableRefObject, type ReactNode } from 'react';
import type { Friend, User } from '../../lib/api';
import { chatErrorMessage, type ChatSession, type RoomState } from '../../lib/chat';
import { formatBytes } from '../../lib/files';
import type { ChatItem } from '../../lib/messages';
import type { ConnectionState } from '../../lib/realtime';
import { Avatar } from './Avatar';
import type { FocusIntent } from './ChatApp';
import { Composer } from './Composer';
import { ConfirmDialog } from './ConfirmDialog';
import { MessageList } from './MessageList';
import { KeyChangeBanner, SafetyNumberDialog, TrustBadge, VerifiedChangeAlert } from './SafetyNumber';

interface ConversationProps {
  session: ChatSession;
  roomId: string;
  friend: Friend | null;
  state: RoomState | undefined;
  me: User;
  connection: ConnectionState;
  focusIntent: MutableRefObject<FocusIntent>;
  drafts: Map<string, string>;
  onBack: () => void;
  /** The conversation is gone (friend removed or blocked). */
  onLeft: () => void;
  /** The connection banner, shown under the header. */
  banner: ReactNode;
}

type Confirming = 'remove' | 'block' | null;

const ANNOUNCE_CHARS = 200;

export function Conversation({
  session,
  roomId,
  friend,
  state,
  me,
  connection,
  focusIntent,
  drafts,
  onBack,
  onLeft,
  banner,
}: ConversationProps) {
  const peer = friend?.user ?? state?.peer ?? null;
  const name = peer?.username ?? 'Conversation';
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [announcements, setAnnouncements] = useState<{ id: number; text: string }[]>([]);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [confirmBusy, setConfirmBusy] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);
  const [verifying, setVerifying] = useState(false);
  const [alertDismissed, setAlertDismissed] = useState(false);
  const trust = state?.trust ?? null;

  const sendFiles = useCallback(
    (files: File[]) => {
      if (!state || files.length === 0) return;
      try {
        session.sendFiles(roomId, files);
        setFileError(null);
      } catch (caught) {
        setFileError(chatErrorMessage(caught));
      }
    },
    [session, roomId, state],
  );

  // A file dropped anywhere else must not make the browser open it in place of this
  // page (that would lose the keys, which live in memory only).
  useEffect(() => {
    const guard = (event: globalThis.DragEvent) => {
      if (event.defaultPrevented || !carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  const dropZone = {
    onDragEnter: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesFiles(event.dataTransfer) || !state) return;
      event.preventDefault();
      dragDepth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesFiles(event.dataTransfer) || !state) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesFiles(event.dataTransfer)) return;
      dragDepth.current = Math.max(0, dragDepth.current - 1);
      if (dragDepth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesFiles(event.dataTransfer)) return;
      event.preventDefault();
      dragDepth.current = 0;
      setDragging(false);
      sendFiles([...event.dataTransfer.files]);
    },
  };

  // Where focus goes when the conversation opens.
  useEffect(() => {
    const intent = focusIntent.current;
    focusIntent.current = null;
    if (intent === 'composer') document.getElementById('composer')?.focus();
    else if (intent === 'heading') headingRef.current?.focus();
  }, [focusIntent]);

  // Read incoming messages out (politely) while this conversation is open.
  useEffect(() => {
    let counter = 0;
    return session.onIncoming((id, items) => {
      if (id !== roomId) return;
      const lines = items.slice(-3).map((item) => `${name}: ${describe(item)}`);
      if (items.length > 3) lines.unshift(`${items.length} new messages from ${name}.`);
      setAnnouncements((previous) => [...previous, ...lines.map((text) => ({ id: (counter += 1), text }))].slice(-5));
    });
  }, [session, roomId, name]);

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
      setConfirmError(chatErrorMessage(caught));
    } finally {
      setConfirmBusy(false);
    }
  }

  return (
    <div className={dragging ? 'conversation conversation-dragging' : 'conversation'} {...dropZone}>
      <header className="conversation-head">
        <button type="button" className="icon-button back-button" onClick={onBack} aria-label="Back to conversations">
          <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
            <path
              d="M12.5 4 6.5 10l6 6"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
        </button>
        <Avatar name={name} />
        <div className="conversation-title">
          <h2 ref={headingRef} tabIndex={-1} className="conversation-name">
            {name}
            <TrustBadge trust={trust} />
          </h2>
          <p className="conversation-sub">
            <LockIcon /> End-to-end encrypted
          </p>
        </div>
        {peer && trust?.presented ? (
          <button
            type="button"
            className="button small ghost"
            data-testid="verify-button"
            onClick={() => setVerifying(true)}
          >
            {trust.state === 'verified' ? 'Safety number' : 'Verify safety number'}
          </button>
        ) : null}
        {peer ? (
          <ConversationMenu
            name={peer.username}
            onRemove={() => {
              setConfirmError(null);
              setConfirming('remove');
            }}
            onBlock={() => {
              setConfirmError(null);
              setConfirming('block');
            }}
          />
        ) : null}
      </header>
      {banner}
      <KeyChangeBanner trust={trust} onReview={() => setVerifying(true)} />

      <MessageList session={session} roomId={roomId} state={state} me={me} peerName={name} connection={connection} />

      <Composer
        key={roomId}
        session={session}
        roomId={roomId}
        peerName={name}
        drafts={drafts}
        disabled={!state || state.sendBlocked !== null}
        onFiles={sendFiles}
        fileError={fileError}
      />

      {dragging ? (
        <div className="drop-zone" data-testid="drop-zone" aria-hidden="true">
          <div className="drop-zone-inner">
            <svg viewBox="0 0 24 24" width="40" height="40" focusable="false">
              <path
                d="M12 16V4m0 0L7 9m5-5 5 5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.8"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
            <p className="drop-zone-title">Drop to send to {name}</p>
            <p className="drop-zone-sub">Files are encrypted on this device before they are uploaded.</p>
          </div>
        </div>
      ) : null}

      <div className="visually-hidden" aria-live="polite" aria-relevant="additions">
        {announcements.map((a) => (
          <p key={a.id}>{a.text}</p>
        ))}
      </div>

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

      <ConfirmDialog
        open={confirming !== null}
        title={confirming === 'block' ? `Block ${name}?` : `Remove ${name} from your friends?`}
        confirmLabel={confirming === 'block' ? 'Block' : 'Remove friend'}
        busy={confirmBusy}
        error={confirmError}
        onConfirm={onConfirm}
        onCancel={() => setConfirming(null)}
      >
        {confirming === 'block' ? (
          <p>
            {name} will no longer be able to send you friend requests or messages. Your friendship and this conversation
            are deleted for both of you. You can unblock them later from the list of blocked people.
          </p>
        ) : (
          <p>This conversation and its messages are deleted for both of you. This can’t be undone.</p>
        )}
      </ConfirmDialog>
    </div>
  );
}

function carriesFiles(transfer: DataTransfer | null): boolean {
  return transfer !== null && [...transfer.types].includes('Files');
}

function describe(item: ChatItem): string {
  if (item.state === 'unverified') return 'a message that could not be verified.';
  if (item.file) return `a file, ${item.file.name} (${formatBytes(item.file.size)}).`;
  if (item.text === null) return 'a message of a kind this page cannot show.';
  return item.text.length > ANNOUNCE_CHARS ? `${item.text.slice(0, ANNOUNCE_CHARS)}…` : item.text;
}

function ConversationMenu({ name, onRemove, onBlock }: { name: string; onRemove: () => void; onBlock: () => void }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  return (
    <div
      className="menu-wrap"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.preventDefault();
          event.stopPropagation();
          close(true);
        }
        if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && open && !event.altKey) {
          const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
          const index = items.indexOf(document.activeElement as HTMLButtonElement);
          const next = items[(index + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length];
          event.preventDefault();
          next?.focus();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-expanded={open}
        aria-controls="conversation-menu"
        aria-label={`Options for the conversation with ${name}`}
        onClick={() => setOpen((value) => !value)}
      >
        <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
          <circle cx="10" cy="4.5" r="1.6" fill="currentColor" />
          <circle cx="10" cy="10" r="1.6" fill="currentColor" />
          <circle cx="10" cy="15.5" r="1.6" fill="currentColor" />
        </svg>
      </button>
      {open ? (
        <div className="menu" id="conversation-menu" ref={menuRef}>
          <button
            type="button"
            className="menu-item"
            onClick={() => {
              close(false);
              onRemove();
            }}
          >
            Remove friend
          </button>
          <button
            type="button"
            className="menu-item menu-item-danger"
            onClick={() => {
              close(false);
              onBlock();
            }}
          >
            Block {name}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function LockIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
