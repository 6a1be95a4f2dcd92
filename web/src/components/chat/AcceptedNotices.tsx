'use client';

// Tells the person who sent a friend request that it was accepted: the server only says
// "friends changed", so the change is read from two loads of the friends lists. Each
// notice stays until it is opened or dismissed.

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { acceptedNote, acceptedSince, type Friend, type FriendsList } from '@onionchat/client';

export function AcceptedNotices({
  friends,
  onOpen,
}: {
  friends: FriendsList | null;
  onOpen: (roomId: string) => void;
}) {
  const accepted = useAcceptedFriends(friends);
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = accepted.filter((friend) => !dismissed.has(friend.roomId));
  const dismiss = (roomId: string) => setDismissed((before) => new Set(before).add(roomId));

  return (
    <div role="status" className="accepted-notices">
      {shown.map((friend) => (
        <p key={friend.roomId} className="accepted-notice" data-testid="accepted-notice">
          <span>{acceptedNote(friend.user.username)}</span>
          <span className="accepted-actions">
            <button
              type="button"
              className="button small primary"
              onClick={() => {
                dismiss(friend.roomId);
                onOpen(friend.roomId);
              }}
            >
              {t('chat.accepted.open')}
            </button>
            <button type="button" className="button small ghost" onClick={() => dismiss(friend.roomId)}>
              {t('chat.accepted.dismiss')}
            </button>
          </span>
        </p>
      ))}
    </div>
  );
}

/** Every friend who accepted a request of ours since the lists were first loaded in this tab. */
function useAcceptedFriends(friends: FriendsList | null): Friend[] {
  const previous = useRef<FriendsList | null>(null);
  const [accepted, setAccepted] = useState<Friend[]>([]);
  useEffect(() => {
    const before = previous.current;
    if (friends) previous.current = friends;
    const added = acceptedSince(before, friends);
    if (added.length > 0) setAccepted((shown) => [...shown, ...added]);
  }, [friends]);
  return accepted;
}
